/*
 * Copyright 2026 the hotreload authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *      https://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

package dev.hotreload.support;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SecretSanitizer}.
 */
class SecretSanitizerTests {

	@Test
	void masksUserInfoPasswordsContainingAtAndSlash() {
		assertThat(SecretSanitizer.maskUrl("jdbc:postgresql://app:p@ss/w0rd@db:5432/orders"))
			.isEqualTo("jdbc:postgresql://app:******@db:5432/orders");
		assertThat(SecretSanitizer.maskUrl("redis://:s3cret@cache:6379/0")).isEqualTo("redis://:******@cache:6379/0");
		assertThat(SecretSanitizer.maskUrl("rediss://s3cret@cache:6379")).isEqualTo("rediss://******@cache:6379");
		assertThat(SecretSanitizer.maskUrl("jdbc:mysql://app:s3cret@db:3306/orders"))
			.isEqualTo("jdbc:mysql://app:******@db:3306/orders");
	}

	@Test
	void masksOraclesUserSlashPasswordForm() {
		assertThat(SecretSanitizer.maskUrl("jdbc:oracle:thin:scott/t1ger@//db:1521/orcl"))
			.isEqualTo("jdbc:oracle:thin:scott/******@//db:1521/orcl");
		assertThat(SecretSanitizer.maskUrl("jdbc:oracle:thin:scott/ti@g/er@db:1521:orcl"))
			.isEqualTo("jdbc:oracle:thin:scott/******@db:1521:orcl");
		assertThat(SecretSanitizer.maskUrl("jdbc:oracle:thin:@//db:1521/orcl"))
			.isEqualTo("jdbc:oracle:thin:@//db:1521/orcl");
	}

	@Test
	void masksPasswordParametersKeepingTheirCase() {
		assertThat(SecretSanitizer.maskUrl("jdbc:sqlserver://db;user=app;Password=s3cret;encrypt=true"))
			.isEqualTo("jdbc:sqlserver://db;user=app;Password=******;encrypt=true");
		assertThat(SecretSanitizer.maskUrl("jdbc:postgresql://db/orders?sslpassword=k3y&password=s3cret"))
			.isEqualTo("jdbc:postgresql://db/orders?sslpassword=******&password=******");
		assertThat(SecretSanitizer.hasCredentials("jdbc:postgresql://db:5432/orders")).isFalse();
		assertThat(SecretSanitizer.hasCredentials("jdbc:postgresql://db/orders?password=x")).isTrue();
	}

	@Test
	void knowsCredentialValuesOfPropertySourcesIncludingUrlPasswordsAndPlaceholders() {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources()
			.addFirst(new MapPropertySource("test",
					Map.of("spring.datasource.url", "jdbc:postgresql://postgres:TopSecret125@127.0.0.1/db",
							"spring.data.redis.password", "RedisPw77", "app.api-key", "${PLANTED_KEY}", "PLANTED_KEY",
							"K3yFromPlaceholder", "greeting", "hello")));
		SecretSanitizer sanitizer = SecretSanitizer.of(environment.getPropertySources(),
				environment::resolvePlaceholders);
		assertThat(sanitizer.sanitize(
				"The connection attempt failed.: postgres:TopSecret125@127.0.0.1; auth RedisPw77 K3yFromPlaceholder hello"))
			.isEqualTo("The connection attempt failed.: postgres:******@127.0.0.1; auth ****** ****** hello");
	}

	@Test
	void knowsSecretsOfContentAParserRefuses() {
		byte[] content = "spring:\n  datasource:\n    password: \"TopSecret789\n  token = Tok3n # comment\n"
			.getBytes(StandardCharsets.UTF_8);
		SecretSanitizer sanitizer = SecretSanitizer.ofContent(content);
		assertThat(sanitizer.sanitize("while scanning a quoted scalar in 'reader', line 3: password: \"TopSecret789 ^"
				+ " found unexpected end of stream Tok3n"))
			.doesNotContain("TopSecret789")
			.doesNotContain("Tok3n")
			.contains("found unexpected end of stream");
	}

	@Test
	void tellsCredentialKeys() {
		assertThat(List.of("spring.datasource.password", "SPRING_DATASOURCE_PASSWORD", "hotreload.nacos.secret-key",
				"app.api-token", "app.client-credentials.id", "app.keys.private-key", "list.password[0]"))
			.allMatch(SecretSanitizer::isCredentialKey);
		assertThat(List.of("spring.datasource.url", "greeting", "spring.data.redis.host", "PWD", "OLDPWD"))
			.noneMatch(SecretSanitizer::isCredentialKey);
	}

	@Test
	void sanitizedExceptionsKeepTheirStackTraces() {
		IllegalStateException ex = new IllegalStateException("failed with s3cretValue",
				new RuntimeException("cause s3cretValue"));
		Throwable sanitized = SecretSanitizer.ofValues(List.of("s3cretValue")).sanitize(ex);
		assertThat(sanitized.getMessage()).isEqualTo("java.lang.IllegalStateException: failed with ******");
		assertThat(sanitized.getCause().getMessage()).isEqualTo("java.lang.RuntimeException: cause ******");
		assertThat(sanitized.getStackTrace()).isEqualTo(ex.getStackTrace());
	}

}

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

package dev.hotreload.crypto;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariDataSource;
import dev.hotreload.engine.ReloadEngine;
import dev.hotreload.engine.ReloadRequest;
import dev.hotreload.history.HistoryEntry;
import dev.hotreload.history.ReloadHistory;
import dev.hotreload.history.ReloadOutcome;
import dev.hotreload.source.ReloadTrigger;
import dev.hotreload.source.nacos.InMemoryConfigService;
import dev.hotreload.source.nacos.NacosConfigServiceFactory;
import dev.hotreload.testsupport.jdbc.MariaDb;
import dev.hotreload.testsupport.jdbc.MariaDbAccount;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.cloud.context.encrypt.EncryptorFactory;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.crypto.encrypt.TextEncryptor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An encrypted ({@code {cipher}}) datasource password on a server that checks passwords
 * (MariaDB over TCP), in a watched file and in Nacos: decrypted at startup by Spring
 * Cloud, a new ciphertext rotates the pool's credentials in place, garbage ciphertext is
 * rejected naming the key, and the plain passwords appear in no log line, no endpoint
 * answer (with {@code show-values=always}) and no history file.
 */
@ExtendWith(OutputCaptureExtension.class)
class CipherReloadTests {

	private static final String DATABASE = "hotreload_cipher";

	private static final String USER = DATABASE;

	private static final String FIRST = "Cipher-First-5521";

	@RegisterExtension
	static final MariaDbAccount account = new MariaDbAccount(DATABASE, FIRST);

	private static final String SECOND = "Cipher-Second-5522";

	private static final String KEY = "hotreload-cipher-test-key";

	private static final TextEncryptor encryptor = new EncryptorFactory().create(KEY);

	private static final HttpClient http = HttpClient.newHttpClient();

	@TempDir
	Path directory;

	@BeforeEach
	void firstPassword() throws SQLException {
		MariaDb.setPassword(USER, FIRST);
	}

	@Test
	void encryptedPasswordInAWatchedFileRotatesAndGarbageIsRejected(CapturedOutput output) throws Exception {
		Path config = this.directory.resolve("app.yaml");
		Path history = this.directory.resolve("history.jsonl");
		write(config, cipher(FIRST));
		try (ConfigurableApplicationContext context = start(new SpringApplicationBuilder(TestApplication.class),
				"--hotreload.file.locations=" + config, "--hotreload.file.watch=false",
				"--hotreload.file.poll-interval=0", "--hotreload.history.file=" + history)) {
			HikariDataSource pool = context.getBean(javax.sql.DataSource.class).unwrap(HikariDataSource.class);
			assertThat(connects(pool)).isTrue();
			MariaDb.setPassword(USER, SECOND);
			write(config, cipher(SECOND));
			HistoryEntry rotated = reload(context, config);
			assertThat(rotated.outcome()).as(String.valueOf(rotated.error())).isEqualTo(ReloadOutcome.APPLIED);
			assertThat(rotated.digest()).isEqualTo(sha256(Files.readAllBytes(config)));
			assertThat(rotated.changedKeys()).extracting("key").containsExactly("spring.datasource.password");
			assertThat(rotated.resources()).singleElement()
				.satisfies((result) -> assertThat(result.action()).startsWith("in place").contains("credentials"));
			// the server accepts only the new password: a new connection proves the pool
			// has it
			assertThat(connects(pool)).isTrue();
			assertThat(context.getBean(javax.sql.DataSource.class).unwrap(HikariDataSource.class)).isSameAs(pool);
			write(config, "{cipher}" + "0badc0ffee".repeat(8));
			HistoryEntry garbage = reload(context, config);
			assertThat(garbage.outcome()).isEqualTo(ReloadOutcome.REJECTED);
			assertThat(garbage.error()).contains("Cannot decrypt: key=spring.datasource.password");
			assertThat(connects(pool)).isTrue();
			assertNoPlainPassword(output, endpoint(context), Files.readString(history));
		}
	}

	@Test
	void encryptedPasswordInNacosRotatesAndGarbageIsRejected(CapturedOutput output) throws Exception {
		InMemoryConfigService nacos = new InMemoryConfigService();
		nacos.publishConfig("db.yaml", "DEFAULT_GROUP", yaml(cipher(FIRST)));
		Path history = this.directory.resolve("history.jsonl");
		SpringApplicationBuilder builder = new SpringApplicationBuilder(TestApplication.class)
			.addBootstrapRegistryInitializer(
					(registry) -> registry.register(NacosConfigServiceFactory.class, (bootstrap) -> nacos.factory()));
		try (ConfigurableApplicationContext context = start(builder, "--hotreload.nacos.server-addr=memory:8848",
				"--hotreload.nacos.configs[0].data-id=db.yaml", "--hotreload.jitter=0",
				"--hotreload.history.file=" + history)) {
			HikariDataSource pool = context.getBean(javax.sql.DataSource.class).unwrap(HikariDataSource.class);
			assertThat(connects(pool)).isTrue();
			ReloadHistory reloads = context.getBean(ReloadHistory.class);
			MariaDb.setPassword(USER, SECOND);
			nacos.publishConfig("db.yaml", "DEFAULT_GROUP", yaml(cipher(SECOND)));
			HistoryEntry rotated = awaitEntry(reloads, 1);
			assertThat(rotated.outcome()).as(String.valueOf(rotated.error())).isEqualTo(ReloadOutcome.APPLIED);
			assertThat(rotated.trigger()).isEqualTo("nacos");
			assertThat(connects(pool)).isTrue();
			nacos.publishConfig("db.yaml", "DEFAULT_GROUP", yaml("{cipher}" + "0badc0ffee".repeat(8)));
			HistoryEntry garbage = awaitEntry(reloads, 2);
			assertThat(garbage.outcome()).isEqualTo(ReloadOutcome.REJECTED);
			assertThat(garbage.error()).contains("Cannot decrypt: key=spring.datasource.password");
			assertThat(connects(pool)).isTrue();
			assertNoPlainPassword(output, endpoint(context), Files.readString(history));
		}
	}

	private static ConfigurableApplicationContext start(SpringApplicationBuilder builder, String... args) {
		List<String> all = new java.util.ArrayList<>(List.of(args));
		// the password is changed on the server before the config: a rotation-window
		// reload started by the pool's refused logins would race the one under test
		all.addAll(List.of("--encrypt.key=" + KEY, "--server.port=0", "--hotreload.auth-failure.enabled=false",
				"--management.endpoints.web.exposure.include=hotreload",
				"--management.endpoint.hotreload.show-values=always",
				"--spring.datasource.hikari.maximum-pool-size=4"));
		return builder.run(all.toArray(String[]::new));
	}

	private static void assertNoPlainPassword(CapturedOutput output, String endpoint, String history) {
		for (String text : List.of(output.getAll(), endpoint, history)) {
			assertThat(text).isNotEmpty().doesNotContain(FIRST).doesNotContain(SECOND);
		}
	}

	private static HistoryEntry awaitEntry(ReloadHistory history, int count) {
		await().atMost(Duration.ofSeconds(20)).until(() -> history.entries().size() >= count);
		return history.entries().get(0);
	}

	private static boolean connects(HikariDataSource pool) throws SQLException {
		// replace every idle connection, so the next one is opened with the live password
		if (pool.getHikariPoolMXBean() != null) {
			pool.getHikariPoolMXBean().softEvictConnections();
		}
		try (Connection connection = pool.getConnection()) {
			return connection.isValid(2);
		}
	}

	private static String endpoint(ConfigurableApplicationContext context) throws Exception {
		String port = context.getEnvironment().getProperty("local.server.port");
		HttpResponse<String> response = http.send(
				HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/hotreload")).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		return response.body();
	}

	private static String cipher(String password) {
		return "{cipher}" + encryptor.encrypt(password);
	}

	private static String yaml(String password) {
		return "spring:\n  datasource:\n    url: " + MariaDb.ROOT_URL + DATABASE + "\n    username: " + USER
				+ "\n    password: '" + password + "'\n";
	}

	private static void write(Path config, String password) throws Exception {
		Path temp = config.resolveSibling("app.yaml.tmp");
		Files.writeString(temp, yaml(password), StandardCharsets.UTF_8);
		Files.move(temp, config, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
	}

	private static HistoryEntry reload(ConfigurableApplicationContext context, Path config) throws Exception {
		return context.getBean(ReloadEngine.class)
			.submit(new ReloadRequest(List.of("file:" + config), ReloadTrigger.MANUAL, false, null, null))
			.get(30, TimeUnit.SECONDS);
	}

	private static String sha256(byte[] bytes) throws Exception {
		return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration(
			excludeName = { "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
					"org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration",
					"org.springframework.boot.data.redis.autoconfigure.DataRedisRepositoriesAutoConfiguration" })
	static class TestApplication {

	}

}

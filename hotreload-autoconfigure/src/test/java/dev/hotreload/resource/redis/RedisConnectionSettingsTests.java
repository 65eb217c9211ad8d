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

package dev.hotreload.resource.redis;

import java.time.Duration;
import java.util.Map;

import io.lettuce.core.RedisURI;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.ssl.DefaultSslBundleRegistry;
import org.springframework.boot.ssl.NoSuchSslBundleException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link RedisConnectionSettings}.
 *
 * @author hotreload authors
 */
class RedisConnectionSettingsTests {

	private final RedisConnectionSettings settings = new RedisConnectionSettings(null);

	@Test
	void defaultsToLocalhost() {
		RedisConnectionSettings.Target target = read(Map.of("spring.data.redis.client-name", "app"));
		assertThat(target.uri().getHost()).isEqualTo("localhost");
		assertThat(target.uri().getPort()).isEqualTo(6379);
		assertThat(target.uri().getDatabase()).isZero();
		assertThat(target.uri().getClientName()).isEqualTo("app");
		assertThat(target.uri().isSsl()).isFalse();
		assertThat(target.description()).isEqualTo("localhost:6379/0");
	}

	@Test
	void readsStandaloneKeys() {
		RedisConnectionSettings.Target target = read(Map.of("spring.data.redis.host", "redis.example",
				"spring.data.redis.port", "6380", "spring.data.redis.username", "app", "spring.data.redis.password",
				"s3cr3t", "spring.data.redis.database", "4", "spring.data.redis.timeout", "2s",
				"spring.data.redis.connect-timeout", "750ms", "spring.data.redis.ssl.enabled", "true"));
		RedisURI uri = target.uri();
		assertThat(uri.getHost()).isEqualTo("redis.example");
		assertThat(uri.getPort()).isEqualTo(6380);
		assertThat(uri.getUsername()).isEqualTo("app");
		assertThat(new String(uri.getPassword())).isEqualTo("s3cr3t");
		assertThat(uri.getDatabase()).isEqualTo(4);
		assertThat(uri.getTimeout()).isEqualTo(Duration.ofSeconds(2));
		assertThat(uri.isSsl()).isTrue();
		assertThat(target.options().getSocketOptions().getConnectTimeout()).isEqualTo(Duration.ofMillis(750));
		assertThat(target.description()).isEqualTo("redis.example:6380/4 (ssl)").doesNotContain("s3cr3t");
	}

	@Test
	void urlOverridesHostPortCredentialsAndDatabase() {
		RedisConnectionSettings.Target target = read(
				Map.of("spring.data.redis.url", "rediss://app:s3cr3t@cache.example:6390/2", "spring.data.redis.host",
						"ignored", "spring.data.redis.password", "ignored-too", "spring.data.redis.database", "7"));
		RedisURI uri = target.uri();
		assertThat(uri.getHost()).isEqualTo("cache.example");
		assertThat(uri.getPort()).isEqualTo(6390);
		assertThat(uri.getUsername()).isEqualTo("app");
		assertThat(new String(uri.getPassword())).isEqualTo("s3cr3t");
		assertThat(uri.getDatabase()).isEqualTo(2);
		assertThat(uri.isSsl()).isTrue();
		assertThat(target.description()).isEqualTo("cache.example:6390/2 (ssl)");
	}

	@Test
	void refusesAMalformedUrlWithoutRepeatingIt() {
		assertThatIllegalStateException()
			.isThrownBy(() -> read(Map.of("spring.data.redis.url", "http://app:s3cr3t@cache.example")))
			.withMessageContaining("spring.data.redis.url is not a valid")
			.withMessageNotContaining("s3cr3t");
		assertThatIllegalStateException()
			.isThrownBy(() -> read(Map.of("spring.data.redis.url", "redis://app:s3cr3t@cache.example:port")))
			.withMessageNotContaining("s3cr3t");
	}

	@Test
	void readsSentinelKeys() {
		RedisConnectionSettings.Target target = read(
				Map.of("spring.data.redis.sentinel.master", "mymaster", "spring.data.redis.sentinel.nodes",
						"10.0.0.1:26379,10.0.0.2:26380", "spring.data.redis.sentinel.password", "sentinel-secret",
						"spring.data.redis.password", "data-secret", "spring.data.redis.database", "1"));
		RedisURI uri = target.uri();
		assertThat(uri.getSentinelMasterId()).isEqualTo("mymaster");
		assertThat(uri.getSentinels()).extracting(RedisURI::getHost).containsExactly("10.0.0.1", "10.0.0.2");
		assertThat(uri.getSentinels()).extracting(RedisURI::getPort).containsExactly(26379, 26380);
		assertThat(new String(uri.getSentinels().get(0).getPassword())).isEqualTo("sentinel-secret");
		assertThat(new String(uri.getPassword())).isEqualTo("data-secret");
		assertThat(target.description()).isEqualTo("sentinel mymaster@[10.0.0.1:26379, 10.0.0.2:26380]/1");
	}

	@Test
	void refusesASentinelNodeThatIsNotHostAndPort() {
		assertThatIllegalStateException()
			.isThrownBy(() -> read(Map.of("spring.data.redis.sentinel.master", "mymaster",
					"spring.data.redis.sentinel.nodes", "10.0.0.1")))
			.withMessage("sentinel node '10.0.0.1' is not host:port");
	}

	@Test
	void refusesACluster() {
		assertThatIllegalStateException()
			.isThrownBy(() -> read(Map.of("spring.data.redis.cluster.nodes", "10.0.0.1:7000")))
			.withMessageContaining("use Spring Data Redis for a cluster");
	}

	@Test
	void refusesAnSslBundleThatDoesNotExist() {
		RedisConnectionSettings withBundles = new RedisConnectionSettings(new DefaultSslBundleRegistry());
		assertThatExceptionOfType(NoSuchSslBundleException.class)
			.isThrownBy(() -> withBundles
				.read(new Binder(new MapConfigurationPropertySource(Map.of("spring.data.redis.ssl.bundle", "none")))))
			.withMessageContaining("none");
		assertThatIllegalStateException().isThrownBy(() -> read(Map.of("spring.data.redis.ssl.bundle", "client")))
			.withMessageContaining("no SslBundles bean");
	}

	@Test
	void keysPrintNoPassword() {
		RedisConnectionSettings.Keys keys = new Binder(new MapConfigurationPropertySource(
				Map.of("spring.data.redis.url", "redis://app:UrlPw4242@cache:6379", "spring.data.redis.password",
						"KeyPw4242", "spring.data.redis.sentinel.password", "SentinelPw4242")))
			.bind("spring.data.redis", RedisConnectionSettings.Keys.class)
			.get();
		assertThat(keys.password()).isEqualTo("KeyPw4242");
		assertThat(keys.toString()).contains("redis://app:******@cache:6379")
			.doesNotContain("UrlPw4242")
			.doesNotContain("KeyPw4242")
			.doesNotContain("SentinelPw4242");
	}

	private RedisConnectionSettings.Target read(Map<String, String> keys) {
		return this.settings.read(new Binder(new MapConfigurationPropertySource(keys)));
	}

}

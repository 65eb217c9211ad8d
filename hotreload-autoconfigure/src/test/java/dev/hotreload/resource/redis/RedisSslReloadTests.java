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

import java.util.LinkedHashMap;
import java.util.Map;

import dev.hotreload.history.HistoryEntry;
import dev.hotreload.history.ReloadOutcome;
import dev.hotreload.history.ResourceResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Moves a running application to a Redis server that only speaks TLS, trusted through an
 * SSL bundle, and back, with and without Spring Data Redis; a TLS change without the
 * bundle is rejected because the server's certificate is not trusted.
 *
 * @author hotreload authors
 */
class RedisSslReloadTests extends AbstractRedisReloadTests {

	private static final String BUNDLE = "redis-test";

	private static RedisTestServer tls;

	@BeforeAll
	static void startTlsServer() {
		tls = RedisTestServer.startTls(PASSWORD);
	}

	@AfterAll
	static void stopTlsServer() {
		if (tls != null) {
			tls.close();
		}
	}

	@ParameterizedTest(name = "with Spring Data Redis: {0}")
	@ValueSource(booleans = { true, false })
	void movesToATlsServerThroughAnSslBundleAndBack(boolean springDataRedis) throws Exception {
		try (RedisReloadTestApplication app = start(springDataRedis)) {
			try {
				assertThat(increment(app, key(0))).isEqualTo(1);

				HistoryEntry untrusted = app.reload(with(tlsConfig(), "spring.data.redis.ssl.bundle", ""));
				assertThat(untrusted.outcome()).isEqualTo(ReloadOutcome.REJECTED);
				assertThat(untrusted.error()).contains("failed validation")
					.contains("PKIX path building failed")
					.doesNotContain(PASSWORD);
				assertThat(app.describe().generation()).isEqualTo(1);
				app.reload(configA());

				HistoryEntry toTls = app.reload(tlsConfig());
				assertThat(toTls.outcome()).as("%s", toTls.error()).isEqualTo(ReloadOutcome.APPLIED);
				assertThat(app.target()).contains("127.0.0.1:" + tls.port() + "/0");
				assertThat(increment(app, key(0))).isEqualTo(1);
				assertThat(tls.cli("GET", key(0))).isEqualTo("1");
				assertThat(tls.clientsNamed(this.clientName)).isNotEmpty();

				assertThat(app.reload(configA()).outcome()).isEqualTo(ReloadOutcome.APPLIED);
				assertThat(increment(app, key(0))).isEqualTo(2);
				assertThat(app.awaitRetired(15_000)).isTrue();
				assertThat(retiredResults(app)).hasSize(2)
					.allSatisfy((result) -> assertThat(result.state()).isEqualTo(ResourceResult.State.RETIRED));
				assertThat(tls.clientsNamed(this.clientName)).isEmpty();
			}
			finally {
				deleteCounters();
				tls.cli("DEL", key(0));
			}
		}
	}

	private RedisReloadTestApplication start(boolean springDataRedis) {
		Map<String, String> properties = Map.of("spring.ssl.bundle.pem." + BUNDLE + ".truststore.certificate",
				"file:" + tls.certificate(), "hotreload.redis.validation-timeout", "2s");
		return springDataRedis ? RedisReloadTestApplication.start(configA(), properties)
				: RedisReloadTestApplication.startWithoutSpringDataRedis(configA(), properties);
	}

	private Map<String, String> tlsConfig() {
		Map<String, String> config = new LinkedHashMap<>();
		config.put("spring.data.redis.host", "127.0.0.1");
		config.put("spring.data.redis.port", String.valueOf(tls.port()));
		config.put("spring.data.redis.password", PASSWORD);
		config.put("spring.data.redis.ssl.enabled", "true");
		config.put("spring.data.redis.ssl.bundle", BUNDLE);
		config.put("spring.data.redis.client-name", this.clientName);
		return config;
	}

}

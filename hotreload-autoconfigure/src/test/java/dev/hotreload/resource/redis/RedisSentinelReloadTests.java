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
 * Moves a running application from a standalone Redis to a master found through a real
 * Redis Sentinel and back, with and without Spring Data Redis.
 *
 * @author hotreload authors
 */
class RedisSentinelReloadTests extends AbstractRedisReloadTests {

	private static RedisTestServer sentinel;

	@BeforeAll
	static void startSentinel() {
		sentinel = RedisTestServer.startSentinel(second.port(), PASSWORD);
	}

	@AfterAll
	static void stopSentinel() {
		if (sentinel != null) {
			sentinel.close();
		}
	}

	@ParameterizedTest(name = "with Spring Data Redis: {0}")
	@ValueSource(booleans = { true, false })
	void movesToTheMasterASentinelNamesAndBack(boolean springDataRedis) throws Exception {
		try (RedisReloadTestApplication app = springDataRedis ? RedisReloadTestApplication.start(configA(), Map.of())
				: RedisReloadTestApplication.startWithoutSpringDataRedis(configA(), Map.of())) {
			try {
				assertThat(increment(app, key(0))).isEqualTo(1);

				HistoryEntry toSentinel = app.reload(sentinelConfig());
				assertThat(toSentinel.outcome()).as("%s", toSentinel.error()).isEqualTo(ReloadOutcome.APPLIED);
				assertThat(app.target()).startsWith("sentinel mymaster@[")
					.contains("127.0.0.1:" + sentinel.port())
					.endsWith("/0");
				assertThat(increment(app, key(0))).isEqualTo(1);
				assertThat(second.cli("GET", key(0))).isEqualTo("1");
				assertThat(RedisTestServer.clientsNamed(second.port(), PASSWORD, this.clientName)).isNotEmpty();

				HistoryEntry back = app.reload(configA());
				assertThat(back.outcome()).isEqualTo(ReloadOutcome.APPLIED);
				assertThat(increment(app, key(0))).isEqualTo(2);
				assertThat(app.awaitRetired(15_000)).isTrue();
				assertThat(retiredResults(app)).hasSize(2)
					.allSatisfy((result) -> assertThat(result.state()).isEqualTo(ResourceResult.State.RETIRED));
				assertThat(RedisTestServer.clientsNamed(second.port(), PASSWORD, this.clientName)).isEmpty();
				assertThat(app.describe().toString()).doesNotContain(PASSWORD);
			}
			finally {
				deleteCounters();
			}
		}
	}

	@ParameterizedTest(name = "with Spring Data Redis: {0}")
	@ValueSource(booleans = { true, false })
	void rejectsAMasterNameTheSentinelDoesNotKnow(boolean springDataRedis) {
		try (RedisReloadTestApplication app = springDataRedis
				? RedisReloadTestApplication.start(configA(), Map.of("hotreload.redis.validation-timeout", "2s"))
				: RedisReloadTestApplication.startWithoutSpringDataRedis(configA(),
						Map.of("hotreload.redis.validation-timeout", "2s"))) {
			try {
				Map<String, String> unknown = with(sentinelConfig(), "spring.data.redis.sentinel.master",
						"nosuchmaster");
				HistoryEntry entry = app.reload(unknown);
				assertThat(entry.outcome()).isEqualTo(ReloadOutcome.REJECTED);
				assertThat(entry.error()).contains("sentinel nosuchmaster@").doesNotContain(PASSWORD);
				assertThat(app.describe().generation()).isEqualTo(1);
				assertThat(increment(app, key(0))).isEqualTo(1);
				assertThat(RedisTestServer.cli(RedisTestServer.DEFAULT_PORT, null, "GET", key(0))).isEqualTo("1");
			}
			finally {
				deleteCounters();
			}
		}
	}

	private Map<String, String> sentinelConfig() {
		Map<String, String> config = new LinkedHashMap<>();
		config.put("spring.data.redis.sentinel.master", "mymaster");
		config.put("spring.data.redis.sentinel.nodes", "127.0.0.1:" + sentinel.port());
		config.put("spring.data.redis.password", PASSWORD);
		config.put("spring.data.redis.client-name", this.clientName);
		return config;
	}

}

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
import java.util.List;
import java.util.Map;

import dev.hotreload.history.HistoryEntry;
import dev.hotreload.history.ReloadOutcome;
import org.junit.jupiter.api.Test;

import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A reload moves the Redis client only when the settings it was built from change:
 * placeholders count, connection details from elsewhere win over
 * {@code spring.data.redis.*} as they do at startup.
 */
class RedisEffectiveSettingsTests extends AbstractRedisReloadTests {

	private static final int THREADS = 8;

	@Test
	void rotatesThePasswordWhenOnlyItsPlaceholderChanges() throws Exception {
		String rotated = PASSWORD + "-rotated";
		try (RedisReloadTestApplication app = RedisReloadTestApplication.start(placeholder(PASSWORD), Map.of())) {
			StringRedisTemplate template = app.bean(StringRedisTemplate.class);
			Tally tally = new Tally();
			List<Thread> workers = startIncrementWorkers(template, tally, THREADS, "redis-settings-worker");
			try {
				Thread.sleep(300);
				RedisTestServer.cli(second.port(), PASSWORD, "CONFIG", "SET", "requirepass", rotated);
				HistoryEntry entry = app.reload(placeholder(rotated));
				assertThat(entry.outcome()).as(entry.toString()).isEqualTo(ReloadOutcome.APPLIED);
				assertThat(entry.changedKeys()).extracting((key) -> key.key()).containsExactly("redis-password");
				assertThat(entry.resources()).singleElement()
					.satisfies((result) -> assertThat(result.action()).contains("password changed"));
				// a password alone is rotated in place: same client, same generation
				assertThat(app.factory().getGeneration()).isEqualTo(1);
				Thread.sleep(300);
				HistoryEntry wrong = app.reload(placeholder("not-" + rotated));
				assertThat(wrong.outcome()).isEqualTo(ReloadOutcome.REJECTED);
				assertThat(wrong.error()).contains("WRONGPASS").doesNotContain(rotated);
				assertThat(app.factory().getGeneration()).isEqualTo(1);
				Thread.sleep(300);
			}
			finally {
				tally.running.set(false);
				for (Thread worker : workers) {
					worker.join(30_000);
				}
				RedisTestServer.cli(second.port(), rotated, "CONFIG", "SET", "requirepass", PASSWORD);
			}
			try {
				assertThat(tally.failures.get()).as("failed commands, first: %s", tally.firstFailure.get()).isZero();
				assertThat(tally.increments.get()).isPositive();
				assertThat(counterSum()).isEqualTo(tally.increments.get());
			}
			finally {
				deleteCounters();
			}
		}
	}

	@Test
	void connectionDetailsFromElsewhereWinOverThePropertiesOnReload() throws Exception {
		Map<String, String> config = new LinkedHashMap<>(configB());
		config.put("app.greeting", "a");
		try (RedisReloadTestApplication app = RedisReloadTestApplication.start(config, Map.of(),
				ConnectionDetailsConfiguration.class)) {
			StringRedisTemplate template = app.bean(StringRedisTemplate.class);
			String local = "127.0.0.1:" + RedisTestServer.DEFAULT_PORT + "/0";
			assertThat(app.target()).isEqualTo(local);
			try {
				assertThat(template.opsForValue().increment(key(0))).isEqualTo(1);
				for (int i = 0; i < 5; i++) {
					HistoryEntry unrelated = app.reload(with(config, "app.greeting", "g" + i));
					assertThat(unrelated.outcome()).isEqualTo(ReloadOutcome.APPLIED);
					assertThat(unrelated.resources()).isEmpty();
				}
				// the details replace host, port and password: changing them changes
				// nothing
				HistoryEntry port = app
					.reload(with(config, "spring.data.redis.port", String.valueOf(RedisTestServer.freePort())));
				assertThat(port.outcome()).isEqualTo(ReloadOutcome.APPLIED);
				assertThat(port.resources()).isEmpty();
				assertThat(app.factory().getGeneration()).isEqualTo(1);
				// a key the details do not replace rebuilds the client, on the details'
				// server
				HistoryEntry timeout = app.reload(with(config, "spring.data.redis.timeout", "3s"));
				assertThat(timeout.outcome()).as(timeout.toString()).isEqualTo(ReloadOutcome.APPLIED);
				assertThat(app.factory().getGeneration()).isEqualTo(2);
				assertThat(app.target()).isEqualTo(local);
				assertThat(template.opsForValue().increment(key(0))).isEqualTo(2);
			}
			finally {
				deleteCounters();
			}
		}
	}

	private Map<String, String> placeholder(String password) {
		Map<String, String> config = new LinkedHashMap<>(configB());
		config.put("spring.data.redis.password", "${redis-password}");
		config.put("redis-password", password);
		return config;
	}

	@Configuration(proxyBeanMethods = false)
	static class ConnectionDetailsConfiguration {

		@Bean
		DataRedisConnectionDetails testRedisConnectionDetails() {
			return new DataRedisConnectionDetails() {

				@Override
				public Standalone getStandalone() {
					return Standalone.of("127.0.0.1", RedisTestServer.DEFAULT_PORT);
				}

			};
		}

	}

}

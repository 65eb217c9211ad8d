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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.hotreload.history.ResourceResult;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Flips a {@link ReactiveStringRedisTemplate} application between two real Redis servers
 * while 32 threads run INCR through it.
 *
 * @author hotreload authors
 */
class ReactiveRedisReloadFlipTests extends AbstractRedisReloadTests {

	private static final int THREADS = 32;

	private static final Duration DURATION = Duration
		.ofSeconds(Long.getLong("hotreload.test.redis.reactive-flip-seconds", 8));

	private static final int MIN_FLIPS = Integer.getInteger("hotreload.test.redis.reactive-min-flips", 16);

	@Test
	void reactiveTemplateFlipsBetweenServersUnderLoadWithNoFailedLostOrDuplicatedCommand() throws Exception {
		try (RedisReloadTestApplication app = RedisReloadTestApplication.start(configA(),
				Map.of("hotreload.history.size", "10000"))) {
			ReactiveStringRedisTemplate template = app.bean(ReactiveStringRedisTemplate.class);
			try {
				Tally tally = new Tally();
				List<Thread> workers = new ArrayList<>();
				for (int t = 0; t < THREADS; t++) {
					int offset = t;
					Thread worker = new Thread(() -> {
						long n = offset;
						while (tally.running.get()) {
							try {
								Long value = template.opsForValue().increment(key(n++)).block(Duration.ofSeconds(30));
								if (value == null) {
									tally.failed(new IllegalStateException("INCR returned nothing"));
								}
								else {
									tally.increments.incrementAndGet();
								}
							}
							catch (RuntimeException ex) {
								tally.failed(ex);
							}
						}
					}, "redis-reactive-flip-worker-" + t);
					worker.start();
					workers.add(worker);
				}
				int flips = flip(app, DURATION, MIN_FLIPS);
				tally.running.set(false);
				for (Thread worker : workers) {
					worker.join(30_000);
				}
				assertThat(app.awaitRetired(30_000)).as("old clients retired").isTrue();
				assertThat(tally.failures.get()).as("failed commands, first: %s", tally.firstFailure.get()).isZero();
				assertThat(tally.increments.get()).isPositive();
				assertThat(counterSum()).as("sum of counters on both servers").isEqualTo(tally.increments.get());
				assertThat(app.factory().getGeneration()).isEqualTo(1 + flips);
				assertThat(retiredResults(app)).hasSize(flips).allSatisfy((result) -> {
					assertThat(result.state()).isEqualTo(ResourceResult.State.RETIRED);
					assertThat(result.connectionsCut()).isZero();
				});
			}
			finally {
				deleteCounters();
			}
		}
	}

}

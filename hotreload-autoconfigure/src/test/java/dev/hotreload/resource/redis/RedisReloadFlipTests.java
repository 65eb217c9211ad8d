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

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.RedisOperations;
import org.springframework.data.redis.core.SessionCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Flips a {@link StringRedisTemplate} application between two real Redis servers, through
 * the reload engine, while 32 threads run INCR (and some MULTI/EXEC pairs).
 *
 * @author hotreload authors
 */
class RedisReloadFlipTests extends AbstractRedisReloadTests {

	private static final int THREADS = 32;

	private static final Duration DURATION = Duration.ofSeconds(Long.getLong("hotreload.test.redis.flip-seconds", 20));

	private static final int MIN_FLIPS = Integer.getInteger("hotreload.test.redis.min-flips", 40);

	@Test
	void flipsBetweenServersUnderLoadWithNoFailedLostOrDuplicatedCommand() throws Exception {
		try (RedisReloadTestApplication app = RedisReloadTestApplication.start(configA(),
				Map.of("hotreload.history.size", "10000"))) {
			StringRedisTemplate template = app.bean(StringRedisTemplate.class);
			try {
				assertThat(app.factory().getGeneration()).isEqualTo(1);
				// warm up: both servers once, so the shared event loops exist
				template.opsForValue().increment(key(0));
				app.reload(configB());
				template.opsForValue().increment(key(0));
				app.reload(configA());
				assertThat(app.awaitRetired(15_000)).isTrue();
				Tally tally = new Tally();
				tally.increments.addAndGet(2);
				int threadsBefore = liveThreads();
				List<Thread> workers = startWorkers(template, tally);
				int flips = flip(app, DURATION, MIN_FLIPS);
				stop(workers, tally);
				assertThat(app.awaitRetired(30_000)).as("old clients retired").isTrue();

				assertThat(tally.failures.get()).as("failed commands, first: %s", tally.firstFailure.get()).isZero();
				assertThat(flips).isGreaterThanOrEqualTo(MIN_FLIPS);
				assertThat(app.factory().getGeneration()).isEqualTo(3 + flips);
				assertThat(tally.increments.get()).isPositive();
				assertThat(counterSum()).as("sum of counters on both servers").isEqualTo(tally.increments.get());

				List<ResourceResult> results = retiredResults(app);
				assertThat(results).hasSize(2 + flips);
				assertThat(results).allSatisfy((result) -> {
					assertThat(result.state()).isEqualTo(ResourceResult.State.RETIRED);
					assertThat(result.connectionsCut()).isZero();
					assertThat(result.leaks()).isEmpty();
				});

				// retired server: no connection of the application is left on it
				boolean onSecond = app.target().endsWith(":" + second.port() + "/0");
				int retiredPort = onSecond ? RedisTestServer.DEFAULT_PORT : second.port();
				String retiredPassword = onSecond ? null : PASSWORD;
				assertThat(RedisTestServer.clientsNamed(retiredPort, retiredPassword, this.clientName)).isEmpty();
				assertThat(awaitThreadsAtMost(threadsBefore + 2)).as("live threads after the run")
					.isLessThanOrEqualTo(threadsBefore + 2);
				assertThat(threadsNamed("hotreload-retire-")).isEmpty();
				assertThat(threadsNamed("hotreload-validate-")).isEmpty();
			}
			finally {
				deleteCounters();
			}
		}
		// closing the application closes every generation it built
		assertThat(awaitNoClientNamed(RedisTestServer.DEFAULT_PORT, null)).isTrue();
		assertThat(awaitNoClientNamed(second.port(), PASSWORD)).isTrue();
	}

	private boolean awaitNoClientNamed(int port, String password) throws InterruptedException {
		long deadline = System.currentTimeMillis() + 10_000;
		while (!RedisTestServer.clientsNamed(port, password, this.clientName).isEmpty()) {
			if (System.currentTimeMillis() > deadline) {
				return false;
			}
			Thread.sleep(50);
		}
		return true;
	}

	private List<Thread> startWorkers(StringRedisTemplate template, Tally tally) {
		List<Thread> workers = new ArrayList<>();
		for (int t = 0; t < THREADS; t++) {
			boolean transactional = (t % 8 == 0);
			int offset = t;
			Thread worker = new Thread(() -> {
				long n = offset;
				while (tally.running.get()) {
					String key = key(n++);
					try {
						if (transactional && n % 4 == 0) {
							List<Object> results = template.execute(new IncrementTwice(key));
							if (results == null || results.size() != 2) {
								tally.failed(new IllegalStateException("EXEC returned " + results));
							}
							else {
								tally.increments.addAndGet(2);
							}
						}
						else {
							template.opsForValue().increment(key);
							tally.increments.incrementAndGet();
						}
					}
					catch (RuntimeException ex) {
						tally.failed(ex);
					}
				}
			}, "redis-flip-worker-" + t);
			worker.start();
			workers.add(worker);
		}
		return workers;
	}

	private static void stop(List<Thread> workers, Tally tally) throws InterruptedException {
		tally.running.set(false);
		for (Thread worker : workers) {
			worker.join(30_000);
			assertThat(worker.isAlive()).as(worker.getName() + " stopped").isFalse();
		}
	}

	/**
	 * INCR a key twice in one MULTI/EXEC.
	 */
	private record IncrementTwice(String key) implements SessionCallback<List<Object>> {

		@Override
		@SuppressWarnings("unchecked")
		public <K, V> List<Object> execute(RedisOperations<K, V> operations) throws DataAccessException {
			RedisOperations<String, String> strings = (RedisOperations<String, String>) operations;
			strings.multi();
			strings.opsForValue().increment(this.key);
			strings.opsForValue().increment(this.key);
			return strings.exec();
		}

	}

}

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

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Predicate;

import dev.hotreload.history.HistoryEntry;
import dev.hotreload.history.ReloadHistory;
import dev.hotreload.history.ReloadOutcome;
import dev.hotreload.history.ResourceResult;
import dev.hotreload.resource.ResourceDescriptor;
import io.lettuce.core.api.StatefulRedisConnection;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the Redis flip tests share: two real servers (the shared one on 6379, without a
 * password, and one started by the test, with a password), configs that point at either,
 * and the checks that prove nothing was lost, duplicated or leaked.
 *
 * @author hotreload authors
 */
abstract class AbstractRedisReloadTests {

	static final String PASSWORD = "hr-" + UUID.randomUUID().toString().substring(0, 8);

	static final int KEYS = 16;

	static RedisTestServer second;

	final String run = UUID.randomUUID().toString().substring(0, 8);

	final String clientName = "hotreload-test-" + this.run;

	final String prefix = "hotreload:test:" + this.run + ":";

	@BeforeAll
	static void startSecondServer() {
		second = RedisTestServer.start(PASSWORD);
	}

	@AfterAll
	static void stopSecondServer() {
		if (second != null) {
			second.close();
		}
	}

	/**
	 * Config pointing at the shared server.
	 */
	Map<String, String> configA() {
		Map<String, String> config = new LinkedHashMap<>();
		config.put("spring.data.redis.host", "127.0.0.1");
		config.put("spring.data.redis.port", String.valueOf(RedisTestServer.DEFAULT_PORT));
		config.put("spring.data.redis.client-name", this.clientName);
		return config;
	}

	/**
	 * Config pointing at the server started by the test.
	 */
	Map<String, String> configB() {
		Map<String, String> config = new LinkedHashMap<>();
		config.put("spring.data.redis.host", "127.0.0.1");
		config.put("spring.data.redis.port", String.valueOf(second.port()));
		config.put("spring.data.redis.password", PASSWORD);
		config.put("spring.data.redis.client-name", this.clientName);
		return config;
	}

	/**
	 * Config pointing at a server started by the test, as an ACL user.
	 */
	Map<String, String> userConfig(RedisTestServer server, String user, String password) {
		Map<String, String> config = new LinkedHashMap<>();
		config.put("spring.data.redis.host", "127.0.0.1");
		config.put("spring.data.redis.port", String.valueOf(server.port()));
		config.put("spring.data.redis.username", user);
		config.put("spring.data.redis.password", password);
		config.put("spring.data.redis.client-name", this.clientName);
		return config;
	}

	Map<String, String> with(Map<String, String> config, String key, String value) {
		Map<String, String> changed = new LinkedHashMap<>(config);
		changed.put(key, value);
		return changed;
	}

	String key(long index) {
		return this.prefix + (index % KEYS);
	}

	/**
	 * INCR a key through the application's Redis client: its {@code StringRedisTemplate}
	 * or, without Spring Data Redis, its {@code StatefulRedisConnection}.
	 */
	static @Nullable Long increment(RedisReloadTestApplication app, String key) {
		return incrementer(app).apply(key);
	}

	/**
	 * INCR through the application's Redis client, looked up once.
	 */
	@SuppressWarnings("unchecked")
	static Function<String, @Nullable Long> incrementer(RedisReloadTestApplication app) {
		if (app.context().containsBean("redisConnectionFactory")) {
			StringRedisTemplate template = app.bean(StringRedisTemplate.class);
			return (key) -> template.opsForValue().increment(key);
		}
		StatefulRedisConnection<String, String> connection = app.bean(StatefulRedisConnection.class);
		return (key) -> connection.sync().incr(key);
	}

	/**
	 * Sum of the counters on both servers.
	 */
	long counterSum() {
		long sum = 0;
		for (int i = 0; i < KEYS; i++) {
			sum += parse(RedisTestServer.cli(RedisTestServer.DEFAULT_PORT, null, "GET", key(i)));
			sum += parse(second.cli("GET", key(i)));
		}
		return sum;
	}

	/**
	 * Sum of the counters on one server.
	 */
	long counterSum(RedisTestServer server) {
		long sum = 0;
		for (int i = 0; i < KEYS; i++) {
			sum += parse(server.cli("GET", key(i)));
		}
		return sum;
	}

	void deleteCounters() {
		for (int i = 0; i < KEYS; i++) {
			RedisTestServer.cli(RedisTestServer.DEFAULT_PORT, null, "DEL", key(i));
			second.cli("DEL", key(i));
		}
	}

	private static long parse(String reply) {
		return (reply.isEmpty()) ? 0 : Long.parseLong(reply);
	}

	/**
	 * Start threads that INCR the counters through the template until the tally stops
	 * running, counting successes and failures.
	 */
	List<Thread> startIncrementWorkers(StringRedisTemplate template, Tally tally, int threads, String name) {
		return startIncrementWorkers((key) -> template.opsForValue().increment(key), tally, threads, name);
	}

	/**
	 * Start threads that INCR the counters through a client until the tally stops
	 * running, counting successes and failures.
	 */
	List<Thread> startIncrementWorkers(Function<String, @Nullable Long> increment, Tally tally, int threads,
			String name) {
		List<Thread> workers = new ArrayList<>();
		for (int t = 0; t < threads; t++) {
			int offset = t;
			Thread worker = new Thread(() -> {
				long n = offset;
				while (tally.running.get()) {
					try {
						increment.apply(key(n++));
						tally.increments.incrementAndGet();
					}
					catch (RuntimeException ex) {
						tally.failed(ex);
					}
				}
			}, name + "-" + t);
			worker.start();
			workers.add(worker);
		}
		return workers;
	}

	static int liveThreads() {
		return ManagementFactory.getThreadMXBean().getThreadCount();
	}

	static List<String> threadsNamed(String prefix) {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter(Thread::isAlive)
			.map(Thread::getName)
			.filter((name) -> name.startsWith(prefix))
			.toList();
	}

	/**
	 * Wait (bounded) until no live thread has a name starting with the prefix.
	 */
	static boolean awaitNoThreadNamed(String prefix) throws InterruptedException {
		long deadline = System.currentTimeMillis() + 10_000;
		while (!threadsNamed(prefix).isEmpty()) {
			if (System.currentTimeMillis() > deadline) {
				return false;
			}
			Thread.sleep(20);
		}
		return true;
	}

	/**
	 * Wait (bounded) for the live thread count to come back to a level.
	 */
	static int awaitThreadsAtMost(int level) throws InterruptedException {
		long deadline = System.currentTimeMillis() + 10_000;
		int count = liveThreads();
		while (count > level && System.currentTimeMillis() < deadline) {
			Thread.sleep(50);
			count = liveThreads();
		}
		return count;
	}

	/**
	 * Wait (bounded) until the application's Redis resource is described as expected.
	 * @return the description that matched, or the last one
	 */
	static ResourceDescriptor awaitDescribed(RedisReloadTestApplication app, Predicate<ResourceDescriptor> expected)
			throws InterruptedException {
		long deadline = System.currentTimeMillis() + 10_000;
		ResourceDescriptor descriptor = app.describe();
		while (!expected.test(descriptor) && System.currentTimeMillis() < deadline) {
			Thread.sleep(20);
			descriptor = app.describe();
		}
		return descriptor;
	}

	/**
	 * Flip the target between the two servers for at least the given time and number of
	 * flips while a workload runs.
	 * @return the flips done
	 */
	int flip(RedisReloadTestApplication app, Duration duration, int minFlips) throws InterruptedException {
		long start = System.nanoTime();
		long pause = duration.toMillis() / minFlips;
		int flips = 0;
		while (System.nanoTime() - start < duration.toNanos() || flips < minFlips) {
			long flipStart = System.nanoTime();
			boolean toSecond = app.target().endsWith(":" + RedisTestServer.DEFAULT_PORT + "/0");
			HistoryEntry entry = app.reload(toSecond ? configB() : configA());
			assertThat(entry.outcome()).as("flip %d: %s", flips, entry.error()).isEqualTo(ReloadOutcome.APPLIED);
			flips++;
			long elapsed = (System.nanoTime() - flipStart) / 1_000_000;
			if (pause > elapsed) {
				Thread.sleep(pause - elapsed);
			}
		}
		return flips;
	}

	/**
	 * Resource results of every applied reload of the run, once retired.
	 */
	static List<ResourceResult> retiredResults(RedisReloadTestApplication app) {
		List<ResourceResult> results = new ArrayList<>();
		for (HistoryEntry entry : app.bean(ReloadHistory.class).entries()) {
			if (entry.outcome() == ReloadOutcome.APPLIED) {
				results.addAll(entry.resources());
			}
		}
		return results;
	}

	/**
	 * Counts of a workload.
	 */
	static final class Tally {

		final AtomicBoolean running = new AtomicBoolean(true);

		final AtomicLong increments = new AtomicLong();

		final AtomicLong failures = new AtomicLong();

		final AtomicReference<@Nullable Throwable> firstFailure = new AtomicReference<>();

		void failed(Throwable ex) {
			this.failures.incrementAndGet();
			this.firstFailure.compareAndSet(null, ex);
		}

	}

}

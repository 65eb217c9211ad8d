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

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import dev.hotreload.history.HistoryEntry;
import dev.hotreload.history.ReloadOutcome;
import dev.hotreload.history.ResourceResult;
import dev.hotreload.resource.ResourceDescriptor;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.TransactionResult;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.resource.ClientResources;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Flips the reloadable {@code StatefulRedisConnection} of an application without Spring
 * Data Redis between two real Redis servers, through the reload engine, while threads run
 * INCR through the sync, async and reactive APIs (and MULTI/EXEC pairs, guarded by a lock
 * as a transaction on a shared connection must be).
 *
 * @author hotreload authors
 */
class RedisConnectionReloadTests extends AbstractRedisReloadTests {

	private static final int THREADS = 32;

	private static final Duration DURATION = Duration.ofSeconds(Long.getLong("hotreload.test.redis.flip-seconds", 20));

	private static final int MIN_FLIPS = Integer.getInteger("hotreload.test.redis.min-flips", 40);

	private static final Duration REACTIVE_DURATION = Duration
		.ofSeconds(Long.getLong("hotreload.test.redis.reactive-flip-seconds", 8));

	private static final int REACTIVE_MIN_FLIPS = Integer.getInteger("hotreload.test.redis.reactive-min-flips", 16);

	@Test
	void flipsBetweenServersUnderLoadWithNoFailedLostOrDuplicatedCommand() throws Exception {
		try (RedisReloadTestApplication app = RedisReloadTestApplication.startWithoutSpringDataRedis(configA(),
				Map.of("hotreload.history.size", "10000"))) {
			StatefulRedisConnection<String, String> connection = connection(app);
			try {
				// warm up: both servers once
				connection.sync().incr(key(0));
				app.reload(configB());
				connection.sync().incr(key(0));
				app.reload(configA());
				assertThat(app.awaitRetired(15_000)).isTrue();
				Tally tally = new Tally();
				tally.increments.addAndGet(2);
				int threadsBefore = otherThanLettuceThreads();
				List<Thread> workers = startWorkers(connection, tally);
				int flips = flip(app, DURATION, MIN_FLIPS);
				stop(workers, tally);
				assertThat(app.awaitRetired(30_000)).as("old connections retired").isTrue();

				assertThat(tally.failures.get()).as("failed commands, first: %s", tally.firstFailure.get()).isZero();
				assertThat(flips).isGreaterThanOrEqualTo(MIN_FLIPS);
				assertThat(app.describe().generation()).isEqualTo(3 + flips);
				assertThat(tally.increments.get()).isGreaterThan(flips * 10L);
				assertThat(counterSum()).as("sum of counters on both servers").isEqualTo(tally.increments.get());
				assertCleanlyRetired(app, 2 + flips);
				assertThat(awaitOtherThanLettuceThreadsAtMost(threadsBefore + 2)).as("live threads after the run")
					.isLessThanOrEqualTo(threadsBefore + 2);
				assertSharedLettuceThreadsWithinTheirSizes(app);
			}
			finally {
				deleteCounters();
			}
		}
		assertThat(awaitNoClientNamed(RedisTestServer.DEFAULT_PORT, null)).isTrue();
		assertThat(awaitNoClientNamed(second.port(), PASSWORD)).isTrue();
	}

	@Test
	void reactiveCommandsFlipWithNoFailedLostOrDuplicatedCommand() throws Exception {
		try (RedisReloadTestApplication app = RedisReloadTestApplication.startWithoutSpringDataRedis(configA(),
				Map.of("hotreload.history.size", "10000"))) {
			StatefulRedisConnection<String, String> connection = connection(app);
			try {
				Tally tally = new Tally();
				List<Thread> workers = new ArrayList<>();
				for (int t = 0; t < 16; t++) {
					int offset = t;
					workers.add(worker("redis-reactive-worker-" + t, tally, () -> {
						long n = offset;
						while (tally.running.get()) {
							try {
								Long value = connection.reactive().incr(key(n++)).block(Duration.ofSeconds(10));
								if (value == null || value < 1) {
									throw new IllegalStateException("INCR answered " + value);
								}
								tally.increments.incrementAndGet();
							}
							catch (RuntimeException ex) {
								tally.failed(ex);
							}
						}
					}));
				}
				int flips = flip(app, REACTIVE_DURATION, REACTIVE_MIN_FLIPS);
				stop(workers, tally);
				assertThat(app.awaitRetired(30_000)).isTrue();
				assertThat(tally.failures.get()).as("failed commands, first: %s", tally.firstFailure.get()).isZero();
				assertThat(tally.increments.get()).isPositive();
				assertThat(counterSum()).isEqualTo(tally.increments.get());
				assertCleanlyRetired(app, flips);
			}
			finally {
				deleteCounters();
			}
		}
	}

	@Test
	void rejectsBadChangesUnderLoadAndKeepsServing() throws Exception {
		try (RedisReloadTestApplication app = RedisReloadTestApplication.startWithoutSpringDataRedis(configA(),
				Map.of("hotreload.redis.validation-timeout", "1s"))) {
			StatefulRedisConnection<String, String> connection = connection(app);
			try {
				Tally tally = new Tally();
				// warm up: the engine's thread and a connection to each server
				app.reload(configB());
				app.reload(configA());
				assertThat(app.awaitRetired(15_000)).isTrue();
				int threadsBefore = otherThanLettuceThreads();
				List<Thread> workers = new ArrayList<>();
				for (int t = 0; t < 8; t++) {
					int offset = t;
					workers.add(worker("redis-reject-worker-" + t, tally, () -> {
						long n = offset;
						while (tally.running.get()) {
							try {
								connection.sync().incr(key(n++));
								tally.increments.incrementAndGet();
							}
							catch (RuntimeException ex) {
								tally.failed(ex);
							}
						}
					}));
				}
				assertRejected(app, with(configB(), "spring.data.redis.password", "not-" + PASSWORD), "WRONGPASS");
				assertRejected(app,
						with(configB(), "spring.data.redis.port", String.valueOf(RedisTestServer.freePort())),
						"refused");
				assertRejected(app, with(configA(), "spring.data.redis.database", "99"), "DB index is out of range");
				assertRejected(app, with(configA(), "spring.data.redis.host", "no-such-host.invalid"),
						"no-such-host.invalid");
				assertRejected(app,
						with(configA(), "spring.data.redis.url", "redis://user:" + PASSWORD + "@127.0.0.1:notaport"),
						"spring.data.redis.url is not a valid");
				assertRejected(app, with(configA(), "spring.data.redis.cluster.nodes", "127.0.0.1:7000"),
						"use Spring Data Redis for a cluster");
				try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
					// accepts connections (in the kernel's backlog) and never answers
					assertRejected(app,
							with(configA(), "spring.data.redis.port", String.valueOf(silent.getLocalPort())),
							"no answer to PING within hotreload.redis.validation-timeout (PT1S)");
				}
				stop(workers, tally);

				assertThat(tally.failures.get()).as("failed commands, first: %s", tally.firstFailure.get()).isZero();
				assertThat(counterSum()).isEqualTo(tally.increments.get());
				assertThat(app.describe().generation()).isEqualTo(3);
				assertThat(app.describe().state()).isEqualTo("SERVING");
				// nothing left behind by the failed candidates
				assertThat(second.cli("CLIENT", "LIST").lines().filter((line) -> !line.contains("cmd=client")))
					.as("connections on the second server")
					.isEmpty();
				// the shared client resources may have started a thread more, up to their
				// fixed sizes; nothing else may be left
				assertThat(awaitOtherThanLettuceThreadsAtMost(threadsBefore + 2))
					.isLessThanOrEqualTo(threadsBefore + 2);
				assertSharedLettuceThreadsWithinTheirSizes(app);

				// and a good change still applies afterwards
				assertThat(app.reload(configB()).outcome()).isEqualTo(ReloadOutcome.APPLIED);
				assertThat(connection.sync().incr(key(0))).isEqualTo(1);
				assertThat(app.describe().details()).containsEntry("target", "127.0.0.1:" + second.port() + "/0");
				assertThat(app.describe().toString()).doesNotContain(PASSWORD);
			}
			finally {
				deleteCounters();
			}
		}
	}

	@Test
	void transactionOpenAcrossAReloadFinishesOnTheServerItStartedOn() throws Exception {
		try (RedisReloadTestApplication app = RedisReloadTestApplication.startWithoutSpringDataRedis(configA(),
				Map.of())) {
			RedisCommands<String, String> redis = connection(app).sync();
			try {
				redis.multi();
				redis.incr(key(1));
				assertThat(app.reload(configB()).outcome()).isEqualTo(ReloadOutcome.APPLIED);
				ResourceDescriptor retiring = awaitDescribed(app, (described) -> "RETIRING".equals(described.state()));
				assertThat(retiring.state()).isEqualTo("RETIRING");
				assertThat(retiring.details().get("retiring")).asInstanceOf(InstanceOfAssertFactories.list(Map.class))
					.singleElement()
					.satisfies((old) -> assertThat(old).containsEntry("inFlight", 1).containsEntry("generation", 1L));
				redis.incr(key(1));
				TransactionResult result = redis.exec();
				assertThat(result.wasDiscarded()).isFalse();
				assertThat(result.stream().toList()).containsExactly(1L, 2L);
				assertThat(RedisTestServer.cli(RedisTestServer.DEFAULT_PORT, null, "GET", key(1))).isEqualTo("2");
				// the transaction is over: commands go to the new server
				assertThat(redis.incr(key(1))).isEqualTo(1);
				assertThat(second.cli("GET", key(1))).isEqualTo("1");
				assertThat(app.awaitRetired(15_000)).isTrue();
				assertCleanlyRetired(app, 1);
				assertThat(RedisTestServer.clientsNamed(RedisTestServer.DEFAULT_PORT, null, this.clientName)).isEmpty();
			}
			finally {
				deleteCounters();
			}
		}
	}

	@Test
	void transactionOpenLongerThanTheDrainTimeoutIsCutAndRecorded() throws Exception {
		try (RedisReloadTestApplication app = RedisReloadTestApplication.startWithoutSpringDataRedis(configA(),
				Map.of("hotreload.redis.drain-timeout", "500ms"))) {
			RedisCommands<String, String> redis = connection(app).sync();
			try {
				redis.multi();
				redis.incr(key(2));
				HistoryEntry entry = app.reload(configB());
				assertThat(entry.outcome()).isEqualTo(ReloadOutcome.APPLIED);
				assertThat(app.awaitRetired(15_000)).isTrue();
				ResourceResult result = retiredResults(app).get(0);
				assertThat(result.state()).isEqualTo(ResourceResult.State.RETIRED_FORCED);
				assertThat(result.connectionsCut()).isEqualTo(1);
				// the old connection is closed: its transaction never ran
				assertThat(RedisTestServer.cli(RedisTestServer.DEFAULT_PORT, null, "GET", key(2))).isEmpty();
				assertThat(RedisTestServer.clientsNamed(RedisTestServer.DEFAULT_PORT, null, this.clientName)).isEmpty();
				assertThat(redis.incr(key(2))).isEqualTo(1);
				assertThat(second.cli("GET", key(2))).isEqualTo("1");
			}
			finally {
				deleteCounters();
			}
		}
	}

	@Test
	void commandsQueuedWithoutAutoFlushAreFlushedOnTheServerTheyWereQueuedFor() throws Exception {
		try (RedisReloadTestApplication app = RedisReloadTestApplication.startWithoutSpringDataRedis(configA(),
				Map.of())) {
			StatefulRedisConnection<String, String> connection = connection(app);
			try {
				connection.setAutoFlushCommands(false);
				RedisFuture<Long> first = connection.async().incr(key(3));
				assertThat(app.reload(configB()).outcome()).isEqualTo(ReloadOutcome.APPLIED);
				RedisFuture<Long> secondIncrement = connection.async().incr(key(3));
				connection.flushCommands();
				assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo(1);
				assertThat(secondIncrement.get(5, TimeUnit.SECONDS)).isEqualTo(2);
				connection.setAutoFlushCommands(true);
				assertThat(connection.sync().incr(key(3))).isEqualTo(1);
				assertThat(RedisTestServer.cli(RedisTestServer.DEFAULT_PORT, null, "GET", key(3))).isEqualTo("2");
				assertThat(second.cli("GET", key(3))).isEqualTo("1");
				assertThat(app.awaitRetired(15_000)).isTrue();
				assertCleanlyRetired(app, 1);
			}
			finally {
				deleteCounters();
			}
		}
	}

	@SuppressWarnings("unchecked")
	private static StatefulRedisConnection<String, String> connection(RedisReloadTestApplication app) {
		return app.bean(StatefulRedisConnection.class);
	}

	private static void assertSharedLettuceThreadsWithinTheirSizes(RedisReloadTestApplication app) {
		ClientResources resources = app.bean(ClientResources.class);
		assertThat(threadsNamed("lettuce-nioEventLoop-")).as("threads of the shared event loops")
			.hasSizeLessThanOrEqualTo(resources.ioThreadPoolSize());
		assertThat(threadsNamed("lettuce-eventExecutorLoop-")).as("threads of the shared computation pool")
			.hasSizeLessThanOrEqualTo(resources.computationThreadPoolSize());
		assertThat(threadsNamed("lettuce-timer-")).as("threads of the shared timer").hasSizeLessThanOrEqualTo(1);
	}

	private static int otherThanLettuceThreads() {
		return liveThreads() - threadsNamed("lettuce-").size();
	}

	private static int awaitOtherThanLettuceThreadsAtMost(int level) throws InterruptedException {
		long deadline = System.currentTimeMillis() + 10_000;
		int count = otherThanLettuceThreads();
		while (count > level && System.currentTimeMillis() < deadline) {
			Thread.sleep(50);
			count = otherThanLettuceThreads();
		}
		return count;
	}

	private void assertRejected(RedisReloadTestApplication app, Map<String, String> config, String reason) {
		String before = app.target();
		long generation = app.describe().generation();
		HistoryEntry entry = app.reload(config);
		assertThat(entry.outcome()).as(entry.toString()).isEqualTo(ReloadOutcome.REJECTED);
		assertThat(entry.error()).contains("redis resource 'redisConnection'").contains(reason);
		assertThat(entry.error()).doesNotContain(PASSWORD);
		assertThat(app.describe().generation()).isEqualTo(generation);
		assertThat(app.target()).isEqualTo(before);
		// the engine left the previous file content live: restore the file for the next
		app.reload(configA());
	}

	private void assertCleanlyRetired(RedisReloadTestApplication app, int retirements) {
		List<ResourceResult> results = retiredResults(app);
		assertThat(results).hasSize(retirements);
		assertThat(results).allSatisfy((result) -> {
			assertThat(result.state()).isEqualTo(ResourceResult.State.RETIRED);
			assertThat(result.connectionsCut()).isZero();
			assertThat(result.leaks()).isEmpty();
		});
		assertThat(threadsNamed("hotreload-retire-")).isEmpty();
		// the retired server has no connection of the application left, the live one has
		// exactly the live connection
		boolean onSecond = app.target().endsWith(":" + second.port() + "/0");
		int retiredPort = onSecond ? RedisTestServer.DEFAULT_PORT : second.port();
		String retiredPassword = onSecond ? null : PASSWORD;
		assertThat(RedisTestServer.clientsNamed(retiredPort, retiredPassword, this.clientName)).isEmpty();
		int livePort = onSecond ? second.port() : RedisTestServer.DEFAULT_PORT;
		assertThat(RedisTestServer.clientsNamed(livePort, onSecond ? PASSWORD : null, this.clientName)).hasSize(1);
	}

	private List<Thread> startWorkers(StatefulRedisConnection<String, String> connection, Tally tally) {
		// a MULTI on a shared connection takes in every command sent meanwhile: the
		// transactions hold the write lock, single commands the read lock
		ReadWriteLock lock = new ReentrantReadWriteLock();
		List<Thread> workers = new ArrayList<>();
		for (int t = 0; t < THREADS; t++) {
			int kind = t % 8;
			int offset = t;
			workers.add(worker("redis-flip-worker-" + t, tally, () -> {
				long n = offset;
				while (tally.running.get()) {
					String key = key(n++);
					try {
						if (kind == 0 && n % 4 == 0) {
							incrementTwiceInATransaction(connection, lock, key, tally);
						}
						else {
							lock.readLock().lock();
							try {
								long value = (kind == 1) ? connection.async().incr(key).get(10, TimeUnit.SECONDS)
										: connection.sync().incr(key);
								if (value < 1) {
									throw new IllegalStateException("INCR answered " + value);
								}
							}
							finally {
								lock.readLock().unlock();
							}
							tally.increments.incrementAndGet();
						}
					}
					catch (Exception ex) {
						tally.failed(ex);
					}
				}
			}));
		}
		return workers;
	}

	private static void incrementTwiceInATransaction(StatefulRedisConnection<String, String> connection,
			ReadWriteLock lock, String key, Tally tally) {
		RedisCommands<String, String> redis = connection.sync();
		lock.writeLock().lock();
		try {
			redis.multi();
			redis.incr(key);
			redis.incr(key);
			TransactionResult result = redis.exec();
			if (result.wasDiscarded() || result.size() != 2) {
				throw new IllegalStateException("EXEC returned " + result.stream().toList());
			}
			tally.increments.addAndGet(2);
		}
		finally {
			lock.writeLock().unlock();
		}
	}

	private static Thread worker(String name, Tally tally, Runnable work) {
		Thread thread = new Thread(work, name);
		thread.start();
		return thread;
	}

	private static void stop(List<Thread> workers, Tally tally) throws InterruptedException {
		tally.running.set(false);
		for (Thread worker : workers) {
			worker.join(30_000);
			assertThat(worker.isAlive()).as(worker.getName() + " stopped").isFalse();
		}
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

}

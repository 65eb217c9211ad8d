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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import dev.hotreload.history.HistoryEntry;
import dev.hotreload.history.ReloadOutcome;
import dev.hotreload.history.ResourceResult;
import dev.hotreload.testsupport.DelayingProxy;
import dev.hotreload.testsupport.jdbc.LiveThreads;
import io.lettuce.core.api.StatefulRedisConnection;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Kills the Redis server an application uses under load, then points the config at a
 * healthy one: the commands issued while the server was dead (never written to it) run on
 * the new server, the old client is closed at once instead of at the drain timeout, and
 * no request started a second after the change fails or waits more than two seconds. A
 * server that falls silent instead (a network partition, a paused process) is left once
 * found silent. For the Spring Data Redis connection factory and for the
 * {@code StatefulRedisConnection} bean.
 *
 * @author hotreload authors
 */
@ExtendWith(OutputCaptureExtension.class)
class RedisDeadServerTests extends AbstractRedisReloadTests {

	private static final int THREADS = 16;

	private static final int LATE_THREADS = 4;

	private static final int ASYNC_KEY = THREADS + LATE_THREADS;

	private static final int REACTIVE_KEY = ASYNC_KEY + 1;

	private static final long ASYNC_COMMANDS = 10;

	private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

	@ParameterizedTest
	@EnumSource
	void leavesAServerKilledUnderLoadWithinASecondOfTheChange(Client client) throws Exception {
		Run run = run(client, true);
		List<Request> afterChange = run.requests()
			.stream()
			.filter((request) -> request.start() >= run.changed() + SECOND)
			.toList();
		assertThat(afterChange).as("requests started a second after the change").isNotEmpty();
		assertThat(afterChange).filteredOn((request) -> !request.ok()).as("failed after the change").isEmpty();
		assertThat(afterChange.stream().mapToLong(Request::waited).max().orElseThrow())
			.as("longest wait after the change (ns)")
			.isLessThanOrEqualTo(2 * SECOND);
		// a command waiting on the dead server at the change runs on the new one; only
		// the ones written around the kill may fail (whether they ran is unknown), and
		// the ones Lettuce failed at once before the change (with the connection's last
		// error) fail as they would without a reload
		assertThat(run.requests())
			.filteredOn((request) -> !request.ok() && request.start() >= run.killed() + SECOND / 5
					&& request.end() >= run.changed())
			.as("failed after the change, issued while the server was dead")
			.isEmpty();
	}

	@ParameterizedTest
	@EnumSource
	void sendsCommandsWaitingOnADeadServerToTheNewOne(Client client) throws Exception {
		Run run = run(client, false);
		assertThat(run.requests()).filteredOn((request) -> !request.ok()).as("failed").isEmpty();
		for (Worker worker : run.workers()) {
			// its first command was issued while the server was dead and waited for the
			// change
			Request first = worker.requests.get(0);
			assertThat(first.start()).isLessThan(run.changed());
			assertThat(first.end()).isGreaterThan(run.changed());
			assertThat(first.end() - run.changed()).as("first command done after the change (ns)")
				.isLessThan(2 * SECOND);
		}
		assertThat(run.async()).hasSize((client != Client.LETTUCE) ? 0 : 2 * (int) ASYNC_COMMANDS);
	}

	@ParameterizedTest
	@EnumSource
	void leavesAServerThatFellSilentUnderLoadOnceFoundSilent(Client client, CapturedOutput output) throws Exception {
		Run run = run(client, true, true);
		String name = (client != Client.LETTUCE) ? "redisConnectionFactory" : "redisConnection";
		assertThat(output).contains(
				"Closed retired " + name + "-g1 of '" + name + "' at once: its server is not answering, and the ");
		// the commands under way when it fell silent fail when the old client closes
		// (whether the server ran them is unknown); nothing else does
		assertThat(run.requests()).filteredOn((request) -> !request.ok())
			.isNotEmpty()
			.allMatch((request) -> request.start() < run.changed());
		List<Request> afterChange = run.requests()
			.stream()
			.filter((request) -> request.start() >= run.changed() + SECOND)
			.toList();
		assertThat(afterChange).as("requests started a second after the change").hasSizeGreaterThan(100);
		assertThat(afterChange.stream().mapToLong(Request::waited).max().orElseThrow())
			.as("longest wait after the change (ns)")
			.isLessThanOrEqualTo(2 * SECOND);
		// the connection that asked the silent server is failed by the old client's
		// shutdown, not left to Lettuce's own timeout (the leak check waits for its
		// thread too)
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(LiveThreads.named("hotreload-probe-")).isEmpty());
	}

	private Run run(Client client, boolean underLoad) throws Exception {
		return run(client, underLoad, false);
	}

	/**
	 * Start an application on a server of its own, kill that server (under load, or
	 * idle), start more workers (and, without Spring Data Redis, async and reactive
	 * commands) while it is dead, then point the config at the shared server. Checks what
	 * every run must show: the change applied, the old client closed well before the
	 * drain timeout, nothing lost or run twice on the new server. With {@code silence},
	 * the server is reached through a proxy that falls silent instead (nothing passed on,
	 * nothing closed), and no more workers start: the old client is closed once found
	 * silent (no command ended for a second, then a new connection had no answer to
	 * {@code PING} within the 1 s validation timeout, twice), long before the 30 s drain
	 * timeout.
	 */
	private Run run(Client client, boolean underLoad, boolean silence) throws Exception {
		boolean springDataRedis = client != Client.LETTUCE;
		RedisTestServer doomed = RedisTestServer.start(null);
		DelayingProxy proxy = new DelayingProxy(doomed.port(), Duration.ZERO);
		Map<String, String> config = new LinkedHashMap<>(configA());
		config.put("spring.data.redis.port", String.valueOf(silence ? proxy.port() : doomed.port()));
		Map<String, String> properties = silence
				? Map.of("hotreload.redis.validation-timeout", "1s", "hotreload.redis.drain-timeout", "30s") : Map.of();
		try (RedisReloadTestApplication app = springDataRedis ? RedisReloadTestApplication.start(config, properties)
				: RedisReloadTestApplication.startWithoutSpringDataRedis(config, properties)) {
			Function<String, @Nullable Long> increment = (client == Client.REACTIVE_SPRING_DATA_REDIS)
					? reactiveIncrementer(app) : incrementer(app);
			Function<String, @Nullable String> get = (client == Client.REACTIVE_SPRING_DATA_REDIS) ? reactiveGetter(app)
					: getter(app);
			// connected before the load starts
			increment.apply(deadKey(REACTIVE_KEY + 1));
			List<Worker> workers = new ArrayList<>();
			if (underLoad) {
				for (int t = 0; t < THREADS; t++) {
					workers.add(new Worker(deadKey(t), increment, get));
				}
				workers.forEach(Worker::start);
			}
			List<CompletableFuture<?>> async = new ArrayList<>();
			long killed;
			long changed;
			HistoryEntry entry;
			try {
				Thread.sleep(500);
				killed = System.nanoTime();
				if (silence) {
					proxy.silence();
					Thread.sleep(500);
				}
				else {
					doomed.kill();
					Thread.sleep(200);
					// started while the server is dead
					for (int t = 0; t < LATE_THREADS; t++) {
						Worker late = new Worker(deadKey(THREADS + t), increment, get);
						workers.add(late);
						late.start();
					}
					if (!springDataRedis) {
						async.addAll(issueAsync(app.bean(StatefulRedisConnection.class)));
					}
					Thread.sleep(300);
				}
				changed = System.nanoTime();
				entry = app.reload(configA());
				Thread.sleep(silence ? 5000 : underLoad ? 3000 : 1000);
			}
			finally {
				for (Worker worker : workers) {
					worker.running = false;
				}
				for (Worker worker : workers) {
					worker.join(30_000);
					assertThat(worker.isAlive()).as(worker.getName() + " stopped").isFalse();
				}
			}
			assertThat(entry.outcome()).as(entry.toString()).isEqualTo(ReloadOutcome.APPLIED);
			assertThat(app.awaitRetired(15_000)).isTrue();
			// the old client was closed as soon as it was known dead (or found silent),
			// not at the drain timeout (10 s, or 30 s)
			assertThat(retiredResults(app)).singleElement().satisfies((result) -> {
				assertThat(result.retireMs()).isNotNull().isLessThan(Duration.ofSeconds(silence ? 6 : 2).toMillis());
				assertThat(result.leaks()).isEmpty();
			});
			assertThat(app.describe().state()).isEqualTo("SERVING");
			// nothing lost or run twice on the new server
			for (Worker worker : workers) {
				assertThat(worker.incrementsOnNewServer()).as("INCRs of %s on the new server", worker.key)
					.isEqualTo(parse(RedisTestServer.cli(RedisTestServer.DEFAULT_PORT, null, "GET", worker.key)));
			}
			if (!springDataRedis && !underLoad) {
				// async and reactive commands issued while it was dead ran on the new
				// server
				CompletableFuture.allOf(async.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
				assertThat(parse(RedisTestServer.cli(RedisTestServer.DEFAULT_PORT, null, "GET", deadKey(ASYNC_KEY))))
					.isEqualTo(ASYNC_COMMANDS);
				assertThat(parse(RedisTestServer.cli(RedisTestServer.DEFAULT_PORT, null, "GET", deadKey(REACTIVE_KEY))))
					.isEqualTo(ASYNC_COMMANDS);
			}
			List<Request> requests = workers.stream().flatMap((worker) -> worker.requests.stream()).toList();
			return new Run(killed, changed, workers, requests, async);
		}
		finally {
			proxy.close();
			doomed.close();
			for (int i = 0; i <= REACTIVE_KEY + 1; i++) {
				RedisTestServer.cli(RedisTestServer.DEFAULT_PORT, null, "DEL", deadKey(i));
			}
		}
	}

	private String deadKey(int index) {
		return this.prefix + "dead:" + index;
	}

	/**
	 * INCR two keys through the async and reactive APIs of a connection whose server is
	 * dead.
	 */
	private List<CompletableFuture<?>> issueAsync(StatefulRedisConnection<String, String> connection) {
		List<CompletableFuture<?>> issued = new ArrayList<>();
		for (int i = 0; i < ASYNC_COMMANDS; i++) {
			issued.add(connection.async().incr(deadKey(ASYNC_KEY)).toCompletableFuture());
			issued.add(connection.reactive().incr(deadKey(REACTIVE_KEY)).toFuture());
		}
		return issued;
	}

	@SuppressWarnings("unchecked")
	private static Function<String, @Nullable String> getter(RedisReloadTestApplication app) {
		if (app.context().containsBean("redisConnectionFactory")) {
			StringRedisTemplate template = app.bean(StringRedisTemplate.class);
			return (key) -> template.opsForValue().get(key);
		}
		StatefulRedisConnection<String, String> connection = app.bean(StatefulRedisConnection.class);
		return (key) -> connection.sync().get(key);
	}

	private static Function<String, @Nullable Long> reactiveIncrementer(RedisReloadTestApplication app) {
		ReactiveStringRedisTemplate template = app.bean(ReactiveStringRedisTemplate.class);
		return (key) -> template.opsForValue().increment(key).block();
	}

	private static Function<String, @Nullable String> reactiveGetter(RedisReloadTestApplication app) {
		ReactiveStringRedisTemplate template = app.bean(ReactiveStringRedisTemplate.class);
		return (key) -> template.opsForValue().get(key).block();
	}

	private static long parse(String reply) {
		return reply.isEmpty() ? 0 : Long.parseLong(reply);
	}

	/**
	 * How the application reaches Redis.
	 */
	enum Client {

		/**
		 * {@code StringRedisTemplate} on hotreload's connection factory.
		 */
		SPRING_DATA_REDIS,

		/**
		 * {@code ReactiveStringRedisTemplate} on hotreload's connection factory.
		 */
		REACTIVE_SPRING_DATA_REDIS,

		/**
		 * The {@code StatefulRedisConnection} bean.
		 */
		LETTUCE

	}

	/**
	 * What a run did.
	 */
	private record Run(long killed, long changed, List<Worker> workers, List<Request> requests,
			List<CompletableFuture<?>> async) {

	}

	/**
	 * One request: when it started and ended, whether it succeeded, for an INCR the value
	 * it returned (else -1), and why it failed.
	 */
	private record Request(long start, long end, boolean ok, long value, @Nullable String error) {

		long waited() {
			return this.end - this.start;
		}

	}

	/**
	 * INCR (three times out of four) and GET of a key of its own, recording every
	 * request.
	 */
	private static final class Worker extends Thread {

		private final String key;

		private final Function<String, @Nullable Long> increment;

		private final Function<String, @Nullable String> get;

		private final List<Request> requests = new ArrayList<>();

		private volatile boolean running = true;

		Worker(String key, Function<String, @Nullable Long> increment, Function<String, @Nullable String> get) {
			super("redis-dead-worker-" + key.substring(key.lastIndexOf(':') + 1));
			this.key = key;
			this.increment = increment;
			this.get = get;
		}

		@Override
		public void run() {
			for (long n = 0; this.running; n++) {
				boolean incr = n % 4 != 3;
				long start = System.nanoTime();
				try {
					long value = -1;
					if (incr) {
						Long result = this.increment.apply(this.key);
						value = (result != null) ? result : 0;
					}
					else {
						this.get.apply(this.key);
					}
					this.requests.add(new Request(start, System.nanoTime(), true, value, null));
				}
				catch (RuntimeException ex) {
					this.requests.add(new Request(start, System.nanoTime(), false, -1, ex.toString()));
				}
			}
		}

		private String summary() {
			long failed = this.requests.stream().filter((request) -> !request.ok()).count();
			String errors = this.requests.stream()
				.map(Request::error)
				.filter((error) -> error != null)
				.distinct()
				.limit(3)
				.toList()
				.toString();
			return this.requests.size() + " requests, " + failed + " failed " + errors + ", last "
					+ this.requests.get(this.requests.size() - 1);
		}

		/**
		 * The INCRs that ran on the new server, checked to be the values 1..a (on the old
		 * server, a may be 0) followed by 1..b (on the new server) with none missing or
		 * repeated; the caller compares b with the new server's counter.
		 * @return b
		 */
		long incrementsOnNewServer() {
			List<Long> values = this.requests.stream()
				.filter((request) -> request.ok() && request.value() >= 0)
				.map(Request::value)
				.toList();
			long expected = 1;
			boolean moved = false;
			for (long value : values) {
				if (value != expected) {
					assertThat(moved).as("%s: one restart of its counter, at %d: %s", this.key, value, summary())
						.isFalse();
					assertThat(value).as("%s: first value on the new server", this.key).isEqualTo(1);
					moved = true;
				}
				expected = value + 1;
			}
			assertThat(values).as("INCRs of %s: %s", this.key, summary()).isNotEmpty();
			return expected - 1;
		}

	}

}

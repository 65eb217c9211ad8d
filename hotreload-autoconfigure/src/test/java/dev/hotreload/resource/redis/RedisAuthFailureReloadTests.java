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

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;

import dev.hotreload.history.HistoryEntry;
import dev.hotreload.history.ReloadHistory;
import dev.hotreload.history.ReloadOutcome;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rotation window for Redis: the password is changed on the server first and in the
 * config only later, with the file neither watched nor polled. When the clients must
 * reconnect, the server refuses the old password, the resource publishes a
 * {@code CredentialsRejectedEvent}, and the engine reads the sources again (trigger
 * {@code auth-failure}) until the new password is applied in place; the clients reconnect
 * with it and every INCR issued meanwhile is counted once. For the Spring Data Redis
 * connection factory and for the {@code StatefulRedisConnection} bean.
 *
 * @author hotreload authors
 */
@ExtendWith(OutputCaptureExtension.class)
class RedisAuthFailureReloadTests extends AbstractRedisReloadTests {

	private static final int THREADS = 16;

	private static final long WINDOW_MILLIS = 10_000;

	private static final String USER = "app";

	private static final String OLD = "old-" + UUID.randomUUID().toString().substring(0, 8);

	private static final String NEW = "new-" + UUID.randomUUID().toString().substring(0, 8);

	private static RedisTestServer acl;

	@BeforeAll
	static void startAclServer() {
		acl = RedisTestServer.startWithUser(USER, OLD);
	}

	@AfterAll
	static void stopAclServer() {
		if (acl != null) {
			acl.close();
		}
	}

	@ParameterizedTest(name = "with Spring Data Redis: {0}")
	@ValueSource(booleans = { true, false })
	void refusedReconnectReadsTheSourcesAgainAndAppliesTheNewPassword(boolean springDataRedis, CapturedOutput output)
			throws Exception {
		acl.cli("ACL", "SETUSER", USER, "resetpass", ">" + OLD);
		Map<String, String> properties = Map.of("hotreload.file.watch", "false", "hotreload.file.poll-interval", "0",
				"hotreload.auth-failure.window", WINDOW_MILLIS + "ms");
		try (RedisReloadTestApplication app = springDataRedis
				? RedisReloadTestApplication.start(userConfig(acl, USER, OLD), properties)
				: RedisReloadTestApplication.startWithoutSpringDataRedis(userConfig(acl, USER, OLD), properties)) {
			ReloadHistory history = app.bean(ReloadHistory.class);
			Tally tally = new Tally();
			// Lettuce sends a command that was in flight when its connection dropped
			// again
			// on the reconnect (at least once): the kill waits for the INCRs in flight,
			// so
			// that none of them can run twice, and the INCRs issued after it wait for the
			// reconnect
			ReadWriteLock kill = new ReentrantReadWriteLock(true);
			Function<String, @Nullable Long> incrementer = incrementer(app);
			List<Thread> workers = startIncrementWorkers((key) -> {
				kill.readLock().lock();
				try {
					return incrementer.apply(key);
				}
				finally {
					kill.readLock().unlock();
				}
			}, tally, THREADS, "redis-auth-failure-worker");
			long appliedAfterMillis;
			long incrementsWhenApplied;
			try {
				Thread.sleep(300);
				assertThat(acl.clientsNamed(this.clientName)).as("connections of the application").isNotEmpty();

				// the server moves first: the open connections stay authenticated
				acl.cli("ACL", "SETUSER", USER, "resetpass", ">" + NEW);
				Thread.sleep(3000);
				// the config follows, but nothing reads it
				app.write(userConfig(acl, USER, NEW));
				Thread.sleep(300);
				assertThat(authFailureEntries(history)).isEmpty();
				long beforeKill = tally.increments.get();
				assertThat(beforeKill).isPositive();

				long killed;
				kill.writeLock().lock();
				try {
					killed = System.nanoTime();
					acl.cli("CLIENT", "KILL", "TYPE", "normal");
				}
				finally {
					kill.writeLock().unlock();
				}
				HistoryEntry applied = awaitAppliedAuthFailure(history, WINDOW_MILLIS + 5_000);
				appliedAfterMillis = (System.nanoTime() - killed) / 1_000_000;
				incrementsWhenApplied = tally.increments.get();
				assertThat(applied).as("APPLIED entry with trigger auth-failure, history: %s", history.entries())
					.isNotNull();
				assertThat(appliedAfterMillis).isLessThan(WINDOW_MILLIS);
				assertThat(applied.resources()).singleElement()
					.satisfies((result) -> assertThat(result.action()).contains("in place")
						.contains("password changed")
						.doesNotContain(NEW)
						.doesNotContain(OLD));
				assertThat(app.describe().generation()).isEqualTo(1);

				// the clients work again, with the new password
				Thread.sleep(1000);
				assertThat(tally.increments.get()).isGreaterThan(incrementsWhenApplied);
				assertThat(acl.clientsNamed(this.clientName)).isNotEmpty()
					.allSatisfy((line) -> assertThat(line).contains(" user=app "));
			}
			finally {
				tally.running.set(false);
				for (Thread worker : workers) {
					worker.join(30_000);
				}
			}
			System.out.println("auth-failure reload applied " + appliedAfterMillis + " ms after the kill; "
					+ tally.increments.get() + " INCRs, " + tally.failures.get() + " failed");
			assertThat(tally.failures.get()).as("failed commands, first: %s", tally.firstFailure.get()).isZero();
			assertThat(counterSum(acl)).isEqualTo(tally.increments.get());
			assertThat(output).contains("refused the credentials of")
				.contains("WRONGPASS")
				.doesNotContain(NEW)
				.doesNotContain(OLD);
		}
		finally {
			for (int i = 0; i < KEYS; i++) {
				acl.cli("DEL", key(i));
			}
		}
	}

	private static List<HistoryEntry> authFailureEntries(ReloadHistory history) {
		return history.entries().stream().filter((entry) -> "auth-failure".equals(entry.trigger())).toList();
	}

	private static @Nullable HistoryEntry awaitAppliedAuthFailure(ReloadHistory history, long timeoutMillis)
			throws InterruptedException {
		long deadline = System.currentTimeMillis() + timeoutMillis;
		while (System.currentTimeMillis() < deadline) {
			for (HistoryEntry entry : authFailureEntries(history)) {
				if (entry.outcome() == ReloadOutcome.APPLIED) {
					return entry;
				}
			}
			Thread.sleep(20);
		}
		return null;
	}

}

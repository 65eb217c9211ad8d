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
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import dev.hotreload.history.HistoryEntry;
import dev.hotreload.history.ReloadOutcome;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rotates the password of an ACL user under load: a change of only the credentials is
 * applied in place, the open connections re-authenticate (same {@code CLIENT LIST} ids,
 * same generation), new connections use the new password, and a wrong one is rejected
 * with nothing changed. For the Spring Data Redis connection factory and for the
 * {@code StatefulRedisConnection} bean.
 *
 * @author hotreload authors
 */
class RedisCredentialRotationTests extends AbstractRedisReloadTests {

	private static final int THREADS = 32;

	private static final String USER = "app";

	private static final String OLD = "old-" + UUID.randomUUID().toString().substring(0, 8);

	private static final String NEW = "new-" + UUID.randomUUID().toString().substring(0, 8);

	private static final String WRONG = "wrong-" + UUID.randomUUID().toString().substring(0, 8);

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
	void rotatesThePasswordInPlaceUnderLoadWithoutReconnecting(boolean springDataRedis) throws Exception {
		acl.cli("ACL", "SETUSER", USER, "resetpass", ">" + OLD);
		acl.cli("ACL", "LOG", "RESET");
		try (RedisReloadTestApplication app = springDataRedis
				? RedisReloadTestApplication.start(userConfig(acl, USER, OLD), Map.of())
				: RedisReloadTestApplication.startWithoutSpringDataRedis(userConfig(acl, USER, OLD), Map.of())) {
			Tally tally = new Tally();
			Set<String> ids;
			List<Thread> workers = startIncrementWorkers(incrementer(app), tally, THREADS, "redis-rotation-worker");
			try {
				Thread.sleep(300);
				ids = clientIds();
				assertThat(ids).as("connections of the application").isNotEmpty();
				assertThat(acl.clientsNamed(this.clientName))
					.allSatisfy((line) -> assertThat(line).contains(" user=app "));
				long authsBefore = authCalls();
				long deniedBefore = deniedAuths();

				// the server accepts both, the config moves to the new one, then the old
				// one is dropped
				acl.cli("ACL", "SETUSER", USER, ">" + NEW);
				HistoryEntry rotated = app.reload(userConfig(acl, USER, NEW));
				assertThat(rotated.outcome()).as(rotated.toString()).isEqualTo(ReloadOutcome.APPLIED);
				assertThat(rotated.resources()).singleElement()
					.satisfies((result) -> assertThat(result.action()).contains("in place")
						.contains("password changed")
						.doesNotContain(NEW));
				assertThat(app.describe().generation()).isEqualTo(1);
				acl.cli("ACL", "SETUSER", USER, "<" + OLD);
				Thread.sleep(500);
				// every open connection sent AUTH with the new password, none failed
				assertThat(authCalls() - authsBefore).isGreaterThanOrEqualTo(ids.size());
				assertThat(deniedAuths()).isEqualTo(deniedBefore);

				HistoryEntry wrong = app.reload(userConfig(acl, USER, WRONG));
				assertThat(wrong.outcome()).as(wrong.toString()).isEqualTo(ReloadOutcome.REJECTED);
				assertThat(wrong.error()).contains("WRONGPASS").doesNotContain(WRONG).doesNotContain(NEW);
				assertThat(app.describe().generation()).isEqualTo(1);
				long authsAfterWrong = authCalls();
				Thread.sleep(300);
				// nothing was sent to the open connections
				assertThat(authCalls()).isEqualTo(authsAfterWrong);
				assertThat(clientIds()).as("connections after the rotation").isEqualTo(ids);
			}
			finally {
				tally.running.set(false);
				for (Thread worker : workers) {
					worker.join(30_000);
				}
			}
			assertThat(tally.failures.get()).as("failed commands, first: %s", tally.firstFailure.get()).isZero();
			assertThat(tally.increments.get()).isPositive();
			assertThat(counterSum(acl)).isEqualTo(tally.increments.get());

			// a new connection authenticates with the new password (the old one is gone)
			long denied = deniedAuths();
			acl.cli("CLIENT", "KILL", "USER", USER);
			assertThat(increment(app, key(0))).isNotNull();
			assertThat(counterSum(acl)).isEqualTo(tally.increments.get() + 1);
			assertThat(deniedAuths()).isEqualTo(denied);
			assertThat(clientIds()).isNotEmpty().doesNotContainAnyElementsOf(ids);
		}
		finally {
			for (int i = 0; i < KEYS; i++) {
				acl.cli("DEL", key(i));
			}
		}
	}

	private Set<String> clientIds() {
		Set<String> ids = new TreeSet<>();
		for (String line : acl.clientsNamed(this.clientName)) {
			ids.add(line.substring(line.indexOf("id=") + 3, line.indexOf(' ')));
		}
		return ids;
	}

	private long authCalls() {
		String stats = acl.info("commandstats", "cmdstat_auth");
		if (stats.isEmpty()) {
			return 0;
		}
		return Long.parseLong(stats.substring(stats.indexOf("calls=") + 6, stats.indexOf(',')));
	}

	/**
	 * Failed authentications, from the server's {@code ACL LOG}.
	 */
	private long deniedAuths() {
		List<String> log = acl.cli("ACL", "LOG").lines().map(String::trim).toList();
		long denied = 0;
		long count = 0;
		for (int i = 0; i + 1 < log.size(); i++) {
			if (log.get(i).equals("count")) {
				count = Long.parseLong(log.get(i + 1));
			}
			else if (log.get(i).equals("reason") && log.get(i + 1).equals("auth")) {
				denied += count;
			}
		}
		return denied;
	}

}

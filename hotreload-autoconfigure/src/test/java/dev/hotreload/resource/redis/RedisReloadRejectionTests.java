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
import java.util.List;
import java.util.Map;

import dev.hotreload.history.HistoryEntry;
import dev.hotreload.history.ReloadHistory;
import dev.hotreload.history.ReloadOutcome;
import dev.hotreload.resource.ResourceDescriptor;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad Redis changes under load: each is rejected with Lettuce's reason, the previous
 * client keeps serving every command, and the failed candidate leaves nothing behind.
 *
 * @author hotreload authors
 */
class RedisReloadRejectionTests extends AbstractRedisReloadTests {

	private static final int THREADS = 8;

	@Test
	void rejectsBadChangesUnderLoadAndKeepsServing() throws Exception {
		try (RedisReloadTestApplication app = RedisReloadTestApplication.start(configA(),
				Map.of("hotreload.redis.validation-timeout", "1s"))) {
			StringRedisTemplate template = app.bean(StringRedisTemplate.class);
			try {
				template.opsForValue().increment(key(0));
				Tally tally = new Tally();
				tally.increments.incrementAndGet();
				int threadsBefore = liveThreads();
				List<Thread> workers = startIncrementWorkers(template, tally, THREADS, "redis-reject-worker");

				assertRejected(app, with(configB(), "spring.data.redis.password", "not-" + PASSWORD), "WRONGPASS");
				assertRejected(app,
						with(configB(), "spring.data.redis.port", String.valueOf(RedisTestServer.freePort())),
						"refused");
				assertRejected(app, with(configA(), "spring.data.redis.database", "99"), "DB index is out of range");
				assertRejected(app, with(configA(), "spring.data.redis.host", "no-such-host.invalid"),
						"no-such-host.invalid");
				assertRejected(app,
						with(configA(), "spring.data.redis.url", "redis://user:" + PASSWORD + "@127.0.0.1:notaport"),
						"spring.data.redis.*");
				try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
					// accepts connections (in the kernel's backlog) and never answers
					assertRejected(app,
							with(configA(), "spring.data.redis.port", String.valueOf(silent.getLocalPort())),
							"hotreload.redis.validation-timeout");
				}

				tally.running.set(false);
				for (Thread worker : workers) {
					worker.join(30_000);
				}
				assertThat(tally.failures.get()).as("failed commands, first: %s", tally.firstFailure.get()).isZero();
				assertThat(counterSum()).isEqualTo(tally.increments.get());
				assertThat(app.factory().getGeneration()).isEqualTo(1);
				assertThat(app.factory().retiring()).isEmpty();
				// nothing left behind by the failed candidates
				assertThat(otherClients(second)).as("connections on the second server").isEmpty();
				assertThat(awaitNoThreadNamed("hotreload-validate-")).isTrue();
				assertThat(awaitThreadsAtMost(threadsBefore + 2)).isLessThanOrEqualTo(threadsBefore + 2);

				// and a good change still applies afterwards
				assertThat(app.reload(configB()).outcome()).isEqualTo(ReloadOutcome.APPLIED);
				assertThat(template.opsForValue().increment(key(0))).isEqualTo(1);
				ResourceDescriptor descriptor = app.describe();
				// every rejected candidate had a number of its own, never used again
				long rejected = app.context()
					.getBean(ReloadHistory.class)
					.entries()
					.stream()
					.filter((entry) -> entry.outcome() == ReloadOutcome.REJECTED)
					.count();
				assertThat(rejected).isGreaterThanOrEqualTo(6);
				assertThat(descriptor.generation()).isEqualTo(1 + rejected + 1);
				assertThat(descriptor.details()).containsEntry("target", "127.0.0.1:" + second.port() + "/0");
				assertThat(descriptor.toString()).doesNotContain(PASSWORD);
			}
			finally {
				deleteCounters();
			}
		}
	}

	private void assertRejected(RedisReloadTestApplication app, Map<String, String> config, String reason) {
		String before = app.target();
		HistoryEntry entry = app.reload(config);
		assertThat(entry.outcome()).as(entry.toString()).isEqualTo(ReloadOutcome.REJECTED);
		assertThat(entry.error()).contains("redis resource 'redisConnectionFactory'").contains(reason);
		assertThat(entry.error()).doesNotContain(PASSWORD);
		assertThat(app.factory().getGeneration()).isEqualTo(1);
		assertThat(app.target()).isEqualTo(before);
		// the engine left the previous file content live: restore the file for the next
		app.reload(configA());
	}

	private static List<String> otherClients(RedisTestServer server) {
		return server.cli("CLIENT", "LIST").lines().filter((line) -> !line.contains("cmd=client")).toList();
	}

}

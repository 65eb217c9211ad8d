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

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import dev.hotreload.history.ReloadOutcome;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A SCAN cursor belongs to the server that issued it: an iteration of the reloadable
 * {@code StatefulRedisConnection} that spans a reload never sends it to the next server
 * (where it would miss keys or return some twice), it fails with a clear error instead.
 */
class RedisConnectionScanTests extends AbstractRedisReloadTests {

	private static final int KEYS_PER_SERVER = 300;

	@Test
	@SuppressWarnings("unchecked")
	void scanIterationThatSpansAReloadNeverMixesServers() throws Exception {
		Set<String> onA = write(RedisURI.create("127.0.0.1", RedisTestServer.DEFAULT_PORT), "a");
		RedisURI b = RedisURI.create("127.0.0.1", second.port());
		b.setPassword(PASSWORD.toCharArray());
		Set<String> onB = write(b, "b");
		try (RedisReloadTestApplication app = RedisReloadTestApplication.startWithoutSpringDataRedis(configA(),
				Map.of("hotreload.redis.drain-timeout", "2s"))) {
			StatefulRedisConnection<String, String> connection = app.bean(StatefulRedisConnection.class);
			ScanArgs args = ScanArgs.Builder.matches(this.prefix + "*").limit(20);
			KeyScanCursor<String> first = connection.sync().scan(args);
			assertThat(first.isFinished()).isFalse();
			Set<String> seen = new HashSet<>(first.getKeys());

			assertThat(app.reload(configB()).outcome()).isEqualTo(ReloadOutcome.APPLIED);
			assertThat(app.awaitRetired(10_000)).isTrue();

			assertThatExceptionOfType(RedisException.class).isThrownBy(() -> connection.sync().scan(first, args))
				.withMessageContaining("generation 1")
				.withMessageContaining("restart the iteration");
			assertThat(seen).isNotEmpty().isSubsetOf(onA);
			// an iteration started after the reload runs on the new server, whole
			assertThat(scanAll(connection.sync(), args)).isEqualTo(onB);
		}
		finally {
			delete(RedisURI.create("127.0.0.1", RedisTestServer.DEFAULT_PORT), onA);
			delete(b, onB);
		}
	}

	private static Set<String> scanAll(RedisCommands<String, String> commands, ScanArgs args) {
		Set<String> keys = new HashSet<>();
		ScanCursor cursor = ScanCursor.INITIAL;
		do {
			KeyScanCursor<String> next = commands.scan(cursor, args);
			keys.addAll(next.getKeys());
			cursor = next;
		}
		while (!cursor.isFinished());
		return keys;
	}

	private Set<String> write(RedisURI uri, String server) {
		RedisClient client = RedisClient.create(uri);
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			Map<String, String> values = new LinkedHashMap<>();
			for (int i = 0; i < KEYS_PER_SERVER; i++) {
				values.put(this.prefix + server + ":" + i, server);
			}
			connection.sync().mset(values);
			return values.keySet();
		}
		finally {
			client.shutdown();
		}
	}

	private static void delete(RedisURI uri, Set<String> keys) {
		RedisClient client = RedisClient.create(uri);
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			connection.sync().del(keys.toArray(String[]::new));
		}
		finally {
			client.shutdown();
		}
	}

}

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
import java.util.stream.Collectors;

import dev.hotreload.history.HistoryEntry;
import dev.hotreload.history.ReloadOutcome;
import dev.hotreload.history.ResourceResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Moves a running Spring Data Redis application from a standalone server to a real
 * three-node Redis Cluster and back.
 *
 * @author hotreload authors
 */
class RedisClusterReloadTests extends AbstractRedisReloadTests {

	private static List<RedisTestServer> cluster;

	@BeforeAll
	static void startCluster() {
		cluster = RedisTestServer.startCluster();
	}

	@AfterAll
	static void stopCluster() {
		if (cluster != null) {
			cluster.forEach(RedisTestServer::close);
		}
	}

	@Test
	void movesToAClusterAndBack() throws Exception {
		try (RedisReloadTestApplication app = RedisReloadTestApplication.start(configA(), Map.of())) {
			StringRedisTemplate template = app.bean(StringRedisTemplate.class);
			try {
				HistoryEntry toCluster = app.reload(clusterConfig());
				assertThat(toCluster.outcome()).as("%s", toCluster.error()).isEqualTo(ReloadOutcome.APPLIED);
				assertThat(app.target()).startsWith("cluster ");
				for (int i = 0; i < KEYS; i++) {
					assertThat(template.opsForValue().increment(key(i))).isEqualTo(1);
				}
				// reactive commands too (a cluster-aware factory's reactive connection is
				// a
				// cluster connection)
				ReactiveStringRedisTemplate reactive = app.bean(ReactiveStringRedisTemplate.class);
				for (int i = 0; i < KEYS; i++) {
					assertThat(reactive.opsForValue().increment(key(i)).block()).isEqualTo(2);
				}
				// the keys landed on the cluster, spread over its masters
				long onCluster = 0;
				int mastersUsed = 0;
				for (RedisTestServer node : cluster) {
					long here = Long.parseLong(node.cli("DBSIZE"));
					onCluster += here;
					mastersUsed += (here > 0) ? 1 : 0;
				}
				assertThat(onCluster).isEqualTo(KEYS);
				assertThat(mastersUsed).isGreaterThan(1);
				assertThat(RedisTestServer.cli(RedisTestServer.DEFAULT_PORT, null, "GET", key(0))).isEmpty();

				assertThat(app.reload(configA()).outcome()).isEqualTo(ReloadOutcome.APPLIED);
				assertThat(template.opsForValue().increment(key(0))).isEqualTo(1);
				assertThat(app.awaitRetired(15_000)).isTrue();
				assertThat(retiredResults(app)).hasSize(2)
					.allSatisfy((result) -> assertThat(result.state()).isEqualTo(ResourceResult.State.RETIRED));
				for (RedisTestServer node : cluster) {
					assertThat(node.clientsNamed(this.clientName)).as("clients on %d", node.port()).isEmpty();
				}
			}
			finally {
				deleteCounters();
				cluster.forEach((node) -> node.cli("FLUSHALL"));
			}
		}
	}

	private Map<String, String> clusterConfig() {
		Map<String, String> config = new LinkedHashMap<>();
		config.put("spring.data.redis.cluster.nodes",
				cluster.stream().map((node) -> "127.0.0.1:" + node.port()).collect(Collectors.joining(",")));
		config.put("spring.data.redis.client-name", this.clientName);
		return config;
	}

}

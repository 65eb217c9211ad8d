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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.hotreload.history.ReloadOutcome;
import dev.hotreload.history.ResourceResult;
import dev.hotreload.resource.ResourceDescriptor;
import org.junit.jupiter.api.Test;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.RedisOperations;
import org.springframework.data.redis.core.SessionCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Connections in use when the client is swapped finish on the client they started on: the
 * old client is destroyed only once they are closed, or at the drain timeout.
 *
 * @author hotreload authors
 */
class RedisReloadDrainTests extends AbstractRedisReloadTests {

	@Test
	void drainsTransactionInFlightBeforeClosingOldClient() throws Exception {
		try (RedisReloadTestApplication app = RedisReloadTestApplication.start(configA(), Map.of())) {
			StringRedisTemplate template = app.bean(StringRedisTemplate.class);
			CountDownLatch inTransaction = new CountDownLatch(1);
			CountDownLatch finish = new CountDownLatch(1);
			CompletableFuture<List<Object>> transaction = CompletableFuture
				.supplyAsync(() -> template.execute(new HeldTransaction(key(0), inTransaction, finish)));
			try {
				assertThat(inTransaction.await(10, TimeUnit.SECONDS)).isTrue();
				assertThat(app.reload(configB()).outcome()).isEqualTo(ReloadOutcome.APPLIED);
				Thread.sleep(300);
				ResourceDescriptor descriptor = app.describe();
				assertThat(descriptor.state()).isEqualTo("RETIRING");
				assertThat(descriptor.details().get("retiring"))
					.asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.list(Map.class))
					.singleElement()
					.satisfies((retiring) -> assertThat(retiring).containsEntry("inFlight", 1)
						.containsEntry("generation", 1L));
				// new commands go to the new server meanwhile
				assertThat(template.opsForValue().increment(key(1))).isEqualTo(1);
				assertThat(second.cli("GET", key(1))).isEqualTo("1");
				finish.countDown();
				assertThat(transaction.get(10, TimeUnit.SECONDS)).containsExactly(1L, 2L);
				assertThat(app.awaitRetired(10_000)).isTrue();
				assertThat(RedisTestServer.cli(RedisTestServer.DEFAULT_PORT, null, "GET", key(0))).isEqualTo("2");
				assertThat(second.cli("GET", key(0))).isEmpty();
				assertThat(retiredResults(app)).singleElement().satisfies((result) -> {
					assertThat(result.state()).isEqualTo(ResourceResult.State.RETIRED);
					assertThat(result.connectionsCut()).isZero();
				});
			}
			finally {
				finish.countDown();
				deleteCounters();
			}
		}
	}

	@Test
	void cutsConnectionsStillInUseAtTheDrainTimeout() throws Exception {
		try (RedisReloadTestApplication app = RedisReloadTestApplication.start(configA(),
				Map.of("hotreload.redis.drain-timeout", "500ms"))) {
			StringRedisTemplate template = app.bean(StringRedisTemplate.class);
			CountDownLatch inTransaction = new CountDownLatch(1);
			CountDownLatch finish = new CountDownLatch(1);
			CompletableFuture<List<Object>> transaction = CompletableFuture
				.supplyAsync(() -> template.execute(new HeldTransaction(key(0), inTransaction, finish)));
			try {
				assertThat(inTransaction.await(10, TimeUnit.SECONDS)).isTrue();
				assertThat(app.reload(configB()).outcome()).isEqualTo(ReloadOutcome.APPLIED);
				assertThat(app.awaitRetired(10_000)).isTrue();
				assertThat(retiredResults(app)).singleElement().satisfies((result) -> {
					assertThat(result.state()).isEqualTo(ResourceResult.State.RETIRED_FORCED);
					assertThat(result.connectionsCut()).isOne();
				});
			}
			finally {
				finish.countDown();
				transaction.handle((result, failure) -> null).get(10, TimeUnit.SECONDS);
				deleteCounters();
			}
		}
	}

	/**
	 * MULTI, INCR, wait, INCR, EXEC.
	 */
	private record HeldTransaction(String key, CountDownLatch started,
			CountDownLatch finish) implements SessionCallback<List<Object>> {

		@Override
		@SuppressWarnings("unchecked")
		public <K, V> List<Object> execute(RedisOperations<K, V> operations) throws DataAccessException {
			RedisOperations<String, String> strings = (RedisOperations<String, String>) operations;
			strings.multi();
			strings.opsForValue().increment(this.key);
			this.started.countDown();
			try {
				this.finish.await(30, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			strings.opsForValue().increment(this.key);
			return strings.exec();
		}

	}

}

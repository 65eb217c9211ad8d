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
import java.util.concurrent.CopyOnWriteArrayList;

import dev.hotreload.history.HistoryEntry;
import dev.hotreload.history.ReloadOutcome;
import dev.hotreload.history.ResourceResult;
import dev.hotreload.resource.PreparedChange;
import dev.hotreload.resource.ReloadContext;
import dev.hotreload.resource.ReloadableResource;
import dev.hotreload.resource.ResourceDescriptor;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A reload that changes Redis and another resource (standing for a DataSource) applies to
 * both or to neither.
 *
 * @author hotreload authors
 */
class RedisReloadAllOrNothingTests extends AbstractRedisReloadTests {

	private static final String OTHER_KEY = "spring.datasource.url";

	@ParameterizedTest(name = "with Spring Data Redis: {0}")
	@ValueSource(booleans = { true, false })
	void changeThatFailsOnRedisAppliesToNeither(boolean springDataRedis) {
		Map<String, String> before = with(configA(), OTHER_KEY, "jdbc:postgresql://127.0.0.1:5432/test");
		try (RedisReloadTestApplication app = start(springDataRedis, before, FirstResource.class)) {
			Recorder first = app.bean(FirstResource.class).recorder;
			Map<String, String> after = with(with(configB(), "spring.data.redis.password", "not-" + PASSWORD),
					OTHER_KEY, "jdbc:postgresql://127.0.0.1:5432/other");
			HistoryEntry entry = app.reload(after);
			assertThat(entry.outcome()).isEqualTo(ReloadOutcome.REJECTED);
			assertThat(entry.error()).contains("WRONGPASS");
			assertThat(first.events).containsExactly("prepare", "rollback");
			assertThat(app.bean(Environment.class).getProperty(OTHER_KEY))
				.isEqualTo("jdbc:postgresql://127.0.0.1:5432/test");
			assertThat(app.describe().generation()).isEqualTo(1);
			assertThat(increment(app, key(0))).isEqualTo(1);
		}
		finally {
			deleteCounters();
		}
	}

	@ParameterizedTest(name = "with Spring Data Redis: {0}")
	@ValueSource(booleans = { true, false })
	void validRedisChangeIsDiscardedWhenAnotherResourceFails(boolean springDataRedis) throws Exception {
		Map<String, String> before = with(configA(), OTHER_KEY, "jdbc:postgresql://127.0.0.1:5432/test");
		try (RedisReloadTestApplication app = start(springDataRedis, before, LastResource.class)) {
			HistoryEntry entry = app.reload(with(configB(), OTHER_KEY, "jdbc:postgresql://127.0.0.1:1/fails"));
			assertThat(entry.outcome()).isEqualTo(ReloadOutcome.REJECTED);
			assertThat(entry.error()).contains("refused by the test");
			String redis = app.resource().name();
			assertThat(entry.resources()).filteredOn((result) -> result.name().equals(redis))
				.singleElement()
				.satisfies((result) -> assertThat(result.state()).isEqualTo(ResourceResult.State.DISCARDED));
			assertThat(app.describe().generation()).isEqualTo(1);
			assertThat(app.target()).endsWith(":" + RedisTestServer.DEFAULT_PORT + "/0");
			assertThat(app.describe().state()).isEqualTo("SERVING");
			// the discarded candidate closed its connection to the second server
			assertThat(RedisTestServer.clientsNamed(second.port(), PASSWORD, this.clientName)).isEmpty();
			assertThat(increment(app, key(0))).isEqualTo(1);
		}
		finally {
			deleteCounters();
		}
	}

	private static RedisReloadTestApplication start(boolean springDataRedis, Map<String, String> config,
			Class<?> resource) {
		return springDataRedis ? RedisReloadTestApplication.start(config, Map.of(), resource)
				: RedisReloadTestApplication.startWithoutSpringDataRedis(config, Map.of(), resource);
	}

	/**
	 * Records what the engine asks of a resource.
	 */
	static final class Recorder implements ReloadableResource {

		final List<String> events = new CopyOnWriteArrayList<>();

		private final String name;

		private final boolean fails;

		Recorder(String name, boolean fails) {
			this.name = name;
			this.fails = fails;
		}

		@Override
		public String name() {
			return this.name;
		}

		@Override
		public String type() {
			return "test";
		}

		@Override
		public @Nullable PreparedChange prepare(ReloadContext context) {
			if (!context.changedUnder("spring.datasource")) {
				return null;
			}
			this.events.add("prepare");
			if (this.fails) {
				throw new IllegalStateException("refused by the test");
			}
			return new PreparedChange() {

				@Override
				public String description() {
					return "test change";
				}

				@Override
				public long generation() {
					return 2;
				}

				@Override
				public void commit() {
					Recorder.this.events.add("commit");
				}

				@Override
				public void rollback() {
					Recorder.this.events.add("rollback");
				}

			};
		}

		@Override
		public ResourceDescriptor describe() {
			return new ResourceDescriptor(this.name, "test", 1, "SERVING", Map.of());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class FirstResource {

		final Recorder recorder = new Recorder("first", false);

		@Bean
		@Order(Ordered.HIGHEST_PRECEDENCE)
		Recorder firstRecorder() {
			return this.recorder;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class LastResource {

		/**
		 * Registers a failing resource after every singleton, so that the engine prepares
		 * it after the Redis resource (registered when the connection factory is).
		 */
		@Bean
		static SmartInitializingSingleton lastRecorderRegistrar(ConfigurableListableBeanFactory beanFactory) {
			return () -> beanFactory.registerSingleton("lastRecorder", new Recorder("last", true));
		}

	}

}

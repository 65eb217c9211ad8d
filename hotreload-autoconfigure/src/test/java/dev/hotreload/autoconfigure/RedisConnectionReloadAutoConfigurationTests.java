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

package dev.hotreload.autoconfigure;

import dev.hotreload.resource.ReloadableResource;
import dev.hotreload.resource.ResourceDescriptor;
import dev.hotreload.resource.redis.ReloadableRedisConnection;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.resource.ClientResources;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RedisConnectionReloadAutoConfiguration}, against the Redis server on
 * {@code 127.0.0.1:6379}.
 *
 * @author hotreload authors
 */
class RedisConnectionReloadAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(HotReloadAutoConfiguration.class, RedisConnectionReloadAutoConfiguration.class))
		.withClassLoader(new FilteredClassLoader("org.springframework.data.redis."))
		.withPropertyValues("spring.data.redis.host=127.0.0.1", "spring.data.redis.port=6379");

	@Test
	void providesAReloadableStringConnectionWhenSpringDataRedisIsAbsent() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(StatefulRedisConnection.class).hasSingleBean(ClientResources.class);
			ReloadableRedisConnection connection = context.getBean("redisConnection", ReloadableRedisConnection.class);
			assertThat(connection.sync().ping()).isEqualTo("PONG");
			assertThat(connection.async().echo("hello").get()).isEqualTo("hello");
			assertThat(connection.reactive().echo("again").block()).isEqualTo("again");
			assertThat(connection.sync().getStatefulConnection()).isSameAs(connection);
			// the resource that reloads it sits beside it, named like the factory's
			assertThat(context.getBeansOfType(ReloadableResource.class)).containsOnlyKeys("redisConnection.hotreload");
			ReloadableResource resource = context.getBean("redisConnection.hotreload", ReloadableResource.class);
			assertThat(resource).isSameAs(connection.reloadableResource());
			assertThat(resource.name()).isEqualTo("redisConnection");
			// a command's count is given back just after its caller has the reply
			long deadline = System.currentTimeMillis() + 5_000;
			while (!Integer.valueOf(0).equals(resource.describe().details().get("inFlight"))
					&& System.currentTimeMillis() < deadline) {
				Thread.sleep(10);
			}
			ResourceDescriptor descriptor = resource.describe();
			assertThat(descriptor.type()).isEqualTo("redis");
			assertThat(descriptor.generation()).isEqualTo(1);
			assertThat(descriptor.state()).isEqualTo("SERVING");
			assertThat(descriptor.details()).containsEntry("target", "127.0.0.1:6379/0").containsEntry("inFlight", 0);
		});
	}

	@Test
	void closesTheConnectionWithTheContext() {
		ReloadableRedisConnection[] connection = new ReloadableRedisConnection[1];
		this.runner.run((context) -> {
			connection[0] = context.getBean(ReloadableRedisConnection.class);
			assertThat(connection[0].isOpen()).isTrue();
		});
		assertThat(connection[0].isOpen()).isFalse();
	}

	@Test
	void backsOffWhenSpringDataRedisIsPresent() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, HotReloadAutoConfiguration.class,
					RedisConnectionReloadAutoConfiguration.class))
			.withPropertyValues("spring.data.redis.host=127.0.0.1")
			.run((context) -> assertThat(context).doesNotHaveBean(StatefulRedisConnection.class));
	}

	@Test
	void backsOffWhenNoRedisKeyIsSet() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(HotReloadAutoConfiguration.class,
					RedisConnectionReloadAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader("org.springframework.data.redis."))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(StatefulRedisConnection.class));
	}

	@Test
	void backsOffWhenRedisReloadIsDisabled() {
		this.runner.withPropertyValues("hotreload.redis.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(StatefulRedisConnection.class));
	}

	@Test
	void backsOffWhenHotReloadIsDisabled() {
		this.runner.withPropertyValues("hotreload.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(StatefulRedisConnection.class));
	}

	@Test
	void backsOffWithoutLettuce() {
		this.runner.withClassLoader(new FilteredClassLoader(RedisClient.class))
			.run((context) -> assertThat(context).doesNotHaveBean(ReloadableRedisConnection.class));
	}

	@Test
	void backsOffWhenTheApplicationBuildsItsOwnClient() {
		this.runner.withUserConfiguration(OwnClientConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(RedisClient.class);
			assertThat(context).doesNotHaveBean(ReloadableRedisConnection.class);
		});
	}

	@Test
	void failsAtStartupWithTheReasonWhenTheServerRefuses() {
		this.runner.withPropertyValues("spring.data.redis.port=1", "spring.data.redis.password=s3cr3t-value")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("refused");
				assertThat(context.getStartupFailure())
					.hasMessageContaining("new connection for 127.0.0.1:1/0 failed validation")
					.hasMessageNotContaining("s3cr3t-value");
			});
	}

	@Test
	void refusesAClusterWithAClearMessage() {
		this.runner.withPropertyValues("spring.data.redis.cluster.nodes=127.0.0.1:7000,127.0.0.1:7001")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).hasMessageContaining("spring.data.redis.cluster.nodes is set")
					.hasMessageContaining("use Spring Data Redis for a cluster");
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnClientConfiguration {

		@Bean(destroyMethod = "shutdown")
		RedisClient redisClient() {
			return RedisClient.create("redis://127.0.0.1:6379");
		}

	}

}

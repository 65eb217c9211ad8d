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
import dev.hotreload.resource.redis.RedisReloadBeanPostProcessor;
import dev.hotreload.resource.redis.ReloadableRedisConnectionFactory;
import io.lettuce.core.RedisClient;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RedisReloadAutoConfiguration}.
 *
 * @author hotreload authors
 */
class RedisReloadAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(AutoConfigurations
		.of(DataRedisAutoConfiguration.class, HotReloadAutoConfiguration.class, RedisReloadAutoConfiguration.class));

	@Test
	void servesTheLettuceConnectionFactoryThroughAReloadableOne() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(RedisReloadBeanPostProcessor.class);
			assertThat(context.getBean(RedisConnectionFactory.class))
				.isInstanceOf(ReloadableRedisConnectionFactory.class);
			assertThat(context.getBean("redisConnectionFactory.hotreload", ReloadableResource.class))
				.satisfies((resource) -> {
					assertThat(resource.name()).isEqualTo("redisConnectionFactory");
					assertThat(resource.type()).isEqualTo("redis");
					assertThat(resource.describe().generation()).isEqualTo(1);
					assertThat(resource.describe().details()).containsEntry("target", "localhost:6379/0");
				});
		});
	}

	@Test
	void leavesTheFactoryAloneWhenRedisReloadIsDisabled() {
		this.runner.withPropertyValues("hotreload.redis.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(RedisReloadBeanPostProcessor.class);
			assertThat(context.getBean(RedisConnectionFactory.class)).isInstanceOf(LettuceConnectionFactory.class);
		});
	}

	@Test
	void leavesTheFactoryAloneWhenHotReloadIsDisabled() {
		this.runner.withPropertyValues("hotreload.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(RedisReloadBeanPostProcessor.class);
			assertThat(context.getBean(RedisConnectionFactory.class)).isInstanceOf(LettuceConnectionFactory.class);
		});
	}

	@Test
	void backsOffWithoutLettuce() {
		this.runner.withClassLoader(new FilteredClassLoader(RedisClient.class))
			.run((context) -> assertThat(context).doesNotHaveBean(RedisReloadBeanPostProcessor.class));
	}

	@Test
	void describesTheTargetWithoutThePassword() {
		this.runner.withPropertyValues("spring.data.redis.password=s3cr3t-value", "spring.data.redis.database=3")
			.run((context) -> {
				ReloadableResource resource = context.getBean("redisConnectionFactory.hotreload",
						ReloadableResource.class);
				assertThat(resource.describe().details()).containsEntry("target", "localhost:6379/3");
				assertThat(resource.describe().toString()).doesNotContain("s3cr3t-value");
			});
	}

}

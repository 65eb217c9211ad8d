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

import dev.hotreload.engine.ReloadEngine;
import dev.hotreload.resource.redis.RedisCredentialsCustomizer;
import dev.hotreload.resource.redis.RedisReauthenticationCustomizer;
import dev.hotreload.resource.redis.RedisReloadBeanPostProcessor;
import io.lettuce.core.RedisClient;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Auto-configuration of reloadable Redis clients: every {@link LettuceConnectionFactory}
 * bean is served through a reloadable factory that follows changes of
 * {@code spring.data.redis.*}. The clients Spring Boot builds get credentials that a
 * change of only the user name or password rotates in place.
 *
 * @author hotreload authors
 */
@AutoConfiguration(after = HotReloadAutoConfiguration.class)
@ConditionalOnClass({ LettuceConnectionFactory.class, RedisClient.class, DataRedisAutoConfiguration.class })
@ConditionalOnBooleanProperty(name = "hotreload.redis.enabled", matchIfMissing = true)
@ConditionalOnBean(ReloadEngine.class)
public final class RedisReloadAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	static RedisReloadBeanPostProcessor hotReloadRedisBeanPostProcessor(
			ObjectProvider<HotReloadProperties> properties) {
		return new RedisReloadBeanPostProcessor(() -> properties.getObject().getRedis().getValidationTimeout(),
				() -> properties.getObject().getRedis().getDrainTimeout());
	}

	@Bean
	@ConditionalOnMissingBean
	RedisCredentialsCustomizer hotReloadRedisCredentialsCustomizer() {
		return new RedisCredentialsCustomizer();
	}

	@Bean
	@ConditionalOnMissingBean
	RedisReauthenticationCustomizer hotReloadRedisReauthenticationCustomizer() {
		return new RedisReauthenticationCustomizer();
	}

}

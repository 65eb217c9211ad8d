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
import dev.hotreload.resource.ReloadableResource;
import dev.hotreload.resource.ResourceBeanPostProcessor;
import dev.hotreload.resource.redis.ReloadableRedisConnection;
import dev.hotreload.support.SecretSanitizer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Auto-configuration of a reloadable {@code StatefulRedisConnection<String, String>} bean
 * named {@code redisConnection} (and its reloadable resource,
 * {@code redisConnection.hotreload}) for applications that use lettuce-core without
 * Spring Data Redis: it is built from the {@code spring.data.redis.*} keys and follows
 * their changes. It backs off when Spring Data Redis is on the class path (then
 * {@link RedisReloadAutoConfiguration} makes the connection factory reloadable), when the
 * application defines its own {@link StatefulRedisConnection} or {@link RedisClient}, and
 * when no {@code spring.data.redis.*} key is set.
 *
 * @author hotreload authors
 */
@AutoConfiguration(after = HotReloadAutoConfiguration.class)
@ConditionalOnClass(RedisClient.class)
@ConditionalOnMissingClass("org.springframework.data.redis.connection.RedisConnectionFactory")
@ConditionalOnBooleanProperty(name = "hotreload.redis.enabled", matchIfMissing = true)
@ConditionalOnBean(ReloadEngine.class)
@Conditional(RedisConnectionReloadAutoConfiguration.OnRedisKeysCondition.class)
public final class RedisConnectionReloadAutoConfiguration {

	static final String BEAN_NAME = "redisConnection";

	@Bean(destroyMethod = "shutdown")
	@ConditionalOnMissingBean(ClientResources.class)
	DefaultClientResources lettuceClientResources() {
		return DefaultClientResources.create();
	}

	/**
	 * The connection and the resource that reloads it.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingBean({ StatefulRedisConnection.class, RedisClient.class })
	static class ConnectionConfiguration {

		@Bean(BEAN_NAME)
		ReloadableRedisConnection redisConnection(ConfigurableEnvironment environment, ClientResources clientResources,
				ObjectProvider<SslBundles> sslBundles, ObjectProvider<HotReloadProperties> properties,
				ApplicationEventPublisher publisher) {
			return ReloadableRedisConnection.connect(BEAN_NAME, Binder.get(environment),
					SecretSanitizer.of(environment.getPropertySources(), environment::resolvePlaceholders),
					clientResources, sslBundles.getIfAvailable(),
					() -> properties.getObject().getRedis().getValidationTimeout(),
					() -> properties.getObject().getRedis().getDrainTimeout(), publisher);
		}

		@Bean(BEAN_NAME + ResourceBeanPostProcessor.RESOURCE_SUFFIX)
		ReloadableResource redisConnectionReloadableResource(
				@Qualifier(BEAN_NAME) ReloadableRedisConnection redisConnection) {
			return redisConnection.reloadableResource();
		}

	}

	/**
	 * Matches when at least one {@code spring.data.redis.*} key is set, so that an
	 * application with lettuce-core on its class path for other reasons does not connect
	 * to a default server.
	 */
	static final class OnRedisKeysCondition extends SpringBootCondition {

		@Override
		public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
			boolean set = Binder.get(context.getEnvironment())
				.bind("spring.data.redis", Bindable.mapOf(String.class, Object.class))
				.map((keys) -> !keys.isEmpty())
				.orElse(false);
			return set ? ConditionOutcome.match("spring.data.redis.* keys are set")
					: ConditionOutcome.noMatch("no spring.data.redis.* key is set");
		}

	}

}

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

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import dev.hotreload.resource.ResourceBeanPostProcessor;
import dev.hotreload.support.SecretSanitizer;

import org.springframework.beans.BeansException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.listener.ReactiveRedisMessageListenerContainer;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

/**
 * Serves every {@link LettuceConnectionFactory} bean through a
 * {@link ReloadableRedisConnectionFactory} and registers its reloadable resource (a bean
 * named {@code <factory bean name>.hotreload}), as every resource type does through
 * {@link ResourceBeanPostProcessor}. A {@link RedisMessageListenerContainer} given such a
 * factory is handed the current Lettuce factory instead (the container chooses how to
 * subscribe by the factory's class) and is moved to each new generation. When the
 * original factory is destroyed with its context, the generations hotreload built for it
 * are destroyed too.
 *
 * @author hotreload authors
 */
public final class RedisReloadBeanPostProcessor extends ResourceBeanPostProcessor<LettuceConnectionFactory> {

	private final Supplier<Duration> validationTimeout;

	private final Supplier<Duration> drainTimeout;

	/**
	 * The names of the application's {@link ReactiveRedisMessageListenerContainer} beans,
	 * which cannot be moved to a new client.
	 */
	private final List<String> reactiveContainers = new CopyOnWriteArrayList<>();

	/**
	 * Create a post-processor.
	 * @param validationTimeout time a new client is given to answer PING, read at each
	 * reload
	 * @param drainTimeout time a retired client is given for its connections in use, read
	 * at each reload
	 */
	public RedisReloadBeanPostProcessor(Supplier<Duration> validationTimeout, Supplier<Duration> drainTimeout) {
		super(LettuceConnectionFactory.class);
		this.validationTimeout = validationTimeout;
		this.drainTimeout = drainTimeout;
	}

	@Override
	public Object postProcessBeforeInitialization(Object bean, String beanName) throws BeansException {
		if (bean instanceof ReactiveRedisMessageListenerContainer) {
			this.reactiveContainers.add(beanName);
		}
		if (bean instanceof RedisMessageListenerContainer container
				&& container.getConnectionFactory() instanceof ReloadableRedisConnectionFactory reloadable) {
			// The container picks its subscriber by the factory's class: give it the
			// Lettuce factory itself, and move it to each new generation on reload.
			container.setConnectionFactory(reloadable.getCurrentFactory());
			reloadable.addListenerContainer(container);
		}
		return bean;
	}

	@Override
	protected Wrapped wrap(LettuceConnectionFactory factory, String beanName) {
		ApplicationContext context = getApplicationContext();
		Supplier<RedisTimeouts> timeouts = () -> new RedisTimeouts(this.validationTimeout.get(),
				this.drainTimeout.get());
		ReloadableRedisConnectionFactory reloadable = new ReloadableRedisConnectionFactory(beanName, factory, timeouts,
				this.reactiveContainers, context, () -> secrets(context.getEnvironment()));
		RedisReloadableResource resource = new RedisReloadableResource(reloadable, context,
				Binder.get(context.getEnvironment()), timeouts);
		return new Wrapped(reloadable, resource, reloadable::destroyBuiltGenerations);
	}

	private static SecretSanitizer secrets(Environment environment) {
		return (environment instanceof ConfigurableEnvironment configurable)
				? SecretSanitizer.of(configurable.getPropertySources(), configurable::resolvePlaceholders)
				: SecretSanitizer.URLS_ONLY;
	}

}

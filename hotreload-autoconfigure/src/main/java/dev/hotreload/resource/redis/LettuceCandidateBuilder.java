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

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.hotreload.resource.BootTypes;
import dev.hotreload.resource.EffectiveSettings;
import dev.hotreload.resource.PrefixedKeys;
import io.lettuce.core.resource.ClientResources;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.AbstractBeanDefinition;
import org.springframework.boot.LazyInitializationBeanFactoryPostProcessor;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientConfigurationBuilderCustomizer;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.AnnotatedBeanDefinitionReader;
import org.springframework.context.annotation.AnnotationConfigUtils;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.env.AbstractEnvironment;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.RedisSentinelConfiguration;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.RedisStaticMasterReplicaConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Builds a candidate Lettuce connection factory from the candidate environment through
 * Spring Boot's own Redis auto-configuration, run in a small context of its own: the
 * {@code spring.data.redis.*} keys are bound by Boot's {@code DataRedisProperties}, and
 * the application's customizers, SSL bundles, client resources and connection details
 * apply as they did at startup.
 * <p>
 * The configuration is processed (parsed, its conditions evaluated) for the first
 * candidate only: later candidates whose condition inputs
 * ({@code spring.data.redis.client-type}, {@code spring.threads.virtual.enabled}) are the
 * same start from the bean definitions it registered, in a plain context, and create only
 * the factory and what it needs. A candidate then costs about a third of the CPU of a
 * full context, which is what a reload waits for on a busy machine.
 * <p>
 * The context is the generation's owner: closing it destroys the factory, and the client
 * resources too when the application has none to share.
 *
 * @author hotreload authors
 */
final class LettuceCandidateBuilder {

	private static final String PREFIX = "spring.data.redis";

	private static final String VIRTUAL_THREADS = "spring.threads.virtual.enabled";

	private static final String PROPERTIES_CONNECTION_DETAILS = "org.springframework.boot.data.redis.autoconfigure.PropertiesDataRedisConnectionDetails";

	/**
	 * The keys that connection details from elsewhere replace.
	 */
	private static final String[] CONNECTION_KEYS = { PREFIX + ".url", PREFIX + ".host", PREFIX + ".port",
			PREFIX + ".username", PREFIX + ".password", PREFIX + ".database", PREFIX + ".sentinel", PREFIX + ".cluster",
			PREFIX + ".masterreplica" };

	private static final List<Class<?>> SHARED_TYPES = List.of(LettuceClientConfigurationBuilderCustomizer.class,
			LettuceClientOptionsBuilderCustomizer.class, ClientResourcesBuilderCustomizer.class);

	private static final List<Class<?>> SHARED_SINGLE_TYPES = List.of(ClientResources.class, SslBundles.class,
			RedisStandaloneConfiguration.class, RedisSentinelConfiguration.class, RedisClusterConfiguration.class,
			RedisStaticMasterReplicaConfiguration.class);

	private static final Set<String> LEFT_OUT = Set.of(
			AnnotationConfigUtils.CONFIGURATION_ANNOTATION_PROCESSOR_BEAN_NAME,
			AnnotationConfigUtils.EVENT_LISTENER_PROCESSOR_BEAN_NAME,
			AnnotationConfigUtils.EVENT_LISTENER_FACTORY_BEAN_NAME);

	private final ListableBeanFactory application;

	/**
	 * Boot's Redis configuration as processed for the first candidate, by the inputs of
	 * its conditions.
	 */
	private final Map<List<@Nullable String>, Map<String, BeanDefinition>> processed = new ConcurrentHashMap<>();

	LettuceCandidateBuilder(ListableBeanFactory application) {
		this.application = application;
	}

	/**
	 * Build (but do not validate) the next generation.
	 * @param binder the keys, as {@link #keys} read them
	 * @param name the resource's name
	 * @param number the generation number
	 * @param previous the live factory, whose non-property settings are carried over
	 * @return the generation, started but not connected
	 */
	RedisGeneration build(Binder binder, String name, long number, LettuceConnectionFactory previous) {
		Map<String, Object> properties = PrefixedKeys.values(binder, PREFIX, VIRTUAL_THREADS);
		RedisUrlCheck.check((String) properties.get(PREFIX + ".url"));
		ConfigurableEnvironment environment = new AbstractEnvironment() {
		};
		environment.getPropertySources().addFirst(new MapPropertySource("hotreload-redis-candidate", properties));
		// the inputs of the configuration's conditions
		List<@Nullable String> conditions = Arrays.asList(environment.getProperty(PREFIX + ".client-type"),
				environment.getProperty(VIRTUAL_THREADS));
		Map<String, BeanDefinition> processed = this.processed.get(conditions);
		GenericApplicationContext context = new CandidateContext();
		try {
			context.setDisplayName("hotreload Redis candidate " + name + "-g" + number);
			context.setEnvironment(environment);
			ClientResources shared = share(context);
			if (processed != null) {
				processed.forEach((beanName, definition) -> context.registerBeanDefinition(beanName,
						((AbstractBeanDefinition) definition).cloneBeanDefinition()));
			}
			else {
				// the annotation config processors, then Boot's configuration, its class
				// conditions evaluated against the candidate's environment
				new AnnotatedBeanDefinitionReader(context).register(DataRedisAutoConfiguration.class);
				// only the factory and what it needs are created
				context.addBeanFactoryPostProcessor(new LazyInitializationBeanFactoryPostProcessor());
			}
			context.refresh();
			if (processed == null) {
				this.processed.putIfAbsent(conditions, definitions(context.getBeanFactory()));
			}
			LettuceConnectionFactory factory = context.getBeanProvider(LettuceConnectionFactory.class).getIfUnique();
			if (factory == null) {
				throw new IllegalStateException("Spring Boot built no Lettuce connection factory from "
						+ "spring.data.redis.*; hotreload supports the Lettuce client only (check "
						+ "spring.data.redis.client-type)");
			}
			factory.setShareNativeConnection(previous.getShareNativeConnection());
			factory.setValidateConnection(previous.getValidateConnection());
			factory.setConvertPipelineAndTxResults(previous.getConvertPipelineAndTxResults());
			ClientResources resources = factory.getClientResources();
			ClientResources owned = (resources != null && resources != shared) ? resources : null;
			return new RedisGeneration(number, factory, context, owned);
		}
		catch (RuntimeException | Error ex) {
			context.close();
			throw ex;
		}
	}

	/**
	 * The bean definitions Boot's configuration registered, conditions evaluated, in
	 * their order, for the next candidates with the same condition inputs: they are
	 * registered in a plain context and not parsed again. The configuration class
	 * processor is left out, and so is the {@code @EventListener} processor (Boot's Redis
	 * configuration has no listener).
	 */
	private static Map<String, BeanDefinition> definitions(ConfigurableListableBeanFactory beanFactory) {
		Map<String, BeanDefinition> definitions = new LinkedHashMap<>();
		for (String beanName : beanFactory.getBeanDefinitionNames()) {
			if (!LEFT_OUT.contains(beanName)
					&& beanFactory.getBeanDefinition(beanName) instanceof AbstractBeanDefinition definition) {
				definitions.put(beanName, definition.cloneBeanDefinition());
			}
		}
		return Collections.unmodifiableMap(definitions);
	}

	/**
	 * Read the keys a client is built from (see {@link PrefixedKeys}), for
	 * {@link #settings} and {@link #build}.
	 * @param environment the binder over the environment
	 * @return a binder over those keys only
	 */
	Binder keys(Binder environment) {
		return PrefixedKeys.read(environment, PREFIX, VIRTUAL_THREADS);
	}

	/**
	 * The inputs a client built from the given keys is built from: the
	 * {@code spring.data.redis.*} keys, or, when the application's connection details do
	 * not come from them, those details and the keys they do not replace.
	 * @param binder the keys, as {@link #keys} read them
	 * @return the settings
	 */
	EffectiveSettings settings(Binder binder) {
		EffectiveSettings settings = CredentialsChange.splitUrl(EffectiveSettings.of(binder, PREFIX, VIRTUAL_THREADS),
				binder);
		DataRedisConnectionDetails details = externalDetails();
		if (details == null) {
			return settings;
		}
		DataRedisConnectionDetails.Standalone standalone = details.getStandalone();
		return settings.without(CONNECTION_KEYS)
			.and("details.type", details.getClass().getName())
			.and("details.username", details.getUsername())
			.and("details.password", details.getPassword())
			.and("details.standalone", (standalone != null)
					? standalone.getHost() + ":" + standalone.getPort() + "/" + standalone.getDatabase() : null);
	}

	/**
	 * The application's connection details when they do not come from
	 * {@code spring.data.redis.*} (Docker Compose, Testcontainers, a bean of the
	 * application's): they win over the properties, as they do at startup.
	 */
	private @Nullable DataRedisConnectionDetails externalDetails() {
		DataRedisConnectionDetails details = this.application.getBeanProvider(DataRedisConnectionDetails.class)
			.getIfUnique();
		return (details != null && !BootTypes.isInstance(details, PROPERTIES_CONNECTION_DETAILS)) ? details : null;
	}

	private @Nullable ClientResources share(GenericApplicationContext context) {
		int index = 0;
		for (Class<?> type : SHARED_TYPES) {
			for (Object bean : this.application.getBeanProvider(type).orderedStream().toList()) {
				context.getBeanFactory().registerSingleton("hotreloadShared" + (index++), bean);
			}
		}
		ClientResources shared = null;
		for (Class<?> type : SHARED_SINGLE_TYPES) {
			Object bean = this.application.getBeanProvider(type).getIfUnique();
			if (bean != null) {
				context.getBeanFactory().registerSingleton("hotreloadShared" + (index++), bean);
				if (bean instanceof ClientResources resources) {
					shared = resources;
				}
			}
		}
		DataRedisConnectionDetails details = externalDetails();
		if (details != null) {
			context.getBeanFactory().registerSingleton("hotreloadShared" + (index++), details);
		}
		return shared;
	}

	/**
	 * A candidate's context. It shares the application's class loader and has no
	 * reflection metadata of its own: Spring's
	 * {@link GenericApplicationContext#resetCommonCaches() common caches}, which a
	 * context clears when it is refreshed and when it is closed, are the application's,
	 * and clearing them on every reload (once for the candidate, once for the client it
	 * retires) would make the application's request threads rebuild them.
	 */
	private static final class CandidateContext extends GenericApplicationContext {

		@Override
		protected void resetCommonCaches() {
		}

	}

}

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

package dev.hotreload.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import dev.hotreload.source.SourcePropertySource;
import dev.hotreload.support.SecretSanitizer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.cloud.context.properties.ConfigurationPropertiesBeans;
import org.springframework.cloud.context.properties.ConfigurationPropertiesRebinder;
import org.springframework.cloud.context.scope.refresh.RefreshScope;
import org.springframework.context.ApplicationContext;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;

/**
 * The environment stage of a reload: puts the new property sources in the live
 * {@code Environment} (and takes them out again when a resource cannot swap), then
 * rebinds the {@code @ConfigurationProperties} beans the changed keys can affect and
 * refreshes the refresh scope.
 *
 * @author hotreload authors
 */
final class EnvironmentUpdate {

	private static final Log logger = LogFactory.getLog(ReloadEngine.class);

	private final ApplicationContext context;

	private final ConfigurableEnvironment environment;

	private final Supplier<@Nullable RefreshScope> refreshScope;

	private final Object eventSource;

	EnvironmentUpdate(ApplicationContext context, ConfigurableEnvironment environment,
			Supplier<@Nullable RefreshScope> refreshScope, Object eventSource) {
		this.context = context;
		this.environment = environment;
		this.refreshScope = refreshScope;
		this.eventSource = eventSource;
	}

	/**
	 * Put the new property sources in the live environment, and the derived ones first.
	 * @param changes the new property sources
	 * @return puts the previous ones back
	 */
	Runnable apply(ChangeSet changes) {
		MutablePropertySources live = this.environment.getPropertySources();
		Map<String, @Nullable PropertySource<?>> previous = new LinkedHashMap<>();
		for (SourcePropertySource replacement : changes.replacements().values()) {
			previous.put(replacement.getName(), live.get(replacement.getName()));
			SourcePropertySource.addToEnvironment(live, replacement);
		}
		changes.derived().forEach((name, derived) -> {
			previous.put(name, live.get(name));
			put(live, name, derived);
		});
		return () -> previous.forEach((name, propertySource) -> put(live, name, propertySource));
	}

	private static void put(MutablePropertySources live, String name, @Nullable PropertySource<?> propertySource) {
		if (propertySource == null) {
			live.remove(name);
		}
		else if (live.contains(name)) {
			live.replace(name, propertySource);
		}
		else {
			live.addFirst(propertySource);
		}
	}

	/**
	 * Rebind, each on its own, the {@code @ConfigurationProperties} beans the changed
	 * keys can affect (see {@link AffectedBeans}), tell the application's
	 * {@code EnvironmentChangeEvent} listeners, and refresh the refresh scope, each
	 * whatever the others did, so that one failing bean neither keeps the others on their
	 * old values nor skips the refresh. The whole refresh scope is refreshed: which keys
	 * a scoped bean reads ({@code @Value}, the {@code Environment}) cannot be told.
	 * @param keys the changed keys
	 * @param secrets removes the config's secrets from an error
	 * @return what failed, naming each bean, or {@code null}
	 */
	@Nullable String rebindAndRefresh(Set<String> keys, SecretSanitizer secrets) {
		List<String> failures = new ArrayList<>();
		ConfigurationPropertiesRebinder rebinder = this.context.getBeanProvider(ConfigurationPropertiesRebinder.class)
			.getIfAvailable();
		ConfigurationPropertiesBeans beans = this.context.getBeanProvider(ConfigurationPropertiesBeans.class)
			.getIfAvailable();
		boolean rebound = rebinder != null && beans != null;
		if (rebound) {
			for (String name : AffectedBeans.select(this.context, beans.getBeanNames(), keys)) {
				try {
					rebinder.rebind(name);
				}
				catch (RuntimeException ex) {
					failures.add("@ConfigurationProperties bean '" + name + "': " + mostSpecificMessage(ex));
				}
			}
		}
		try {
			// from the engine when it rebound the beans itself, so that Spring Cloud's
			// rebinder does not rebind them again (and stop at the first that fails)
			this.context.publishEvent(rebound ? new HotReloadEnvironmentChangeEvent(this.eventSource, keys)
					: new HotReloadEnvironmentChangeEvent(this.context, keys));
		}
		catch (RuntimeException ex) {
			failures.add("EnvironmentChangeEvent listener: " + mostSpecificMessage(ex));
		}
		RefreshScope refreshScope = this.refreshScope.get();
		if (refreshScope != null) {
			try {
				refreshScope.refreshAll();
			}
			catch (RuntimeException ex) {
				failures.add("@RefreshScope: " + mostSpecificMessage(ex));
			}
		}
		if (failures.isEmpty()) {
			return null;
		}
		// the environment and the resources already serve the change: keep it
		String error = secrets
			.sanitize("Applied, but rebinding @ConfigurationProperties or refreshing @RefreshScope beans failed: "
					+ String.join("; ", failures) + "; beans that failed keep their previous values");
		logger.warn(error);
		return error;
	}

	/**
	 * The message of the most specific cause, which says why binding failed rather than
	 * that it did.
	 */
	private static String mostSpecificMessage(Throwable ex) {
		return Reload.message(NestedExceptionUtils.getMostSpecificCause(ex));
	}

}

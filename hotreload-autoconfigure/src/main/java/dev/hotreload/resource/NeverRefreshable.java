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

package dev.hotreload.resource;

import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;

import org.jspecify.annotations.Nullable;

import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;
import org.springframework.util.StringUtils;

/**
 * Keeps Spring Cloud's rebinding away from the wrappers hotreload serves: their class
 * names are added to {@code spring.cloud.refresh.never-refreshable}, whatever else the
 * application lists there. Rebinding a wrapper would bind the pool's
 * {@code @ConfigurationProperties} prefix onto the wrapper (it fails, the wrapper not
 * being the pool's type); hotreload applies those keys to the pool itself.
 * <p>
 * A property source placed first that answers only that property, with the value the
 * other sources give (or Spring Cloud's default) plus the wrappers, read each time, so
 * that a later change of the property by the application still applies. It is not
 * enumerable, so it adds no key to a reload's diff.
 *
 * @author hotreload authors
 */
final class NeverRefreshable extends PropertySource<Set<String>> {

	static final String PROPERTY = "spring.cloud.refresh.never-refreshable";

	private static final String NAME = "hotreload-never-refreshable";

	/**
	 * Spring Cloud's default when no source sets the property.
	 */
	private static final String DEFAULT = "com.zaxxer.hikari.HikariDataSource";

	private final MutablePropertySources sources;

	private NeverRefreshable(MutablePropertySources sources) {
		super(NAME, new CopyOnWriteArraySet<>());
		this.sources = sources;
	}

	/**
	 * Add a class to the never-refreshable ones of an environment.
	 * @param environment the environment
	 * @param className the class name
	 */
	static void add(ConfigurableEnvironment environment, String className) {
		MutablePropertySources sources = environment.getPropertySources();
		synchronized (sources) {
			NeverRefreshable guard = (sources.get(NAME) instanceof NeverRefreshable existing) ? existing
					: new NeverRefreshable(sources);
			if (guard != sources.get(NAME)) {
				sources.addFirst(guard);
			}
			guard.getSource().add(className);
		}
	}

	@Override
	public @Nullable Object getProperty(String name) {
		if (!PROPERTY.equals(name)) {
			return null;
		}
		Set<String> classes = new LinkedHashSet<>(StringUtils.commaDelimitedListToSet(configured()));
		classes.addAll(getSource());
		return String.join(",", classes);
	}

	private String configured() {
		boolean below = false;
		for (Iterator<PropertySource<?>> iterator = this.sources.iterator(); iterator.hasNext();) {
			PropertySource<?> source = iterator.next();
			if (source == this) {
				below = true;
			}
			else if (below && !(source.getSource() instanceof Iterable<?>)) {
				Object value = source.getProperty(PROPERTY);
				if (value != null) {
					return value.toString();
				}
			}
		}
		return DEFAULT;
	}

}

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
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.ConfigurationPropertiesBean;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.context.ApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;

/**
 * Which {@code @ConfigurationProperties} beans a set of changed keys can affect: a bean
 * is affected when a changed key is at, below or above its prefix, or when a property
 * under its prefix holds a {@code ${...}} placeholder (which may resolve to a changed
 * key). A bean whose prefix cannot be told, or a key that is not a property name, makes
 * every bean affected: when in doubt, rebind.
 *
 * @author hotreload authors
 */
final class AffectedBeans {

	private AffectedBeans() {
	}

	/**
	 * Select the beans to rebind.
	 * @param context the application context
	 * @param beanNames the {@code @ConfigurationProperties} beans known to the rebinder
	 * @param keys the keys the reload changed, added or removed
	 * @return the names of the beans to rebind, in order
	 */
	static Set<String> select(ApplicationContext context, Collection<String> beanNames, Set<String> keys) {
		Set<String> all = new TreeSet<>(beanNames);
		List<ConfigurationPropertyName> changed = names(keys);
		if (changed == null) {
			return all;
		}
		List<ConfigurationPropertyName> placeholders = (context.getEnvironment() instanceof ConfigurableEnvironment env)
				? placeholderNames(env) : null;
		if (placeholders == null) {
			return all;
		}
		Set<String> affected = new TreeSet<>();
		for (String name : all) {
			ConfigurationPropertyName prefix = prefix(context, name);
			if (prefix == null || prefix.isEmpty() || touches(prefix, changed)
					|| holdsPlaceholder(prefix, placeholders)) {
				affected.add(name);
			}
		}
		return affected;
	}

	private static @Nullable List<ConfigurationPropertyName> names(Set<String> keys) {
		List<ConfigurationPropertyName> names = new ArrayList<>();
		for (String key : keys) {
			ConfigurationPropertyName name = adapt(key);
			if (name.isEmpty()) {
				return null;
			}
			names.add(name);
		}
		return names;
	}

	private static boolean touches(ConfigurationPropertyName prefix, List<ConfigurationPropertyName> changed) {
		for (ConfigurationPropertyName key : changed) {
			if (prefix.equals(key) || prefix.isAncestorOf(key) || key.isAncestorOf(prefix)) {
				return true;
			}
		}
		return false;
	}

	private static boolean holdsPlaceholder(ConfigurationPropertyName prefix,
			List<ConfigurationPropertyName> placeholders) {
		for (ConfigurationPropertyName name : placeholders) {
			if (prefix.equals(name) || prefix.isAncestorOf(name)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Names of the environment's properties whose value, as written, holds a placeholder;
	 * {@code null} when a property source cannot be listed.
	 */
	private static @Nullable List<ConfigurationPropertyName> placeholderNames(ConfigurableEnvironment environment) {
		List<ConfigurationPropertyName> names = new ArrayList<>();
		for (PropertySource<?> source : environment.getPropertySources()) {
			if (!(source instanceof EnumerablePropertySource<?> enumerable)) {
				continue;
			}
			for (String name : enumerable.getPropertyNames()) {
				Object value = enumerable.getProperty(name);
				if (value != null && String.valueOf(value).contains("${")) {
					ConfigurationPropertyName adapted = adapt(name);
					if (adapted.isEmpty()) {
						return null;
					}
					names.add(adapted);
				}
			}
		}
		return names;
	}

	private static @Nullable ConfigurationPropertyName prefix(ApplicationContext context, String beanName) {
		ConfigurationProperties annotation = annotation(context, beanName);
		if (annotation == null) {
			return null;
		}
		String prefix = annotation.prefix();
		return ConfigurationPropertyName.isValid(prefix) ? ConfigurationPropertyName.of(prefix) : null;
	}

	private static @Nullable ConfigurationProperties annotation(ApplicationContext context, String beanName) {
		try {
			ConfigurationPropertiesBean bean = ConfigurationPropertiesBean.get(context, context.getBean(beanName),
					beanName);
			if (bean != null) {
				return bean.getAnnotation();
			}
		}
		catch (RuntimeException ex) {
			// a bean Boot's own lookup cannot bind as it is (a wrapper): ask its
			// definition
		}
		try {
			return context.findAnnotationOnBean(beanName, ConfigurationProperties.class);
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

	private static ConfigurationPropertyName adapt(String name) {
		try {
			return ConfigurationPropertyName.adapt(name, '.');
		}
		catch (RuntimeException ex) {
			return ConfigurationPropertyName.EMPTY;
		}
	}

}

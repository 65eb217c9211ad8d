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

package dev.hotreload.resource.druid;

import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import com.alibaba.druid.filter.Filter;
import com.alibaba.druid.pool.DruidDataSource;
import dev.hotreload.resource.EffectiveSettings;
import dev.hotreload.resource.PrefixedKeys;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.util.StringUtils;

/**
 * How a Druid pool was built, so that a candidate is built the same way from the
 * candidate environment:
 * <ul>
 * <li>bound from the prefix of its {@code @ConfigurationProperties}, on its {@code @Bean}
 * method or its class (druid-spring-boot-starter's {@code DruidDataSourceWrapper} is
 * bound from {@code spring.datasource.druid}), the connection keys it does not set
 * ({@code url}, {@code username}, {@code password}, {@code driver-class-name}) taken from
 * {@code spring.datasource.*}, as the starter does;</li>
 * <li>Spring Boot's DataSource of {@code spring.datasource.type} Druid, built from
 * {@code spring.datasource.*} only.</li>
 * </ul>
 * A url, user name or password set nowhere keeps the live pool's value (one the
 * application set in code); a driver set nowhere is derived from the url by Druid. The
 * filters the application declares as beans and the live pool uses (the starter adds them
 * to its pool) are added to the candidate too.
 *
 * @author hotreload authors
 */
final class DruidRecipe {

	static final String BOOT_PROPERTIES = "spring.datasource";

	private static final List<String> CONNECTION_KEYS = List.of("url", "username", "password", "driver-class-name");

	/**
	 * The prefixes of the other pools Spring Boot binds below {@code spring.datasource}:
	 * not keys of a Druid pool bound from {@code spring.datasource} itself.
	 */
	private static final String[] OTHER_POOLS = { "spring.datasource.hikari", "spring.datasource.tomcat",
			"spring.datasource.dbcp2", "spring.datasource.oracleucp", "spring.datasource.druid" };

	private final @Nullable String prefix;

	private final Supplier<List<Filter>> beanFilters;

	/**
	 * Create a recipe.
	 * @param prefix the prefix the pool is bound from, or {@code null} for Spring Boot's
	 * DataSource built from {@code spring.datasource.*}
	 * @param beanFilters the Druid filters declared as beans
	 */
	DruidRecipe(@Nullable String prefix, Supplier<List<Filter>> beanFilters) {
		this.prefix = prefix;
		this.beanFilters = beanFilters;
	}

	/**
	 * Where the settings are read from, for the endpoint.
	 * @return a short description
	 */
	String source() {
		if (this.prefix == null || this.prefix.equals(BOOT_PROPERTIES)) {
			return BOOT_PROPERTIES + ".*";
		}
		return this.prefix + ".* and " + BOOT_PROPERTIES + ".{url,username,password,driver-class-name}";
	}

	/**
	 * Read the keys a pool is built from (see {@link PrefixedKeys}), for
	 * {@link #settings} and {@link #build}.
	 * @param environment the binder over the environment
	 * @return a binder over those keys only
	 */
	Binder keys(Binder environment) {
		return (this.prefix != null) ? PrefixedKeys.read(environment, this.prefix, BOOT_PROPERTIES)
				: PrefixedKeys.read(environment, BOOT_PROPERTIES);
	}

	/**
	 * The inputs a pool built from the given keys is built from.
	 * @param binder the keys, as {@link #keys} read them
	 * @return the settings
	 */
	EffectiveSettings settings(Binder binder) {
		String[] prefixes = (this.prefix != null) ? new String[] { this.prefix } : new String[0];
		EffectiveSettings settings = EffectiveSettings.of(binder, prefixes);
		if (BOOT_PROPERTIES.equals(this.prefix)) {
			return settings.without(OTHER_POOLS);
		}
		for (String key : CONNECTION_KEYS) {
			settings = settings.and(BOOT_PROPERTIES + "." + key,
					binder.bind(BOOT_PROPERTIES + "." + key, String.class).orElse(null));
		}
		return settings;
	}

	/**
	 * Whether every changed key is one a live pool can apply in place.
	 * @param changed the keys that changed, as {@link EffectiveSettings} names them
	 * @return whether the change can be applied in place
	 */
	boolean inPlace(Set<String> changed) {
		if (this.prefix == null) {
			return false;
		}
		String below = uniform(this.prefix) + ".";
		return changed.stream()
			.allMatch((key) -> key.startsWith(below) && DruidSettings.KEYS.contains(key.substring(below.length())));
	}

	/**
	 * Build a pool, not started, from the given keys.
	 * @param binder the keys, as {@link #keys} read them
	 * @param live the live pool, for what no key sets
	 * @return the pool
	 */
	DruidDataSource build(Binder binder, DruidDataSource live) {
		DruidDataSource pool = new DruidDataSource();
		if (this.prefix != null) {
			binder.bind(this.prefix, Bindable.ofInstance(pool));
		}
		if (!StringUtils.hasText(pool.getUrl())) {
			pool.setUrl(connectionKey(binder, "url", live.getUrl()));
		}
		if (pool.getUsername() == null) {
			pool.setUsername(connectionKey(binder, "username", live.getUsername()));
		}
		if (pool.getPassword() == null) {
			pool.setPassword(connectionKey(binder, "password", live.getPassword()));
		}
		if (!StringUtils.hasText(pool.getDriverClassName())) {
			// not the live pool's: Druid derives it from the url
			String driver = connectionKey(binder, "driver-class-name", null);
			if (StringUtils.hasText(driver)) {
				pool.setDriverClassName(driver);
			}
		}
		List<Filter> filters = this.beanFilters.get();
		live.getProxyFilters()
			.stream()
			.filter((filter) -> filters.contains(filter) && !pool.getProxyFilters().contains(filter))
			.forEach(pool.getProxyFilters()::add);
		return pool;
	}

	private static @Nullable String connectionKey(Binder binder, String key, @Nullable String live) {
		return binder.bind(BOOT_PROPERTIES + "." + key, String.class).orElse(live);
	}

	private static String uniform(String name) {
		ConfigurationPropertyName property = ConfigurationPropertyName.adapt(name, '.');
		StringBuilder uniform = new StringBuilder();
		for (int i = 0; i < property.getNumberOfElements(); i++) {
			uniform.append(uniform.isEmpty() ? "" : ".")
				.append(property.getElement(i, ConfigurationPropertyName.Form.UNIFORM));
		}
		return uniform.toString();
	}

}

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

package dev.hotreload.resource.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import dev.hotreload.resource.EffectiveSettings;
import dev.hotreload.resource.PrefixedKeys;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.boot.jdbc.EmbeddedDatabaseConnection;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.util.StringUtils;

/**
 * How a HikariCP DataSource was built, so that a candidate is built the same way from the
 * candidate environment, and what it was built from, so that a reload that leaves those
 * inputs equal builds no candidate at all.
 * <ul>
 * <li>Spring Boot's DataSource: {@code spring.datasource.*} through
 * {@link DataSourceProperties}, or the application's {@link JdbcConnectionDetails} when
 * they do not come from the properties (Testcontainers, Docker Compose, a bean of the
 * application's), then {@code spring.datasource.hikari.*}.</li>
 * <li>Spring Boot's pattern for more DataSources: a {@link DataSourceProperties} bound
 * from a prefix, the pool from that prefix's {@code .configuration} (or any prefix below
 * it).</li>
 * <li>A pool bound from a prefix of its own: that prefix.</li>
 * </ul>
 * An embedded database without a url keeps the live database's name: a new unique name
 * would be a new, empty database.
 *
 * @author hotreload authors
 */
final class HikariRecipe {

	static final String BOOT_PROPERTIES = "spring.datasource";

	static final String BOOT_POOL = "spring.datasource.hikari";

	private final String poolPrefix;

	private final @Nullable String propertiesPrefix;

	private final @Nullable DataSourceProperties liveProperties;

	private final @Nullable JdbcConnectionDetails details;

	private final ClassLoader classLoader;

	/**
	 * Create a recipe.
	 * @param poolPrefix the prefix the pool is bound from
	 * @param propertiesPrefix the prefix of the {@link DataSourceProperties} the pool is
	 * built from, if any
	 * @param liveProperties the live {@link DataSourceProperties} bean of that prefix, if
	 * any
	 * @param details connection details that do not come from the properties, if any
	 * @param classLoader the class loader to build the pool with
	 */
	HikariRecipe(String poolPrefix, @Nullable String propertiesPrefix, @Nullable DataSourceProperties liveProperties,
			@Nullable JdbcConnectionDetails details, ClassLoader classLoader) {
		this.poolPrefix = poolPrefix;
		this.propertiesPrefix = propertiesPrefix;
		this.liveProperties = liveProperties;
		this.details = details;
		this.classLoader = classLoader;
	}

	/**
	 * Where the settings are read from, for the endpoint.
	 * @return a short description
	 */
	String source() {
		if (this.details != null) {
			return this.poolPrefix + ".* and " + this.details.getClass().getSimpleName();
		}
		if (this.propertiesPrefix != null && !this.poolPrefix.startsWith(this.propertiesPrefix + ".")) {
			return this.propertiesPrefix + ".* and " + this.poolPrefix + ".*";
		}
		return ((this.propertiesPrefix != null) ? this.propertiesPrefix : this.poolPrefix) + ".*";
	}

	/**
	 * Read the keys a pool is built from (see {@link PrefixedKeys}), for
	 * {@link #settings} and {@link #build}.
	 * @param environment the binder over the environment
	 * @return a binder over those keys only
	 */
	Binder keys(Binder environment) {
		return (this.propertiesPrefix != null)
				? PrefixedKeys.read(environment, this.propertiesPrefix, this.poolPrefix, BOOT_PROPERTIES + ".name")
				: PrefixedKeys.read(environment, this.poolPrefix, BOOT_PROPERTIES + ".name");
	}

	/**
	 * The inputs a pool built from the given keys is built from.
	 * @param binder the keys, as {@link #keys} read them
	 * @return the settings
	 */
	EffectiveSettings settings(Binder binder) {
		JdbcConnectionDetails details = this.details;
		if (details != null) {
			return EffectiveSettings.of(binder, this.poolPrefix, BOOT_PROPERTIES + ".name")
				.and("details.jdbc-url", details.getJdbcUrl())
				.and("details.username", details.getUsername())
				.and("details.password", details.getPassword())
				.and("details.driver-class-name", details.getDriverClassName());
		}
		return (this.propertiesPrefix != null) ? EffectiveSettings.of(binder, this.propertiesPrefix, this.poolPrefix)
				: EffectiveSettings.of(binder, this.poolPrefix);
	}

	/**
	 * Build a pool, not started, from the given keys.
	 * @param binder the keys, as {@link #keys} read them
	 * @return the pool
	 */
	HikariDataSource build(Binder binder) {
		if (this.propertiesPrefix == null) {
			HikariDataSource pool = new HikariDataSource();
			binder.bind(this.poolPrefix, Bindable.ofInstance(pool));
			return pool;
		}
		DataSourceProperties properties = properties(binder, this.propertiesPrefix);
		JdbcConnectionDetails details = this.details;
		String url = (details != null) ? details.getJdbcUrl() : properties.determineUrl();
		String username = (details != null) ? details.getUsername() : properties.determineUsername();
		String password = (details != null) ? details.getPassword() : properties.determinePassword();
		String driverClassName = (details != null) ? details.getDriverClassName()
				: properties.determineDriverClassName();
		DataSourceBuilder<HikariDataSource> builder = DataSourceBuilder.create(this.classLoader)
			.type(HikariDataSource.class);
		if (!binder.bind(this.poolPrefix + ".data-source-class-name", String.class).isBound()) {
			builder.driverClassName(driverClassName);
		}
		HikariDataSource pool = builder.url(url).username(username).password(password).build();
		if (StringUtils.hasText(properties.getName())) {
			pool.setPoolName(properties.getName());
		}
		binder.bind(this.poolPrefix, Bindable.ofInstance(pool));
		if (details != null) {
			// as Spring Boot does after binding: the details win over the properties
			pool.setJdbcUrl(url);
			pool.setUsername(username);
			pool.setPassword(password);
			if (driverClassName != null) {
				pool.setDriverClassName(driverClassName);
			}
		}
		return pool;
	}

	private DataSourceProperties properties(Binder binder, String prefix) {
		DataSourceProperties properties = binder.bind(prefix, DataSourceProperties.class)
			.orElseGet(DataSourceProperties::new);
		properties.setBeanClassLoader(this.classLoader);
		try {
			properties.afterPropertiesSet();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex.getMessage(), ex);
		}
		DataSourceProperties live = this.liveProperties;
		if (live != null && !StringUtils.hasText(properties.getUrl()) && properties.isGenerateUniqueName()
				&& live.isGenerateUniqueName()) {
			EmbeddedDatabaseConnection embedded = properties.getEmbeddedDatabaseConnection();
			String name = live.determineDatabaseName();
			if (embedded != null && embedded != EmbeddedDatabaseConnection.NONE && name != null) {
				properties.setUrl(embedded.getUrl(name));
			}
		}
		return properties;
	}

}

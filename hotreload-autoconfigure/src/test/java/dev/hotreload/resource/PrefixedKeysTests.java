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

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link PrefixedKeys}: what is bound from the keys it read is what is bound
 * from the whole environment, for anything under the prefixes.
 */
class PrefixedKeysTests {

	@Test
	void bindsWhatTheEnvironmentBindsUnderThePrefixes() {
		Map<String, Object> file = new LinkedHashMap<>();
		file.put("app.pool.url", "jdbc:postgresql://db/${database}");
		file.put("app.pool.maximumPoolSize", "4");
		file.put("app.pool.timeout", "250ms");
		file.put("app.pool.init-sql[0]", "select 1");
		file.put("app.pool.init-sql[1]", "select 2");
		file.put("app.pool.properties.cachePrepStmts", "true");
		file.put("app.pool.properties[socket.timeout]", "30");
		file.put("app.name", "orders");
		file.put("database", "orders");
		Map<String, Object> environment = Map.of("APP_POOL_USERNAME", "app", "APP_POOL_MAXIMUMPOOLSIZE", "6");
		MutablePropertySources sources = new MutablePropertySources();
		sources.addLast(new SystemEnvironmentPropertySource("systemEnvironment", environment));
		sources.addLast(new MapPropertySource("file", file));
		Binder whole = new Binder(ConfigurationPropertySources.from(sources),
				new PropertySourcesPlaceholdersResolver(sources));

		Binder keys = PrefixedKeys.read(whole, "app.pool", "app.name", "app.pool.properties");

		Pool expected = whole.bind("app.pool", Pool.class).get();
		Pool actual = keys.bind("app.pool", Pool.class).get();
		assertThat(actual).usingRecursiveComparison().isEqualTo(expected);
		assertThat(actual.getUrl()).isEqualTo("jdbc:postgresql://db/orders");
		assertThat(actual.getUsername()).isEqualTo("app");
		assertThat(actual.getMaximumPoolSize()).isEqualTo(6);
		assertThat(actual.getTimeout()).isEqualTo(Duration.ofMillis(250));
		assertThat(actual.getInitSql()).containsExactly("select 1", "select 2");
		assertThat(actual.getProperties()).containsEntry("cachePrepStmts", "true")
			.containsEntry("socket.timeout", "30");
		assertThat(keys.bind("app.name", String.class).get()).isEqualTo("orders");
		// nothing outside the prefixes
		assertThat(keys.bind("database", String.class).isBound()).isFalse();
		assertThat(keys.bind("app", Bindable.mapOf(String.class, String.class)).get()).doesNotContainKey("other");
	}

	@Test
	void readsAPrefixBelowAnotherWithIt() {
		assertThat(PrefixedKeys.outermost("spring.datasource", "spring.datasource.hikari", "spring.datasource.name",
				"spring.data.redis", "spring.datasource"))
			.containsExactly("spring.datasource", "spring.data.redis");
		assertThat(PrefixedKeys.outermost("spring.datasource.hikari", "spring.datasource"))
			.containsExactly("spring.datasource");
	}

	public static class Pool {

		private String url;

		private String username;

		private int maximumPoolSize;

		private Duration timeout;

		private List<String> initSql = new ArrayList<>();

		private Map<String, String> properties = new LinkedHashMap<>();

		public String getUrl() {
			return this.url;
		}

		public void setUrl(String url) {
			this.url = url;
		}

		public String getUsername() {
			return this.username;
		}

		public void setUsername(String username) {
			this.username = username;
		}

		public int getMaximumPoolSize() {
			return this.maximumPoolSize;
		}

		public void setMaximumPoolSize(int maximumPoolSize) {
			this.maximumPoolSize = maximumPoolSize;
		}

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

		public List<String> getInitSql() {
			return this.initSql;
		}

		public void setInitSql(List<String> initSql) {
			this.initSql = initSql;
		}

		public Map<String, String> getProperties() {
			return this.properties;
		}

		public void setProperties(Map<String, String> properties) {
			this.properties = properties;
		}

	}

}

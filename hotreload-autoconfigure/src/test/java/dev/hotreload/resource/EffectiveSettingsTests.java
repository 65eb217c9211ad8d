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

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;

import static org.assertj.core.api.Assertions.assertThat;

class EffectiveSettingsTests {

	@Test
	void equalWhenOnlyUnrelatedKeysDiffer() {
		EffectiveSettings before = settings(Map.of("spring.datasource.url", "jdbc:h2:mem:a", "app.greeting", "a"));
		EffectiveSettings after = settings(Map.of("spring.datasource.url", "jdbc:h2:mem:a", "app.greeting", "b"));
		assertThat(after).isEqualTo(before);
		assertThat(after.differences(before)).isEmpty();
	}

	@Test
	void followsAPlaceholderToTheKeyItPointsAt() {
		EffectiveSettings before = settings(
				Map.of("spring.datasource.url", "jdbc:postgresql://db/${dbname}", "dbname", "orders"));
		EffectiveSettings after = settings(
				Map.of("spring.datasource.url", "jdbc:postgresql://db/${dbname}", "dbname", "orders2"));
		assertThat(after).isNotEqualTo(before);
		assertThat(after.differences(before)).containsExactly("spring.datasource.url");
	}

	@Test
	void relaxedNamesOfTheSameKeyAreTheSameSetting() {
		EffectiveSettings dashed = settings(Map.of("spring.datasource.hikari.maximum-pool-size", "4"));
		EffectiveSettings camel = settings(Map.of("spring.datasource.hikari.maximumPoolSize", "4"));
		assertThat(camel).isEqualTo(dashed);
	}

	@Test
	void listsAddedRemovedAndChangedKeysAndInputs() {
		Map<String, Object> first = new LinkedHashMap<>();
		first.put("spring.datasource.url", "jdbc:h2:mem:a");
		first.put("spring.datasource.username", "sa");
		Map<String, Object> second = new LinkedHashMap<>();
		second.put("spring.datasource.url", "jdbc:h2:mem:b");
		second.put("spring.datasource.password", "pw");
		EffectiveSettings before = settings(first).and("details.jdbc-url", "x");
		EffectiveSettings after = settings(second).and("details.jdbc-url", "y");
		assertThat(after.differences(before)).containsExactly("details.jdbc-url", "spring.datasource.password",
				"spring.datasource.url", "spring.datasource.username");
	}

	@Test
	void withoutRemovesAKeyAndTheKeysBelowIt() {
		EffectiveSettings settings = settings(Map.of("spring.data.redis.host", "a", "spring.data.redis.sentinel.master",
				"m", "spring.data.redis.timeout", "1s"))
			.without("spring.data.redis.host", "spring.data.redis.sentinel");
		assertThat(settings).isEqualTo(settings(Map.of("spring.data.redis.timeout", "1s")));
	}

	@Test
	void neverHoldsOrPrintsAValue() {
		EffectiveSettings settings = settings(Map.of("spring.datasource.password", "TopSecret-42"))
			.and("details.password", "TopSecret-43");
		assertThat(settings.toString()).contains("spring.datasource.password")
			.doesNotContain("TopSecret-42")
			.doesNotContain("TopSecret-43");
	}

	@Test
	void aPrefixBelowAnotherAddsNothingToIt() {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("spring.datasource.url", "jdbc:h2:mem:a");
		properties.put("spring.datasource.hikari.maximum-pool-size", "4");
		properties.put("spring.datasource.hikari.data-source-properties.cachePrepStmts", "true");
		properties.put("spring.datasource.hikari.connection-init-sql[0]", "select 1");
		properties.put("spring.datasource.hikari", "odd");
		Binder binder = binder(properties);
		EffectiveSettings both = EffectiveSettings.of(binder, "spring.datasource", "spring.datasource.hikari");
		assertThat(both).isEqualTo(EffectiveSettings.of(binder, "spring.datasource"));
		assertThat(both.toString()).contains("spring.datasource.hikari.maximumpoolsize",
				"spring.datasource.hikari.datasourceproperties.cacheprepstmts",
				"spring.datasource.hikari.connectioninitsql");
		Map<String, Object> pool = new LinkedHashMap<>(properties);
		pool.put("spring.datasource.hikari.maximum-pool-size", "5");
		assertThat(
				EffectiveSettings.of(binder(pool), "spring.datasource", "spring.datasource.hikari").differences(both))
			.containsExactly("spring.datasource.hikari.maximumpoolsize");
	}

	@Test
	void aPrefixThatHoldsAValueIsThatValue() {
		Binder binder = binder(
				Map.of("spring.datasource.name", "orders", "spring.datasource.hikari.maximum-pool-size", "4"));
		EffectiveSettings settings = EffectiveSettings.of(binder, "spring.datasource.hikari", "spring.datasource.name");
		assertThat(settings.toString()).contains("spring.datasource.name", "spring.datasource.hikari.maximumpoolsize");
		assertThat(EffectiveSettings
			.of(binder(Map.of("spring.datasource.name", "payments", "spring.datasource.hikari.maximum-pool-size", "4")),
					"spring.datasource.hikari", "spring.datasource.name")
			.differences(settings)).containsExactly("spring.datasource.name");
	}

	private static EffectiveSettings settings(Map<String, Object> properties) {
		return EffectiveSettings.of(binder(properties), "spring.datasource", "spring.data.redis");
	}

	private static Binder binder(Map<String, Object> properties) {
		MutablePropertySources sources = new MutablePropertySources();
		sources.addFirst(new MapPropertySource("test", properties));
		return new Binder(ConfigurationPropertySources.from(sources), new PropertySourcesPlaceholdersResolver(sources));
	}

}

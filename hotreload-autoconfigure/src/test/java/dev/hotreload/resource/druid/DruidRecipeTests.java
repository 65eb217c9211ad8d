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
import java.util.Map;
import java.util.Set;

import com.alibaba.druid.filter.Filter;
import com.alibaba.druid.filter.stat.StatFilter;
import com.alibaba.druid.pool.DruidDataSource;
import dev.hotreload.resource.EffectiveSettings;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How a Druid candidate is built: the pool's prefix, then the connection keys of
 * {@code spring.datasource}, then what the live pool was given in code; the filters
 * declared as beans carried over; only the keys Druid can change live applied in place.
 */
class DruidRecipeTests {

	private final Filter beanFilter = new StatFilter();

	private final DruidRecipe recipe = new DruidRecipe("spring.datasource.druid", () -> List.of(this.beanFilter));

	@Test
	void buildsFromThePrefixAndTheConnectionKeysOfSpringDatasource() {
		DruidDataSource live = new DruidDataSource();
		live.setUrl("jdbc:postgresql://db/live");
		live.setUsername("set-in-code");
		live.getProxyFilters().add(this.beanFilter);
		live.getProxyFilters().add(new StatFilter());
		DruidDataSource candidate = this.recipe
			.build(binder(Map.of("spring.datasource.url", "jdbc:postgresql://db/next", "spring.datasource.password",
					"secret", "spring.datasource.druid.max-active", "7", "spring.datasource.druid.max-wait", "1234")),
					live);
		assertThat(candidate.getUrl()).isEqualTo("jdbc:postgresql://db/next");
		assertThat(candidate.getPassword()).isEqualTo("secret");
		assertThat(candidate.getUsername()).isEqualTo("set-in-code");
		assertThat(candidate.getMaxActive()).isEqualTo(7);
		assertThat(candidate.getMaxWait()).isEqualTo(1234);
		assertThat(candidate.getProxyFilters()).containsExactly(this.beanFilter);
	}

	@Test
	void theDruidPrefixWinsOverSpringDatasource() {
		DruidDataSource candidate = this.recipe.build(binder(Map.of("spring.datasource.url", "jdbc:postgresql://db/a",
				"spring.datasource.druid.url", "jdbc:postgresql://db/b")), new DruidDataSource());
		assertThat(candidate.getUrl()).isEqualTo("jdbc:postgresql://db/b");
	}

	@Test
	void appliesInPlaceOnlyWhatDruidCanChangeLive() {
		EffectiveSettings before = this.recipe.settings(binder(Map.of("spring.datasource.url", "jdbc:h2:mem:a",
				"spring.datasource.druid.max-active", "8", "spring.datasource.druid.filters", "stat")));
		EffectiveSettings resized = this.recipe
			.settings(binder(Map.of("spring.datasource.url", "jdbc:h2:mem:a", "spring.datasource.druid.maxActive", "16",
					"spring.datasource.druid.filters", "stat", "spring.datasource.druid.query-timeout", "30")));
		EffectiveSettings moved = this.recipe.settings(binder(Map.of("spring.datasource.url", "jdbc:h2:mem:b",
				"spring.datasource.druid.max-active", "8", "spring.datasource.druid.filters", "stat")));
		EffectiveSettings filtered = this.recipe.settings(binder(Map.of("spring.datasource.url", "jdbc:h2:mem:a",
				"spring.datasource.druid.max-active", "8", "spring.datasource.druid.filters", "stat,wall")));
		assertThat(this.recipe.inPlace(before.differences(resized))).isTrue();
		assertThat(this.recipe.inPlace(before.differences(moved))).isFalse();
		assertThat(this.recipe.inPlace(before.differences(filtered))).isFalse();
		assertThat(this.recipe.inPlace(Set.of())).isTrue();
	}

	private Binder binder(Map<String, String> properties) {
		return this.recipe.keys(new Binder(new MapConfigurationPropertySource(properties)));
	}

}

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

import java.util.HashMap;
import java.util.Map;

import dev.hotreload.testsupport.Environments;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.support.SystemEnvironmentPropertySourceEnvironmentPostProcessor;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource.StubPropertySource;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link BindingSources}: a binder over a candidate binds what Boot's own
 * {@code ConfigurationPropertySources.from} binder does, reload after reload, while the
 * sources change under it.
 *
 * @author hotreload authors
 */
class BindingSourcesTests {

	private final BindingSources bindingSources = new BindingSources();

	@Test
	void bindsAsBootsOwnBinderDoes() {
		StandardEnvironment environment = new StandardEnvironment();
		MutablePropertySources sources = environment.getPropertySources();
		sources.addFirst(new MapPropertySource("config", Map.of("spring.datasource.url", "jdbc:h2:mem:a",
				"spring.datasource.hikari.maximum-pool-size", "7", "app.name", "${app.base}-x", "app.base", "demo")));
		sources.addLast(new MapPropertySource("defaults", Map.of("spring.datasource.username", "sa",
				"spring.datasource.hikari.maximum-pool-size", "3", "app.list[0]", "a", "app.list[1]", "b")));
		sources.addLast(new StubPropertySource("servletContextInitParams"));
		ConfigurationPropertySources.attach(environment);
		Binder boot = new Binder(ConfigurationPropertySources.from(sources),
				new PropertySourcesPlaceholdersResolver(sources));
		Binder binder = this.bindingSources.binder(sources);
		for (String prefix : new String[] { "spring.datasource", "app" }) {
			assertThat(binder.bind(prefix, Bindable.mapOf(String.class, Object.class)).get())
				.isEqualTo(boot.bind(prefix, Bindable.mapOf(String.class, Object.class)).get());
		}
		assertThat(binder.bind("app.name", String.class).get()).isEqualTo("demo-x");
		assertThat(binder.bind("app.list", Bindable.listOf(String.class)).get()).containsExactly("a", "b");
		assertThat(binder.bind("spring.datasource.hikari.maximum-pool-size", Integer.class).get()).isEqualTo(7);
	}

	@Test
	void followsReplacedAndChangedSourcesFromOneReloadToTheNext() {
		MutablePropertySources sources = new MutablePropertySources();
		Map<String, Object> mutable = new HashMap<>(Map.of("app.mutable", "1"));
		sources.addLast(new MapPropertySource("config", Map.of("app.url", "a", "app.gone", "x")));
		sources.addLast(new MapPropertySource("mutable", mutable));
		assertThat(this.bindingSources.binder(sources).bind("app.url", String.class).get()).isEqualTo("a");
		sources.replace("config", new MapPropertySource("config", Map.of("app.url", "b", "app.added", "y")));
		mutable.put("app.mutable", "2");
		mutable.put("app.new-key", "3");
		Binder binder = this.bindingSources.binder(sources);
		assertThat(binder.bind("app.url", String.class).get()).isEqualTo("b");
		assertThat(binder.bind("app.added", String.class).get()).isEqualTo("y");
		assertThat(binder.bind("app.gone", String.class).isBound()).isFalse();
		assertThat(binder.bind("app.mutable", String.class).get()).isEqualTo("2");
		assertThat(binder.bind("app.new-key", String.class).get()).isEqualTo("3");
		sources.remove("config");
		assertThat(this.bindingSources.binder(sources).bind("app.url", String.class).isBound()).isFalse();
	}

	@Test
	void appliesTheEnvironmentPrefixOfSystemEnvironmentVariables() {
		StandardEnvironment environment = Environments.withSystemEnvironment(Map.of("MYAPP_SPRING_DATASOURCE_URL",
				"jdbc:h2:mem:prefixed", "SPRING_DATASOURCE_URL", "jdbc:h2:mem:unprefixed"));
		SpringApplication application = new SpringApplication();
		application.setEnvironmentPrefix("myapp");
		new SystemEnvironmentPropertySourceEnvironmentPostProcessor().postProcessEnvironment(environment, application);
		Binder binder = this.bindingSources.binder(environment.getPropertySources());
		assertThat(binder.bind("spring.datasource.url", String.class).get()).isEqualTo("jdbc:h2:mem:prefixed");
	}

}

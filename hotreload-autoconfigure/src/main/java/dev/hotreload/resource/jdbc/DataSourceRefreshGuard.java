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

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.ClassUtils;

/**
 * Keeps Spring Cloud's refresh from ever destroying a pool hotreload manages, whatever
 * the application configured: HikariCP DataSources (and hotreload's wrapper) are kept in
 * {@code spring.cloud.refresh.never-refreshable} and out of
 * {@code spring.cloud.refresh.extra-refreshable}. A refresh that changes their keys is
 * applied gracefully by hotreload instead.
 *
 * @author hotreload authors
 */
public class DataSourceRefreshGuard implements EnvironmentPostProcessor, Ordered {

	static final String PROPERTY_SOURCE_NAME = "hotreload-datasource-refresh-guard";

	private static final String HIKARI = "com.zaxxer.hikari.HikariDataSource";

	private static final List<String> MANAGED = List.of(HIKARI, "dev.hotreload.resource.jdbc.ReloadableDataSource");

	private static final Log logger = LogFactory.getLog(DataSourceRefreshGuard.class);

	@Override
	public int getOrder() {
		return ConfigDataEnvironmentPostProcessor.ORDER + 2;
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (!ClassUtils.isPresent(HIKARI, getClass().getClassLoader())) {
			return;
		}
		Binder binder = Binder.get(environment);
		if (!binder.bind("hotreload.enabled", Boolean.class).orElse(true)
				|| !binder.bind("hotreload.datasource.enabled", Boolean.class).orElse(true)) {
			return;
		}
		Set<String> never = new LinkedHashSet<>(
				binder.bind("spring.cloud.refresh.never-refreshable", Bindable.setOf(String.class))
					.orElse(Set.of(HIKARI)));
		List<String> extra = new ArrayList<>(
				binder.bind("spring.cloud.refresh.extra-refreshable", Bindable.listOf(String.class)).orElse(List.of()));
		boolean changed = never.addAll(MANAGED);
		List<String> removed = extra.stream().filter(MANAGED::contains).toList();
		extra.removeAll(MANAGED);
		if (!removed.isEmpty()) {
			logger.info("hotreload applies DataSource changes gracefully: ignoring " + removed
					+ " in spring.cloud.refresh.extra-refreshable, which would close the pool under work");
		}
		if (!changed && removed.isEmpty()) {
			return;
		}
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("spring.cloud.refresh.never-refreshable", String.join(",", never));
		properties.put("spring.cloud.refresh.extra-refreshable", String.join(",", extra));
		environment.getPropertySources().addFirst(new MapPropertySource(PROPERTY_SOURCE_NAME, properties));
	}

}

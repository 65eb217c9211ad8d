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
package dev.hotreload.testsupport.jdbc;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import dev.hotreload.engine.ReloadEngine;
import dev.hotreload.engine.ReloadRequest;
import dev.hotreload.history.HistoryEntry;
import dev.hotreload.resource.ReloadableResource;
import dev.hotreload.resource.ResourceBeanPostProcessor;
import dev.hotreload.resource.ResourceDescriptor;
import dev.hotreload.source.ReloadTrigger;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * What the DataSource tests (HikariCP and Druid) do with their watched config file: start
 * an application on it, rewrite it the way an editor saves (a temporary file moved over
 * it), and reload it through the engine.
 */
public final class ConfigFiles {

	private ConfigFiles() {
	}

	/**
	 * Start an application that watches the file (reloads are asked for by the test).
	 */
	public static ConfigurableApplicationContext run(Class<?> configuration, Path file, String... args) {
		SpringApplication application = new SpringApplication(configuration);
		application.setWebApplicationType(WebApplicationType.NONE);
		List<String> all = new ArrayList<>(List.of("--hotreload.file.locations=" + file, "--hotreload.file.watch=false",
				"--hotreload.file.poll-interval=0"));
		all.addAll(List.of(args));
		return application.run(all.toArray(String[]::new));
	}

	public static Path write(Path file, String content) throws Exception {
		Path temp = file.resolveSibling(file.getFileName() + ".tmp");
		Files.writeString(temp, content, StandardCharsets.UTF_8);
		Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		return file;
	}

	public static HistoryEntry reload(ApplicationContext context, Path file) throws Exception {
		return context.getBean(ReloadEngine.class)
			.submit(new ReloadRequest(List.of("file:" + file), ReloadTrigger.MANUAL, false, null, null))
			.get(30, TimeUnit.SECONDS);
	}

	/**
	 * Describe the resource registered for a bean, as the endpoint does.
	 */
	public static ResourceDescriptor describe(ApplicationContext context, String beanName) {
		return context.getBean(ResourceBeanPostProcessor.resourceBeanName(beanName), ReloadableResource.class)
			.describe();
	}

	public static String catalog(DataSource dataSource) throws Exception {
		try (Connection connection = dataSource.getConnection()) {
			return connection.getCatalog();
		}
	}

}

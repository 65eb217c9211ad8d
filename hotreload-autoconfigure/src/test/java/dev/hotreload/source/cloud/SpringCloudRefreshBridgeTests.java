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

package dev.hotreload.source.cloud;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.hotreload.autoconfigure.HotReloadAutoConfiguration;
import dev.hotreload.autoconfigure.SpringCloudBridgeAutoConfiguration;
import dev.hotreload.engine.TestResource;
import dev.hotreload.history.HistoryEntry;
import dev.hotreload.history.ReloadHistory;
import dev.hotreload.history.ReloadOutcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.cloud.autoconfigure.ConfigurationPropertiesRebinderAutoConfiguration;
import org.springframework.cloud.autoconfigure.RefreshAutoConfiguration;
import org.springframework.cloud.context.refresh.ContextRefresher;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SpringCloudRefreshBridge}: a Spring Cloud context refresh that changes
 * a resource's keys goes through the engine's resource path.
 */
class SpringCloudRefreshBridgeTests {

	@TempDir
	Path directory;

	@Test
	void contextRefreshThatChangesAResourceKeyRebuildsTheResourceBeforeRefreshReturns() throws Exception {
		Path file = this.directory.resolve("cloud.properties");
		Files.writeString(file, "resource.url=db1\ngreeting=hello\n");
		SpringApplication application = new SpringApplication(TestApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		try (ConfigurableApplicationContext context = application.run("--spring.config.import=optional:file:" + file)) {
			TestResource resource = context.getBean(TestResource.class);
			assertThat(resource.live()).isEqualTo("db1");
			Files.writeString(file, "resource.url=db2\ngreeting=hello\n");
			context.getBean(ContextRefresher.class).refresh();
			assertThat(resource.live()).isEqualTo("db2");
			List<HistoryEntry> history = context.getBean(ReloadHistory.class).entries();
			assertThat(history).hasSize(1);
			HistoryEntry entry = history.get(0);
			assertThat(entry.outcome()).isEqualTo(ReloadOutcome.APPLIED);
			assertThat(entry.trigger()).isEqualTo("spring-cloud");
			assertThat(entry.source()).isEqualTo("spring-cloud");
			assertThat(entry.changedKeys()).extracting((key) -> key.key()).containsExactly("resource.url");
			assertThat(entry.resources()).hasSize(1);
		}
	}

	@Test
	void rejectedResourceChangeKeepsTheOldInstance() throws Exception {
		Path file = this.directory.resolve("cloud.properties");
		Files.writeString(file, "resource.url=db1\n");
		SpringApplication application = new SpringApplication(TestApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		try (ConfigurableApplicationContext context = application.run("--spring.config.import=optional:file:" + file)) {
			TestResource resource = context.getBean(TestResource.class);
			resource.failPrepareOn("unreachable");
			Files.writeString(file, "resource.url=unreachable\n");
			context.getBean(ContextRefresher.class).refresh();
			assertThat(resource.live()).isEqualTo("db1");
			HistoryEntry entry = context.getBean(ReloadHistory.class).entries().get(0);
			assertThat(entry.outcome()).isEqualTo(ReloadOutcome.REJECTED);
			assertThat(entry.error()).contains("cannot connect to unreachable");
		}
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ HotReloadAutoConfiguration.class, SpringCloudBridgeAutoConfiguration.class,
			RefreshAutoConfiguration.class, ConfigurationPropertiesRebinderAutoConfiguration.class })
	static class TestApplication {

		@Bean
		TestResource resource(org.springframework.core.env.Environment environment) {
			return new TestResource("resource", "resource.url", environment.getProperty("resource.url"));
		}

	}

}

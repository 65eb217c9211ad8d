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

package dev.hotreload.autoconfigure;

import java.time.Duration;

import dev.hotreload.actuate.HotReloadEndpoint;
import dev.hotreload.actuate.HotReloadEndpointWebExtension;
import dev.hotreload.engine.ReloadEngine;
import dev.hotreload.history.ReloadHistory;
import dev.hotreload.source.cloud.SpringCloudRefreshBridge;
import dev.hotreload.source.file.FileSourceWatcher;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.autoconfigure.RefreshAutoConfiguration;
import org.springframework.cloud.context.environment.EnvironmentChangeEvent;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the auto-configurations of the engine, the file source, the Spring Cloud
 * bridge and the endpoint.
 */
class HotReloadAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(HotReloadAutoConfiguration.class, FileSourceAutoConfiguration.class,
				SpringCloudBridgeAutoConfiguration.class, HotReloadEndpointAutoConfiguration.class,
				EndpointAutoConfiguration.class, RefreshAutoConfiguration.class));

	@Test
	void configuresEngineHistoryFileSourceAndBridgeByDefault() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(ReloadEngine.class);
			assertThat(context).hasSingleBean(ReloadHistory.class);
			assertThat(context).hasSingleBean(FileSourceWatcher.class);
			assertThat(context).hasSingleBean(SpringCloudRefreshBridge.class);
			HotReloadProperties properties = context.getBean(HotReloadProperties.class);
			assertThat(properties.getHistory().getSize()).isEqualTo(100);
			assertThat(properties.getDatasource().getDrainTimeout()).isEqualTo(Duration.ofSeconds(30));
			assertThat(properties.getRedis().getValidationTimeout()).isEqualTo(Duration.ofSeconds(5));
		});
	}

	@Test
	void backsOffEntirelyWhenDisabled() {
		this.runner.withPropertyValues("hotreload.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(ReloadEngine.class);
			assertThat(context).doesNotHaveBean(FileSourceWatcher.class);
			assertThat(context).doesNotHaveBean(SpringCloudRefreshBridge.class);
			assertThat(context).doesNotHaveBean(HotReloadEndpoint.class);
		});
	}

	@Test
	void bridgeCanBeTurnedOff() {
		this.runner.withPropertyValues("hotreload.spring-cloud.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(SpringCloudRefreshBridge.class));
	}

	@Test
	void bridgeBacksOffWithoutSpringCloudContext() {
		this.runner.withClassLoader(new FilteredClassLoader(EnvironmentChangeEvent.class))
			.run((context) -> assertThat(context).doesNotHaveBean(SpringCloudRefreshBridge.class));
	}

	@Test
	void endpointIsConfiguredWhenExposed() {
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=hotreload")
			.run((context) -> assertThat(context).hasSingleBean(HotReloadEndpoint.class));
	}

	@Test
	void webExtensionIsConfiguredWhenExposedOverHttp() {
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=hotreload")
			.run((context) -> assertThat(context).hasSingleBean(HotReloadEndpointWebExtension.class));
	}

	@Test
	void webExtensionIsNotConfiguredWhenExposedOverJmxOnly() {
		this.runner.withPropertyValues("spring.jmx.enabled=true", "management.endpoints.jmx.exposure.include=hotreload")
			.run((context) -> assertThat(context).hasSingleBean(HotReloadEndpoint.class)
				.doesNotHaveBean(HotReloadEndpointWebExtension.class));
	}

	@Test
	void endpointIsNotConfiguredWhenNotExposed() {
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(HotReloadEndpoint.class));
	}

	@Test
	void endpointIsNotConfiguredWithoutActuator() {
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(HotReloadAutoConfiguration.class, HotReloadEndpointAutoConfiguration.class))
			.withPropertyValues("management.endpoints.web.exposure.include=hotreload")
			.withClassLoader(new FilteredClassLoader(Endpoint.class))
			.run((context) -> assertThat(context).doesNotHaveBean(HotReloadEndpoint.class));
	}

	@Test
	void usesAHistoryTheApplicationDefines() {
		ReloadHistory history = new ReloadHistory(5);
		this.runner.withBean(ReloadHistory.class, () -> history)
			.run((context) -> assertThat(context.getBean(ReloadHistory.class)).isSameAs(history));
	}

	@Test
	void bindsHistoryAndFileProperties() {
		this.runner
			.withPropertyValues("hotreload.history.size=7", "hotreload.file.poll-interval=250ms",
					"hotreload.file.locations=a.yaml,b.properties", "hotreload.jitter=3s")
			.run((context) -> {
				HotReloadProperties properties = context.getBean(HotReloadProperties.class);
				assertThat(properties.getHistory().getSize()).isEqualTo(7);
				assertThat(properties.getFile().getPollInterval()).isEqualTo(Duration.ofMillis(250));
				assertThat(properties.getFile().getLocations()).containsExactly("a.yaml", "b.properties");
				assertThat(properties.getJitter()).isEqualTo(Duration.ofSeconds(3));
			});
	}

}

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

import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;

import com.alibaba.nacos.api.config.ConfigService;
import dev.hotreload.engine.ReloadEngine;
import dev.hotreload.engine.SourceState;
import dev.hotreload.source.ConfigFormat;
import dev.hotreload.source.nacos.InMemoryConfigService;
import dev.hotreload.source.nacos.NacosClientMissingException;
import dev.hotreload.source.nacos.NacosConfigServiceFactory;
import dev.hotreload.source.nacos.NacosConnection;
import dev.hotreload.source.nacos.NacosSettings;
import dev.hotreload.source.nacos.NacosSourceListener;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Tests for {@link NacosSourceAutoConfiguration}.
 *
 * @author hotreload authors
 */
class NacosSourceAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(HotReloadAutoConfiguration.class, NacosSourceAutoConfiguration.class))
		.withUserConfiguration(RecordingFactoryConfiguration.class);

	@Test
	void listensToConfiguredDataIdsWhenServerAddressIsSet() {
		this.runner
			.withPropertyValues("hotreload.nacos.server-addr=127.0.0.1:8848", "hotreload.nacos.namespace=dev",
					"hotreload.nacos.username=app", "hotreload.nacos.password=secret",
					"hotreload.nacos.configs[0].data-id=app.yaml", "hotreload.nacos.configs[1].data-id=extra",
					"hotreload.nacos.configs[1].group=TEAM", "hotreload.nacos.configs[1].format=properties",
					"hotreload.nacos.configs[1].optional=true")
			.run((context) -> {
				assertThat(context).hasSingleBean(NacosConnection.class).hasSingleBean(NacosSourceListener.class);
				assertThat(context.getBean(NacosSourceListener.class).isRunning()).isTrue();
				assertThat(context.getBean(RecordingFactory.class).configService.listenerCount()).isEqualTo(2);
				Properties properties = context.getBean(RecordingFactory.class).properties.get();
				assertThat(properties).containsEntry("serverAddr", "127.0.0.1:8848")
					.containsEntry("namespace", "dev")
					.containsEntry("username", "app")
					.containsEntry("password", "secret");
				assertThat(context.getBean(ReloadEngine.class).sources())
					.extracting(SourceState::name, SourceState::location, SourceState::format)
					.containsExactly(
							tuple("nacos:app.yaml", "127.0.0.1:8848/dev/DEFAULT_GROUP/app.yaml", ConfigFormat.YAML),
							tuple("nacos:TEAM/extra", "127.0.0.1:8848/dev/TEAM/extra", ConfigFormat.PROPERTIES));
			});
	}

	@Test
	void closesTheNacosClientWithTheContext() {
		AtomicReference<InMemoryConfigService> configService = new AtomicReference<>();
		this.runner.withPropertyValues("hotreload.nacos.server-addr=127.0.0.1:8848")
			.run((context) -> configService.set(context.getBean(RecordingFactory.class).configService));
		assertThat(configService.get().isShutDown()).isTrue();
	}

	@Test
	void backsOffWithoutServerAddress() {
		this.runner.withPropertyValues("hotreload.nacos.configs[0].data-id=app.yaml")
			.run((context) -> assertThat(context).doesNotHaveBean(NacosConnection.class)
				.doesNotHaveBean(NacosSourceListener.class));
	}

	@Test
	void backsOffWithoutNacosClientWhenNacosIsNotConfigured() {
		this.runner.withClassLoader(new FilteredClassLoader(ConfigService.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(ReloadEngine.class)
				.doesNotHaveBean(NacosConnection.class)
				.doesNotHaveBean(NacosSourceListener.class));
	}

	@Test
	void failsWhenAServerAddressIsSetWithoutNacosClient() {
		this.runner.withPropertyValues("hotreload.nacos.server-addr=127.0.0.1:8848")
			.withClassLoader(new FilteredClassLoader(ConfigService.class))
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOf(NacosClientMissingException.class)
					.hasMessageContaining(
							"[hotreload.nacos.server-addr] is set but nacos-client is not on the class path");
			});
	}

	@Test
	void failsWhenADataIdIsSetWithoutNacosClient() {
		this.runner.withPropertyValues("hotreload.nacos.configs[0].data-id=app.yaml")
			.withClassLoader(new FilteredClassLoader(ConfigService.class))
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOf(NacosClientMissingException.class)
					.hasMessageContaining("[hotreload.nacos.configs] is set");
			});
	}

	@Test
	void doesNotFailWithoutNacosClientWhenHotReloadIsDisabled() {
		this.runner.withPropertyValues("hotreload.enabled=false", "hotreload.nacos.server-addr=127.0.0.1:8848")
			.withClassLoader(new FilteredClassLoader(ConfigService.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(ReloadEngine.class));
	}

	@Test
	void backsOffWhenHotReloadIsDisabled() {
		this.runner.withPropertyValues("hotreload.enabled=false", "hotreload.nacos.server-addr=127.0.0.1:8848")
			.run((context) -> assertThat(context).doesNotHaveBean(ReloadEngine.class)
				.doesNotHaveBean(NacosConnection.class));
	}

	@Test
	void settingsInferTheFormatAndDefaultTheGroup() {
		HotReloadProperties.Nacos nacos = new HotReloadProperties.Nacos();
		nacos.setServerAddr("127.0.0.1:8848");
		HotReloadProperties.Nacos.Config config = new HotReloadProperties.Nacos.Config();
		config.setDataId("orders.yml");
		nacos.getConfigs().add(config);
		NacosSettings settings = NacosSourceAutoConfiguration.settings(nacos);
		assertThat(settings.configs()).singleElement().satisfies((dataId) -> {
			assertThat(dataId.group()).isEqualTo("DEFAULT_GROUP");
			assertThat(dataId.contentFormat()).isEqualTo(ConfigFormat.YAML);
		});
		assertThat(settings.namespaceName()).isEqualTo("public");
		assertThat(settings.failFast()).isTrue();
	}

	@Configuration(proxyBeanMethods = false)
	static class RecordingFactoryConfiguration {

		@Bean
		RecordingFactory recordingFactory() {
			return new RecordingFactory();
		}

	}

	/**
	 * Records the client properties and hands out a config service that is in memory.
	 */
	static final class RecordingFactory implements NacosConfigServiceFactory {

		private final AtomicReference<Properties> properties = new AtomicReference<>();

		private final InMemoryConfigService configService = new InMemoryConfigService();

		@Override
		public ConfigService create(Properties properties) {
			this.properties.set(properties);
			return this.configService;
		}

	}

}

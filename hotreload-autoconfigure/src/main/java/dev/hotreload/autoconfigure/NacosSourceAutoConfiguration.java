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

import com.alibaba.nacos.api.config.ConfigService;
import dev.hotreload.engine.ReloadEngine;
import dev.hotreload.source.nacos.NacosClientMissingException;
import dev.hotreload.source.nacos.NacosConfigServiceFactory;
import dev.hotreload.source.nacos.NacosConnection;
import dev.hotreload.source.nacos.NacosSettings;
import dev.hotreload.source.nacos.NacosSourceListener;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration of the Nacos source: the data-ids of
 * {@code hotreload.nacos.configs}, followed through Nacos listeners. The data-ids
 * themselves are loaded at startup by
 * {@link dev.hotreload.source.nacos.NacosSourceEnvironmentPostProcessor}, whose Nacos
 * client is reused here. When {@code hotreload.nacos.*} asks for the source but
 * nacos-client is not on the class path, the context fails to start with a
 * {@link NacosClientMissingException}, whose failure analysis says what to add.
 *
 * @author hotreload authors
 */
@AutoConfiguration(after = HotReloadAutoConfiguration.class)
@ConditionalOnBean(ReloadEngine.class)
public final class NacosSourceAutoConfiguration {

	static NacosSettings settings(HotReloadProperties.Nacos nacos) {
		return new NacosSettings(nacos.getServerAddr(), nacos.getNamespace(), nacos.getUsername(), nacos.getPassword(),
				nacos.getAccessKey(), nacos.getSecretKey(), nacos.isFailFast(), nacos.getTimeout(),
				nacos.getHealthCheckInterval(),
				nacos.getConfigs()
					.stream()
					.map((config) -> new NacosSettings.DataId(config.getDataId(), config.getGroup(), config.getFormat(),
							config.isOptional()))
					.toList());
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(ConfigService.class)
	@ConditionalOnProperty("hotreload.nacos.server-addr")
	static class NacosClientConfiguration {

		/**
		 * The Nacos client and its data-ids, also the
		 * {@link dev.hotreload.source.ConfigSources} of the engine. Normally registered
		 * by the environment post-processor; created here when the context was built
		 * without it.
		 * @param properties the properties
		 * @param factory creates the config service, nacos-client's own by default
		 * @return the connection
		 */
		@Bean(name = NacosConnection.BEAN_NAME, destroyMethod = "close")
		@ConditionalOnMissingBean
		NacosConnection hotReloadNacosConnection(HotReloadProperties properties,
				ObjectProvider<NacosConfigServiceFactory> factory) {
			return NacosConnection.open(settings(properties.getNacos()),
					factory.getIfAvailable(NacosConfigServiceFactory::standard));
		}

		@Bean
		@ConditionalOnMissingBean
		NacosSourceListener hotReloadNacosSourceListener(NacosConnection connection, ReloadEngine engine,
				HotReloadProperties properties) {
			return new NacosSourceListener(connection, engine, properties.getNacos().getHealthCheckInterval());
		}

	}

	/**
	 * Fails the context: the Nacos source is asked for, nacos-client is missing.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingClass(NacosClientMissingException.CONFIG_SERVICE_CLASS)
	@Conditional(NacosSourceRequested.class)
	static class MissingNacosClientConfiguration {

		MissingNacosClientConfiguration(Environment environment) {
			throw new NacosClientMissingException(
					NacosClientMissingException.requestingProperties(Binder.get(environment)));
		}

	}

	/**
	 * A server address or a data-id is set.
	 */
	static final class NacosSourceRequested extends AnyNestedCondition {

		NacosSourceRequested() {
			super(ConfigurationPhase.REGISTER_BEAN);
		}

		@ConditionalOnProperty("hotreload.nacos.server-addr")
		static final class ServerAddress {

		}

		@ConditionalOnProperty("hotreload.nacos.configs[0].data-id")
		static final class DataId {

		}

	}

}

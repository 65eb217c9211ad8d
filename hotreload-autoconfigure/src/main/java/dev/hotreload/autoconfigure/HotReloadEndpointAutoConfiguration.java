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

import dev.hotreload.actuate.BuildDescriptor;
import dev.hotreload.actuate.HotReloadEndpoint;
import dev.hotreload.actuate.HotReloadEndpointWebExtension;
import dev.hotreload.engine.ReloadEngine;
import dev.hotreload.history.ReloadHistory;
import dev.hotreload.resource.ReloadableResource;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.info.BuildProperties;
import org.springframework.boot.info.GitProperties;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of {@code /actuator/hotreload}.
 *
 * @author hotreload authors
 */
@AutoConfiguration(after = HotReloadAutoConfiguration.class)
@ConditionalOnClass(Endpoint.class)
@ConditionalOnBean(ReloadEngine.class)
@ConditionalOnAvailableEndpoint(HotReloadEndpoint.class)
@EnableConfigurationProperties(HotReloadEndpointProperties.class)
public final class HotReloadEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	HotReloadEndpoint hotReloadEndpoint(ReloadEngine engine, ReloadHistory history,
			ObjectProvider<ReloadableResource> resources, ObjectProvider<BuildProperties> buildProperties,
			ObjectProvider<GitProperties> gitProperties, ObjectProvider<SanitizingFunction> sanitizingFunctions,
			HotReloadEndpointProperties endpointProperties, HotReloadProperties properties) {
		return new HotReloadEndpoint(engine, history, () -> resources.orderedStream().toList(),
				() -> BuildDescriptor.of(buildProperties.getIfAvailable(), gitProperties.getIfAvailable()),
				sanitizingFunctions.orderedStream().toList(), endpointProperties.getShowValues(),
				endpointProperties.getRoles(), properties.getRequestTimeout());
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(HotReloadEndpoint.class)
	@ConditionalOnAvailableEndpoint(exposure = EndpointExposure.WEB)
	HotReloadEndpointWebExtension hotReloadEndpointWebExtension(HotReloadEndpoint endpoint) {
		return new HotReloadEndpointWebExtension(endpoint);
	}

}

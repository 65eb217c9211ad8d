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

import dev.hotreload.actuate.HotReloadEndpoint;
import dev.hotreload.actuate.HotReloadEndpointRequestFilter;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Management context configuration that lets {@code POST /actuator/hotreload} be called
 * without a JSON content type on a servlet web server, on the main port or on a separate
 * management port alike.
 *
 * @author hotreload authors
 */
@ManagementContextConfiguration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({ OncePerRequestFilter.class, FilterRegistrationBean.class })
@ConditionalOnAvailableEndpoint(endpoint = HotReloadEndpoint.class, exposure = EndpointExposure.WEB)
public final class HotReloadEndpointManagementContextConfiguration {

	/**
	 * Runs before Spring Security's filters, so that no filter reads a form body as
	 * request parameters before it is turned into JSON.
	 */
	static final int ORDER = -10_000;

	@Bean
	FilterRegistrationBean<HotReloadEndpointRequestFilter> hotReloadEndpointRequestFilter(
			ObjectProvider<PathMappedEndpoints> pathMappedEndpoints) {
		HotReloadEndpointRequestFilter filter = new HotReloadEndpointRequestFilter(() -> {
			PathMappedEndpoints endpoints = pathMappedEndpoints.getIfAvailable();
			return (endpoints != null) ? endpoints.getPath(EndpointId.of("hotreload")) : null;
		});
		FilterRegistrationBean<HotReloadEndpointRequestFilter> registration = new FilterRegistrationBean<>(filter);
		registration.setName("hotReloadEndpointRequestFilter");
		registration.setOrder(ORDER);
		return registration;
	}

}

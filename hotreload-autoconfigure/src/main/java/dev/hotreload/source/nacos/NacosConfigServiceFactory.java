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

package dev.hotreload.source.nacos;

import java.util.Properties;

import com.alibaba.nacos.api.NacosFactory;
import com.alibaba.nacos.api.config.ConfigService;
import com.alibaba.nacos.api.exception.NacosException;

/**
 * Creates the Nacos {@link ConfigService} the Nacos source reads and listens through. The
 * standard one is nacos-client's. Another one is used when registered in the bootstrap
 * registry before the environment is prepared
 * ({@code SpringApplication.addBootstrapRegistryInitializer}), or as a bean when the
 * source is created without the environment post-processor.
 *
 * @author hotreload authors
 */
@FunctionalInterface
public interface NacosConfigServiceFactory {

	/**
	 * Create a config service.
	 * @param properties the client's properties, keyed by nacos-client's
	 * {@link com.alibaba.nacos.api.PropertyKeyConst} names
	 * @return the config service
	 * @throws NacosException if the client cannot be created
	 */
	ConfigService create(Properties properties) throws NacosException;

	/**
	 * Return the factory that creates nacos-client's own config service.
	 * @return the standard factory
	 */
	static NacosConfigServiceFactory standard() {
		return NacosFactory::createConfigService;
	}

}

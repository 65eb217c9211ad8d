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

import dev.hotreload.engine.ReloadEngine;
import dev.hotreload.source.cloud.SpringCloudRefreshBridge;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the bridge that sends Spring Cloud's environment changes through
 * the reload engine.
 *
 * @author hotreload authors
 */
@AutoConfiguration(after = HotReloadAutoConfiguration.class)
@ConditionalOnClass(EnvironmentChangeEvent.class)
@ConditionalOnBean(ReloadEngine.class)
@ConditionalOnBooleanProperty(name = "hotreload.spring-cloud.enabled", matchIfMissing = true)
public final class SpringCloudBridgeAutoConfiguration {

	@Bean
	SpringCloudRefreshBridge hotReloadSpringCloudRefreshBridge(ApplicationContext context, ReloadEngine engine,
			HotReloadProperties properties) {
		return new SpringCloudRefreshBridge(context, engine, properties.getRequestTimeout());
	}

}

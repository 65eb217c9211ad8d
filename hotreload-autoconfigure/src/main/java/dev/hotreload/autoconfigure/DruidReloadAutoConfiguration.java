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

import com.alibaba.druid.pool.DruidDataSource;
import dev.hotreload.resource.druid.ReloadableDruidDataSourcePostProcessor;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration that serves every Alibaba Druid DataSource bean through a reloadable
 * one, with the {@code hotreload.datasource.*} timeouts. The post-processor acts on the
 * beans that are Druid pools when they are created: a {@code @Bean} method often declares
 * {@code DataSource} as its type, which no condition on bean types can see before the
 * bean exists.
 *
 * @author hotreload authors
 */
@AutoConfiguration(after = HotReloadAutoConfiguration.class)
@ConditionalOnClass(DruidDataSource.class)
@ConditionalOnBooleanProperty(name = "hotreload.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "hotreload.datasource.enabled", matchIfMissing = true)
public final class DruidReloadAutoConfiguration {

	@Bean
	static ReloadableDruidDataSourcePostProcessor hotReloadDruidDataSourcePostProcessor(Environment environment) {
		HotReloadProperties properties = Binder.get(environment)
			.bind("hotreload", HotReloadProperties.class)
			.orElseGet(HotReloadProperties::new);
		return new ReloadableDruidDataSourcePostProcessor(properties.getDatasource().getValidationTimeout(),
				properties.getDatasource().getDrainTimeout());
	}

}

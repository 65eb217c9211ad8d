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

import com.zaxxer.hikari.HikariDataSource;
import dev.hotreload.resource.jdbc.ReloadableDataSourcePostProcessor;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration that serves every HikariCP DataSource through a reloadable one.
 *
 * @author hotreload authors
 */
@AutoConfiguration(before = DataSourceAutoConfiguration.class, after = HotReloadAutoConfiguration.class)
@ConditionalOnClass({ HikariDataSource.class, DataSourceProperties.class })
@ConditionalOnBooleanProperty(name = "hotreload.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "hotreload.datasource.enabled", matchIfMissing = true)
public final class DataSourceReloadAutoConfiguration {

	@Bean
	static ReloadableDataSourcePostProcessor hotReloadDataSourcePostProcessor(Environment environment) {
		HotReloadProperties properties = Binder.get(environment)
			.bind("hotreload", HotReloadProperties.class)
			.orElseGet(HotReloadProperties::new);
		return new ReloadableDataSourcePostProcessor(properties.getDatasource().getValidationTimeout(),
				properties.getDatasource().getDrainTimeout());
	}

}

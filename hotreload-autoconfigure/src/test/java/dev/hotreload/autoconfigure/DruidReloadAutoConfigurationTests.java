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

import javax.sql.DataSource;

import com.alibaba.druid.pool.DruidDataSource;
import dev.hotreload.resource.ReloadableResource;
import dev.hotreload.resource.druid.ReloadableDruidDataSource;
import dev.hotreload.resource.druid.ReloadableDruidDataSourcePostProcessor;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DruidReloadAutoConfiguration}.
 *
 * @author hotreload authors
 */
class DruidReloadAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(HotReloadAutoConfiguration.class, DruidReloadAutoConfiguration.class,
				DataSourceAutoConfiguration.class))
		.withPropertyValues("spring.datasource.url=jdbc:h2:mem:druid-autoconfiguration");

	@Test
	void servesADruidBeanDeclaredAsDataSourceThroughAReloadableOne() {
		this.runner.withUserConfiguration(DruidBean.class).run((context) -> {
			assertThat(context).hasSingleBean(ReloadableDruidDataSourcePostProcessor.class);
			assertThat(context.getBean(DataSource.class)).isInstanceOf(ReloadableDruidDataSource.class);
			assertThat(context.getBean(DataSource.class).unwrap(DruidDataSource.class).getName())
				.isEqualTo("dataSource");
			assertThat(context.getBean("dataSource.hotreload", ReloadableResource.class)).satisfies((resource) -> {
				assertThat(resource.type()).isEqualTo("druid");
				assertThat(resource.describe().generation()).isEqualTo(1);
				assertThat(resource.describe().details()).containsEntry("reloadable", true)
					.containsEntry("settingsFrom",
							"spring.datasource.druid.* and spring.datasource.{url,username,password,driver-class-name}");
			});
		});
	}

	@Test
	void servesSpringBootsDruidDataSourceFromSpringDatasource() {
		this.runner.withPropertyValues("spring.datasource.type=" + DruidDataSource.class.getName()).run((context) -> {
			assertThat(context.getBean(DataSource.class)).isInstanceOf(ReloadableDruidDataSource.class);
			assertThat(context.getBean("dataSource.hotreload", ReloadableResource.class).describe().details())
				.containsEntry("reloadable", true)
				.containsEntry("settingsFrom", "spring.datasource.*");
		});
	}

	@Test
	void backsOffWithoutDruid() {
		this.runner.withClassLoader(new FilteredClassLoader(DruidDataSource.class))
			.run((context) -> assertThat(context).doesNotHaveBean(ReloadableDruidDataSourcePostProcessor.class));
	}

	@Test
	void leavesDruidAloneWhenDataSourceReloadIsDisabled() {
		this.runner.withUserConfiguration(DruidBean.class)
			.withPropertyValues("hotreload.datasource.enabled=false")
			.run((context) -> {
				assertThat(context).doesNotHaveBean(ReloadableDruidDataSourcePostProcessor.class);
				assertThat(context.getBean(DataSource.class)).isInstanceOf(DruidDataSource.class);
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class DruidBean {

		@Bean(destroyMethod = "close")
		@ConfigurationProperties("spring.datasource.druid")
		DataSource dataSource() {
			return new DruidDataSource();
		}

	}

}

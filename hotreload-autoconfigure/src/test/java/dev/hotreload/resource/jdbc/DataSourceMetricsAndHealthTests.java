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

package dev.hotreload.resource.jdbc;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.hotreload.autoconfigure.DataSourceReloadAutoConfiguration;
import dev.hotreload.autoconfigure.FileSourceAutoConfiguration;
import dev.hotreload.autoconfigure.HotReloadAutoConfiguration;
import dev.hotreload.engine.ReloadEngine;
import dev.hotreload.engine.ReloadRequest;
import dev.hotreload.engine.ReloadTrigger;
import dev.hotreload.history.ReloadOutcome;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.health.DataSourceHealthContributorAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.metrics.DataSourcePoolMetricsAutoConfiguration;
import org.springframework.boot.jdbc.metadata.DataSourcePoolMetadataProvider;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.cloud.autoconfigure.RefreshAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * HikariCP's meters, Spring Boot's pool metadata and DataSource health follow the new
 * pool; the old pool's meters are removed when it retires.
 */
class DataSourceMetricsAndHealthTests {

	@TempDir
	Path directory;

	@BeforeAll
	static void createDatabases() throws Exception {
		Postgres.createDatabase(ReloadableDataSourceLoadTests.A);
		Postgres.createDatabase(ReloadableDataSourceLoadTests.B);
	}

	@Test
	void metersMetadataAndHealthFollowTheNewPool() throws Exception {
		Path config = this.directory.resolve("app.yaml");
		Files.writeString(config, yaml(ReloadableDataSourceLoadTests.A));
		SpringApplication application = new SpringApplication(TestApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		try (ConfigurableApplicationContext context = application.run("--hotreload.file.locations=" + config,
				"--hotreload.file.watch=false", "--hotreload.file.poll-interval=0")) {
			ReloadableDataSource dataSource = context.getBean(ReloadableDataSource.class);
			try (var connection = dataSource.getConnection()) {
				assertThat(connection.isValid(1)).isTrue();
			}
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			assertThat(meters.find("hikaricp.connections").tag("pool", "dataSource").gauge()).isNotNull();
			Files.writeString(config, yaml(ReloadableDataSourceLoadTests.B));
			assertThat(context.getBean(ReloadEngine.class)
				.submit(new ReloadRequest(List.of("file:" + config), ReloadTrigger.MANUAL, false, null, null))
				.get(30, TimeUnit.SECONDS)
				.outcome()).isEqualTo(ReloadOutcome.APPLIED);
			assertThat(meters.find("hikaricp.connections").tag("pool", "dataSource-g2").gauge()).isNotNull();
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(meters.find("hikaricp.connections").tag("pool", "dataSource").gauge())
					.isNull());
			var metadata = context.getBean(DataSourcePoolMetadataProvider.class).getDataSourcePoolMetadata(dataSource);
			assertThat(metadata).isNotNull();
			assertThat(metadata.getMax()).isEqualTo(dataSource.getPool().getMaximumPoolSize());
			HealthIndicator health = context.getBean("dbHealthContributor", HealthIndicator.class);
			assertThat(health.health(true).getStatus()).isEqualTo(Status.UP);
			assertThat(health.health(true).getDetails().get("database")).isEqualTo("PostgreSQL");
		}
	}

	private static String yaml(String database) {
		return "spring:\n  datasource:\n    url: " + Postgres.url(database)
				+ "\n    username: postgres\n    password: postgres\n    hikari:\n      minimum-idle: 1\n";
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ HotReloadAutoConfiguration.class, FileSourceAutoConfiguration.class,
			DataSourceReloadAutoConfiguration.class, DataSourceAutoConfiguration.class, MetricsAutoConfiguration.class,
			DataSourcePoolMetricsAutoConfiguration.class, DataSourceHealthContributorAutoConfiguration.class,
			RefreshAutoConfiguration.class })
	static class TestApplication {

		@Bean
		SimpleMeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

	}

}

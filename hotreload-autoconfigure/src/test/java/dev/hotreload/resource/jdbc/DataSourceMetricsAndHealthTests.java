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
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import dev.hotreload.autoconfigure.DataSourceReloadAutoConfiguration;
import dev.hotreload.autoconfigure.FileSourceAutoConfiguration;
import dev.hotreload.autoconfigure.HotReloadAutoConfiguration;
import dev.hotreload.engine.ReloadEngine;
import dev.hotreload.engine.ReloadRequest;
import dev.hotreload.history.ReloadOutcome;
import dev.hotreload.source.ReloadTrigger;
import dev.hotreload.testsupport.jdbc.ConfigFiles;
import dev.hotreload.testsupport.jdbc.Postgres;
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
			AtomicBoolean running = new AtomicBoolean(true);
			AtomicLong queries = new AtomicLong();
			ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
			ExecutorService load = Executors.newFixedThreadPool(8);
			for (int i = 0; i < 8; i++) {
				load.execute(() -> {
					while (running.get()) {
						try (var connection = dataSource.getConnection();
								var statement = connection.createStatement()) {
							statement.execute("select pg_sleep(0.005)");
							queries.incrementAndGet();
						}
						catch (Exception ex) {
							failures.add(ex.getMessage());
						}
					}
				});
			}
			for (int swap = 1; swap <= 5; swap++) {
				String database = (swap % 2 == 1) ? ReloadableDataSourceLoadTests.B : ReloadableDataSourceLoadTests.A;
				Files.writeString(config, yaml(database, swap + 1));
				assertThat(context.getBean(ReloadEngine.class)
					.submit(new ReloadRequest(List.of("file:" + config), ReloadTrigger.MANUAL, false, null, null))
					.get(30, TimeUnit.SECONDS)
					.outcome()).isEqualTo(ReloadOutcome.APPLIED);
				Thread.sleep(200);
			}
			running.set(false);
			load.shutdown();
			assertThat(load.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
			assertThat(failures).isEmpty();
			assertThat(queries.get()).isPositive();
			assertThat(ConfigFiles.describe(context, "dataSource").generation()).isEqualTo(6);
			// the live pool's meters keep the configured name and read the live pool
			assertThat(meters.find("hikaricp.connections.active").tag("pool", "dataSource").gauge()).isNotNull();
			assertThat(meters.find("hikaricp.connections.min").tag("pool", "dataSource").gauge().value())
				.isEqualTo(dataSource.getPool().getMinimumIdle())
				.isEqualTo(6);
			assertThat(meters.find("hikaricp.connections.usage").tag("pool", "dataSource").timer().count())
				.isGreaterThanOrEqualTo(queries.get());
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(meters.getMeters())
					.filteredOn((meter) -> meter.getId().getName().startsWith("hikaricp."))
					.allSatisfy((meter) -> assertThat(meter.getId().getTag("pool")).isEqualTo("dataSource")));
			assertThat(meters.find("hikaricp.connections").gauges()).hasSize(1);
			// Spring Boot's own pool meters read the live pool too
			assertThat(meters.find("jdbc.connections.min").tag("name", "dataSource").gauge().value()).isEqualTo(6);
			assertThat(meters.find("jdbc.connections.max").tag("name", "dataSource").gauge().value())
				.isEqualTo(dataSource.getPool().getMaximumPoolSize());
			var metadata = context.getBean(DataSourcePoolMetadataProvider.class).getDataSourcePoolMetadata(dataSource);
			assertThat(metadata).isNotNull();
			assertThat(metadata.getMax()).isEqualTo(dataSource.getPool().getMaximumPoolSize());
			HealthIndicator health = context.getBean("dbHealthContributor", HealthIndicator.class);
			assertThat(health.health(true).getStatus()).isEqualTo(Status.UP);
			assertThat(health.health(true).getDetails().get("database")).isEqualTo("PostgreSQL");
		}
	}

	private static String yaml(String database) {
		return yaml(database, 1);
	}

	private static String yaml(String database, int minimumIdle) {
		return "spring:\n  datasource:\n    url: " + Postgres.url(database)
				+ "\n    username: postgres\n    password: postgres\n    hikari:\n      minimum-idle: " + minimumIdle
				+ "\n";
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

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

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.hotreload.autoconfigure.DataSourceReloadAutoConfiguration;
import dev.hotreload.autoconfigure.FileSourceAutoConfiguration;
import dev.hotreload.autoconfigure.HotReloadAutoConfiguration;
import dev.hotreload.autoconfigure.SpringCloudBridgeAutoConfiguration;
import dev.hotreload.engine.ReloadEngine;
import dev.hotreload.engine.ReloadRequest;
import dev.hotreload.history.HistoryEntry;
import dev.hotreload.history.ReloadHistory;
import dev.hotreload.history.ReloadOutcome;
import dev.hotreload.source.ReloadTrigger;
import dev.hotreload.testsupport.jdbc.ConfigFiles;
import dev.hotreload.testsupport.jdbc.Postgres;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.cloud.autoconfigure.ConfigurationPropertiesRebinderAutoConfiguration;
import org.springframework.cloud.autoconfigure.RefreshAutoConfiguration;
import org.springframework.cloud.context.refresh.ContextRefresher;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two DataSources in one application reload independently and all or nothing; a Spring
 * Cloud context refresh that changes the url goes through the same graceful path.
 */
class TwoDataSourcesAndRefreshTests {

	static final String A = ReloadableDataSourceLoadTests.A;

	static final String B = ReloadableDataSourceLoadTests.B;

	@TempDir
	Path directory;

	@BeforeAll
	static void createDatabases() throws Exception {
		Postgres.createDatabase(A);
		Postgres.createDatabase(B);
	}

	@Test
	void twoDataSourcesReloadIndependentlyAndAllOrNothing() throws Exception {
		Path config = this.directory.resolve("two.yaml");
		Files.writeString(config, two(A, A));
		try (ConfigurableApplicationContext context = run(TwoDataSources.class, "--hotreload.file.locations=" + config,
				"--hotreload.file.watch=false", "--hotreload.file.poll-interval=0")) {
			ReloadableDataSource primary = (ReloadableDataSource) context.getBean("dataSource", DataSource.class);
			ReloadableDataSource reports = (ReloadableDataSource) context.getBean("reportsDataSource",
					DataSource.class);
			Files.writeString(config, two(A, B));
			HistoryEntry onlyReports = submit(context, config);
			assertThat(onlyReports.outcome()).isEqualTo(ReloadOutcome.APPLIED);
			assertThat(onlyReports.resources()).extracting((result) -> result.name())
				.containsExactly("reportsDataSource");
			assertThat(ConfigFiles.describe(context, "dataSource").generation()).isEqualTo(1);
			assertThat(ConfigFiles.describe(context, "reportsDataSource").generation()).isEqualTo(2);
			assertThat(catalog(reports)).isEqualTo(B);
			HikariDataSource primaryPool = primary.getPool();
			HikariDataSource reportsPool = reports.getPool();
			Files.writeString(config, two(B, "no_such_database"));
			HistoryEntry failing = submit(context, config);
			assertThat(failing.outcome()).isEqualTo(ReloadOutcome.REJECTED);
			assertThat(failing.error()).contains("reportsDataSource");
			assertThat(primary.getPool()).isSameAs(primaryPool);
			assertThat(reports.getPool()).isSameAs(reportsPool);
			assertThat(catalog(primary)).isEqualTo(A);
			assertThat(catalog(reports)).isEqualTo(B);
			assertThat(context.getEnvironment().getProperty("spring.datasource.url")).contains(A);
		}
	}

	@Test
	void springCloudRefreshThatChangesTheUrlRebuildsThePoolGracefully() throws Exception {
		Path config = this.directory.resolve("cloud.properties");
		Files.writeString(config, "spring.datasource.url=" + Postgres.url(A) + "\n");
		try (ConfigurableApplicationContext context = run(OneDataSource.class,
				"--spring.config.import=optional:file:" + config, "--spring.datasource.username=postgres",
				"--spring.datasource.password=postgres",
				"--spring.cloud.refresh.extra-refreshable=com.zaxxer.hikari.HikariDataSource",
				"--spring.cloud.refresh.never-refreshable=")) {
			TransactionTemplate transactions = context.getBean(TransactionTemplate.class);
			JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
			AtomicBoolean running = new AtomicBoolean(true);
			AtomicLong committed = new AtomicLong();
			ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
			ExecutorService load = Executors.newFixedThreadPool(8);
			for (int i = 0; i < 8; i++) {
				load.execute(() -> {
					while (running.get()) {
						try {
							transactions.executeWithoutResult((status) -> {
								jdbc.update("insert into tx_rows values (-2, 1)");
								jdbc.execute("select pg_sleep(0.02)");
								jdbc.update("insert into tx_rows values (-2, 2)");
							});
							committed.incrementAndGet();
						}
						catch (RuntimeException ex) {
							failures.add(ex.getMessage());
						}
					}
				});
			}
			ContextRefresher refresher = context.getBean(ContextRefresher.class);
			for (int flip = 0; flip < 6; flip++) {
				String target = (flip % 2 == 0) ? B : A;
				Files.writeString(config, "spring.datasource.url=" + Postgres.url(target) + "\n");
				assertThat(refresher.refresh()).contains("spring.datasource.url");
				assertThat(jdbc.queryForObject("select current_database()", String.class)).isEqualTo(target);
				Thread.sleep(200);
			}
			running.set(false);
			load.shutdown();
			assertThat(load.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
			assertThat(failures).isEmpty();
			assertThat(committed.get()).isPositive();
			List<HistoryEntry> history = context.getBean(ReloadHistory.class).entries();
			assertThat(history).hasSize(6)
				.allSatisfy((entry) -> assertThat(entry.trigger()).isEqualTo("spring-cloud"))
				.allSatisfy((entry) -> assertThat(entry.outcome()).isEqualTo(ReloadOutcome.APPLIED));
			assertThat(context.getBean(DataSource.class)).isInstanceOf(ReloadableDataSource.class);
			assertThat(ConfigFiles.describe(context, "dataSource").generation()).isEqualTo(7);
		}
		finally {
			Postgres.execute(A, "delete from tx_rows where tx_id = -2");
			Postgres.execute(B, "delete from tx_rows where tx_id = -2");
		}
	}

	@Test
	void leavesARefreshScopedDataSourceToItsScopeWithoutBreakingIt() throws Exception {
		Path config = this.directory.resolve("scoped.properties");
		Files.writeString(config, scoped(A));
		try (ConfigurableApplicationContext context = run(RefreshScopedDataSource.class,
				"--spring.config.import=optional:file:" + config)) {
			DataSource dataSource = context.getBean(DataSource.class);
			assertThat(dataSource.isWrapperFor(ReloadableDataSource.class)).isFalse();
			assertThat(catalog(dataSource)).isEqualTo(A);
			Files.writeString(config, scoped(B));
			assertThat(context.getBean(ContextRefresher.class).refresh()).contains("app.scoped.jdbc-url");
			assertThat(catalog(dataSource)).isEqualTo(B);
		}
	}

	private static String scoped(String database) {
		return "app.scoped.jdbc-url=" + Postgres.url(database)
				+ "\napp.scoped.username=postgres\napp.scoped.password=postgres\n";
	}

	private static String catalog(DataSource dataSource) throws Exception {
		try (var connection = dataSource.getConnection()) {
			return connection.getCatalog();
		}
	}

	private static String two(String primary, String reports) {
		return "spring:\n  datasource:\n    url: " + Postgres.url(primary) + "\n    username: postgres\n"
				+ "    password: postgres\napp:\n  reports:\n    jdbc-url: " + Postgres.url(reports) + "\n"
				+ "    username: postgres\n    password: postgres\n    maximum-pool-size: 3\n";
	}

	private static HistoryEntry submit(ConfigurableApplicationContext context, Path config) throws Exception {
		return context.getBean(ReloadEngine.class)
			.submit(new ReloadRequest(List.of("file:" + config), ReloadTrigger.MANUAL, false, null, null))
			.get(30, TimeUnit.SECONDS);
	}

	private static ConfigurableApplicationContext run(Class<?> configuration, String... args) {
		SpringApplication application = new SpringApplication(configuration);
		application.setWebApplicationType(WebApplicationType.NONE);
		return application.run(args);
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ HotReloadAutoConfiguration.class, FileSourceAutoConfiguration.class,
			SpringCloudBridgeAutoConfiguration.class, DataSourceReloadAutoConfiguration.class,
			DataSourceAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class,
			JdbcTemplateAutoConfiguration.class, TransactionAutoConfiguration.class, RefreshAutoConfiguration.class,
			ConfigurationPropertiesRebinderAutoConfiguration.class })
	static class OneDataSource {

	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ HotReloadAutoConfiguration.class, SpringCloudBridgeAutoConfiguration.class,
			DataSourceReloadAutoConfiguration.class, RefreshAutoConfiguration.class,
			ConfigurationPropertiesRebinderAutoConfiguration.class })
	static class RefreshScopedDataSource {

		@Bean
		@org.springframework.cloud.context.config.annotation.RefreshScope
		@ConfigurationProperties("app.scoped")
		HikariDataSource dataSource() {
			return new HikariDataSource();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ HotReloadAutoConfiguration.class, FileSourceAutoConfiguration.class,
			DataSourceReloadAutoConfiguration.class, RefreshAutoConfiguration.class,
			ConfigurationPropertiesRebinderAutoConfiguration.class })
	static class TwoDataSources {

		@Bean
		@Primary
		@ConfigurationProperties("spring.datasource.hikari")
		HikariDataSource dataSource(org.springframework.core.env.Environment environment) {
			return DataSourceBuilder.create()
				.type(HikariDataSource.class)
				.url(environment.getProperty("spring.datasource.url"))
				.username(environment.getProperty("spring.datasource.username"))
				.password(environment.getProperty("spring.datasource.password"))
				.build();
		}

		@Bean
		@ConfigurationProperties("app.reports")
		HikariDataSource reportsDataSource() {
			return new HikariDataSource();
		}

		@Bean
		JdbcTemplate reportsJdbc(@Qualifier("reportsDataSource") DataSource reports) {
			return new JdbcTemplate(reports);
		}

	}

}

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

import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.hotreload.autoconfigure.DataSourceReloadAutoConfiguration;
import dev.hotreload.autoconfigure.FileSourceAutoConfiguration;
import dev.hotreload.autoconfigure.HotReloadAutoConfiguration;
import dev.hotreload.autoconfigure.SpringCloudBridgeAutoConfiguration;
import dev.hotreload.history.HistoryEntry;
import dev.hotreload.history.ReloadHistory;
import dev.hotreload.history.ReloadOutcome;
import dev.hotreload.testsupport.jdbc.ConfigFiles;
import dev.hotreload.testsupport.jdbc.LiveThreads;
import dev.hotreload.testsupport.jdbc.Postgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.cloud.autoconfigure.ConfigurationPropertiesRebinderAutoConfiguration;
import org.springframework.cloud.autoconfigure.RefreshAutoConfiguration;
import org.springframework.cloud.context.refresh.ContextRefresher;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A reload moves a DataSource only when the settings it was built from change, and builds
 * the new pool the way Spring Boot built the first one: an embedded database keeps its
 * rows, connection details from elsewhere win over {@code spring.datasource.url}, Spring
 * Boot's pattern for more DataSources follows its own prefixes, and a rejected Spring
 * Cloud refresh is not tried again by unrelated reloads.
 */
class DataSourceEffectiveSettingsTests {

	static final String A = ReloadableDataSourceLoadTests.A;

	static final String B = ReloadableDataSourceLoadTests.B;

	@TempDir
	Path directory;

	private ConfigurableApplicationContext context;

	@BeforeAll
	static void createDatabases() throws Exception {
		Postgres.createDatabase(A);
		Postgres.createDatabase(B);
	}

	@AfterEach
	void close() {
		if (this.context != null) {
			this.context.close();
		}
	}

	@Test
	void embeddedDatabaseKeepsItsRowsAcrossUnrelatedReloads() throws Exception {
		Path config = write("app.yaml", "app:\n  greeting: a\n");
		this.context = run(BootDataSource.class, "--hotreload.file.locations=" + config);
		ReloadableDataSource dataSource = (ReloadableDataSource) this.context.getBean(DataSource.class);
		HikariDataSource pool = dataSource.getPool();
		String url = pool.getJdbcUrl();
		assertThat(url).startsWith("jdbc:h2:mem:");
		JdbcTemplate jdbc = this.context.getBean(JdbcTemplate.class);
		jdbc.execute("create table orders (id int primary key)");
		for (int i = 0; i < 10; i++) {
			jdbc.update("insert into orders values (?)", i);
		}
		for (int i = 0; i < 20; i++) {
			write("app.yaml", "app:\n  greeting: g" + i + "\n");
			HistoryEntry entry = reload(config);
			assertThat(entry.outcome()).isEqualTo(ReloadOutcome.APPLIED);
			assertThat(entry.changedKeys()).extracting((key) -> key.key()).containsExactly("app.greeting");
			assertThat(entry.resources()).isEmpty();
		}
		assertThat(jdbc.queryForObject("select count(*) from orders", Integer.class)).isEqualTo(10);
		assertThat(dataSource.getPool()).isSameAs(pool);
		assertThat(ConfigFiles.describe(this.context, "dataSource").generation()).isEqualTo(1);
		assertThat(LiveThreads.named(pool.getPoolName() + "-g")).isEmpty();
		// a pool setting of the embedded DataSource changes in place, on the same
		// database
		write("app.yaml", "app:\n  greeting: b\nspring:\n  datasource:\n    hikari:\n      maximum-pool-size: 4\n");
		HistoryEntry resized = reload(config);
		assertThat(resized.outcome()).isEqualTo(ReloadOutcome.APPLIED);
		assertThat(resized.resources()).singleElement()
			.satisfies((result) -> assertThat(result.action()).startsWith("in place"));
		assertThat(dataSource.getPool()).isSameAs(pool);
		assertThat(pool.getMaximumPoolSize()).isEqualTo(4);
		assertThat(pool.getJdbcUrl()).isEqualTo(url);
		assertThat(jdbc.queryForObject("select count(*) from orders", Integer.class)).isEqualTo(10);
	}

	@Test
	void connectionDetailsFromElsewhereWinOverTheUrlOnEveryReload() throws Exception {
		Path config = write("app.yaml", details(B, "a", 10));
		this.context = run(DetailsDataSource.class, "--hotreload.file.locations=" + config);
		ReloadableDataSource dataSource = (ReloadableDataSource) this.context.getBean(DataSource.class);
		HikariDataSource pool = dataSource.getPool();
		assertThat(catalog(dataSource)).isEqualTo(A);
		for (int i = 0; i < 5; i++) {
			write("app.yaml", details(B, "g" + i, 10));
			HistoryEntry entry = reload(config);
			assertThat(entry.outcome()).isEqualTo(ReloadOutcome.APPLIED);
			assertThat(entry.resources()).isEmpty();
		}
		// spring.datasource.url is not what the pool is built from
		write("app.yaml", details("no_such_database", "g", 10));
		HistoryEntry url = reload(config);
		assertThat(url.outcome()).isEqualTo(ReloadOutcome.APPLIED);
		assertThat(url.resources()).isEmpty();
		assertThat(dataSource.getPool()).isSameAs(pool);
		assertThat(catalog(dataSource)).isEqualTo(A);
		// its own inputs still apply, with the details
		write("app.yaml", details("no_such_database", "g", 4));
		HistoryEntry resized = reload(config);
		assertThat(resized.outcome()).isEqualTo(ReloadOutcome.APPLIED);
		assertThat(resized.resources()).singleElement()
			.satisfies((result) -> assertThat(result.action()).startsWith("in place"));
		assertThat(pool.getMaximumPoolSize()).isEqualTo(4);
		write("app.yaml", details("no_such_database", "g", 4) + "      connection-init-sql: select 1\n");
		HistoryEntry rebuilt = reload(config);
		assertThat(rebuilt.outcome()).isEqualTo(ReloadOutcome.APPLIED);
		assertThat(ConfigFiles.describe(this.context, "dataSource").generation()).isEqualTo(2);
		assertThat(catalog(dataSource)).isEqualTo(A);
		assertThat(ConfigFiles.describe(this.context, "dataSource").details()).containsEntry("settingsFrom",
				"spring.datasource.hikari.* and TestJdbcConnectionDetails");
	}

	@Test
	void connectionDetailsFromElsewhereWithANamedDataSource() throws Exception {
		String named = "    name: orders\n";
		Path config = write("app.yaml", details(B, "a", 10) + named);
		this.context = run(DetailsDataSource.class, "--hotreload.file.locations=" + config);
		ReloadableDataSource dataSource = (ReloadableDataSource) this.context.getBean(DataSource.class);
		HikariDataSource pool = dataSource.getPool();
		assertThat(catalog(dataSource)).isEqualTo(A);
		write("app.yaml", details(B, "b", 10) + named);
		HistoryEntry unrelated = reload(config);
		assertThat(unrelated.outcome()).as(String.valueOf(unrelated.error())).isEqualTo(ReloadOutcome.APPLIED);
		assertThat(unrelated.resources()).isEmpty();
		write("app.yaml", details(B, "b", 4) + named);
		HistoryEntry resized = reload(config);
		assertThat(resized.outcome()).as(String.valueOf(resized.error())).isEqualTo(ReloadOutcome.APPLIED);
		assertThat(resized.resources()).singleElement()
			.satisfies((result) -> assertThat(result.action()).startsWith("in place"));
		assertThat(dataSource.getPool()).isSameAs(pool);
		assertThat(pool.getMaximumPoolSize()).isEqualTo(4);
	}

	@Test
	void springBootsPatternForMoreDataSourcesFollowsItsOwnPrefixes() throws Exception {
		Path config = write("app.yaml", twoDataSources(A, B, "a"));
		this.context = run(TwoBootPatternDataSources.class, "--hotreload.file.locations=" + config);
		ReloadableDataSource first = (ReloadableDataSource) this.context.getBean("firstDataSource", DataSource.class);
		ReloadableDataSource second = (ReloadableDataSource) this.context.getBean("secondDataSource", DataSource.class);
		HikariDataSource firstPool = first.getPool();
		assertThat(catalog(first)).isEqualTo(A);
		assertThat(catalog(second)).isEqualTo(B);
		for (int i = 0; i < 5; i++) {
			write("app.yaml", twoDataSources(A, B, "g" + i));
			HistoryEntry entry = reload(config);
			assertThat(entry.outcome()).isEqualTo(ReloadOutcome.APPLIED);
			assertThat(entry.resources()).isEmpty();
		}
		write("app.yaml", twoDataSources(A, A, "g"));
		HistoryEntry moved = reload(config);
		assertThat(moved.outcome()).isEqualTo(ReloadOutcome.APPLIED);
		assertThat(moved.resources()).extracting((result) -> result.name()).containsExactly("secondDataSource");
		assertThat(catalog(second)).isEqualTo(A);
		assertThat(ConfigFiles.describe(this.context, "secondDataSource").generation()).isEqualTo(2);
		assertThat(first.getPool()).isSameAs(firstPool);
		assertThat(ConfigFiles.describe(this.context, "firstDataSource").generation()).isEqualTo(1);
		assertThat(ConfigFiles.describe(this.context, "secondDataSource").details()).containsEntry("settingsFrom",
				"app.datasource.second.*");
	}

	@Test
	void rejectedSpringCloudRefreshIsNotTriedAgainByUnrelatedReloads() throws Exception {
		Path cloud = write("cloud.properties", "spring.datasource.url=" + Postgres.url(A) + "\n");
		Path config = write("app.yaml", "app:\n  greeting: a\n");
		this.context = run(BootDataSource.class, "--spring.config.import=optional:file:" + cloud,
				"--spring.datasource.username=postgres", "--spring.datasource.password=postgres",
				"--hotreload.file.locations=" + config);
		ReloadableDataSource dataSource = (ReloadableDataSource) this.context.getBean(DataSource.class);
		HikariDataSource pool = dataSource.getPool();
		write("cloud.properties", "spring.datasource.url=" + Postgres.url("no_such_database") + "\n");
		assertThat(this.context.getBean(ContextRefresher.class).refresh()).contains("spring.datasource.url");
		HistoryEntry rejected = history().get(0);
		assertThat(rejected.trigger()).isEqualTo("spring-cloud");
		assertThat(rejected.outcome()).isEqualTo(ReloadOutcome.REJECTED);
		assertThat(rejected.error()).contains("no_such_database");
		assertThat(ConfigFiles.describe(this.context, "dataSource").details()).extractingByKey("notServed")
			.asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
			.containsEntry("keys", java.util.Set.of("spring.datasource.url"))
			.hasEntrySatisfying("reason", (reason) -> assertThat(reason.toString()).contains("no_such_database"));
		for (int i = 0; i < 10; i++) {
			write("app.yaml", "app:\n  greeting: g" + i + "\n");
			HistoryEntry entry = reload(config);
			assertThat(entry.outcome()).isEqualTo(ReloadOutcome.APPLIED);
			assertThat(entry.resources()).isEmpty();
		}
		assertThat(dataSource.getPool()).isSameAs(pool);
		assertThat(ConfigFiles.describe(this.context, "dataSource").generation()).isEqualTo(1);
		assertThat(catalog(dataSource)).isEqualTo(A);
		// putting the url back reconciles the two without a new pool
		write("cloud.properties", "spring.datasource.url=" + Postgres.url(A) + "\n");
		assertThat(this.context.getBean(ContextRefresher.class).refresh()).contains("spring.datasource.url");
		assertThat(history().get(0).outcome()).isEqualTo(ReloadOutcome.APPLIED);
		assertThat(ConfigFiles.describe(this.context, "dataSource").details()).doesNotContainKey("notServed");
		assertThat(dataSource.getPool()).isSameAs(pool);
	}

	private static String details(String urlDatabase, String greeting, int maximumPoolSize) {
		return "app:\n  greeting: " + greeting + "\nspring:\n  datasource:\n    url: " + Postgres.url(urlDatabase)
				+ "\n    hikari:\n      maximum-pool-size: " + maximumPoolSize + "\n";
	}

	private static String twoDataSources(String first, String second, String greeting) {
		return "app:\n  greeting: " + greeting + "\n  datasource:\n" + bootPattern("first", first)
				+ bootPattern("second", second);
	}

	private static String bootPattern(String name, String database) {
		return "    " + name + ":\n      url: " + Postgres.url(database)
				+ "\n      username: postgres\n      password: postgres\n      configuration:\n"
				+ "        maximum-pool-size: 3\n";
	}

	private Path write(String name, String content) throws Exception {
		return ConfigFiles.write(this.directory.resolve(name), content);
	}

	private HistoryEntry reload(Path config) throws Exception {
		return ConfigFiles.reload(this.context, config);
	}

	private List<HistoryEntry> history() {
		return this.context.getBean(ReloadHistory.class).entries();
	}

	private static String catalog(DataSource dataSource) throws Exception {
		return ConfigFiles.catalog(dataSource);
	}

	private static ConfigurableApplicationContext run(Class<?> configuration, String... args) {
		SpringApplication application = new SpringApplication(configuration);
		application.setWebApplicationType(WebApplicationType.NONE);
		String[] all = new String[args.length + 2];
		System.arraycopy(args, 0, all, 0, args.length);
		all[args.length] = "--hotreload.file.watch=false";
		all[args.length + 1] = "--hotreload.file.poll-interval=0";
		return application.run(all);
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ HotReloadAutoConfiguration.class, FileSourceAutoConfiguration.class,
			SpringCloudBridgeAutoConfiguration.class, DataSourceReloadAutoConfiguration.class,
			DataSourceAutoConfiguration.class, JdbcTemplateAutoConfiguration.class, RefreshAutoConfiguration.class,
			ConfigurationPropertiesRebinderAutoConfiguration.class })
	static class BootDataSource {

	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ HotReloadAutoConfiguration.class, FileSourceAutoConfiguration.class,
			DataSourceReloadAutoConfiguration.class, DataSourceAutoConfiguration.class, RefreshAutoConfiguration.class,
			ConfigurationPropertiesRebinderAutoConfiguration.class })
	static class DetailsDataSource {

		@Bean
		JdbcConnectionDetails testJdbcConnectionDetails() {
			return new TestJdbcConnectionDetails();
		}

	}

	/**
	 * Connection details as Testcontainers or Docker Compose would register them.
	 */
	static final class TestJdbcConnectionDetails implements JdbcConnectionDetails {

		@Override
		public String getUsername() {
			return "postgres";
		}

		@Override
		public String getPassword() {
			return "postgres";
		}

		@Override
		public String getJdbcUrl() {
			return Postgres.url(A);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ HotReloadAutoConfiguration.class, FileSourceAutoConfiguration.class,
			DataSourceReloadAutoConfiguration.class, RefreshAutoConfiguration.class,
			ConfigurationPropertiesRebinderAutoConfiguration.class })
	static class TwoBootPatternDataSources {

		@Bean
		@Primary
		@ConfigurationProperties("app.datasource.first")
		DataSourceProperties firstDataSourceProperties() {
			return new DataSourceProperties();
		}

		@Bean
		@Primary
		@ConfigurationProperties("app.datasource.first.configuration")
		HikariDataSource firstDataSource(DataSourceProperties firstDataSourceProperties) {
			return firstDataSourceProperties.initializeDataSourceBuilder().type(HikariDataSource.class).build();
		}

		@Bean
		@ConfigurationProperties("app.datasource.second")
		DataSourceProperties secondDataSourceProperties() {
			return new DataSourceProperties();
		}

		@Bean
		@ConfigurationProperties("app.datasource.second.configuration")
		HikariDataSource secondDataSource(
				@Qualifier("secondDataSourceProperties") DataSourceProperties secondDataSourceProperties) {
			return secondDataSourceProperties.initializeDataSourceBuilder().type(HikariDataSource.class).build();
		}

	}

}

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

package dev.hotreload.resource.druid;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import javax.sql.DataSource;

import com.alibaba.druid.pool.DruidDataSource;
import dev.hotreload.autoconfigure.DruidReloadAutoConfiguration;
import dev.hotreload.autoconfigure.FileSourceAutoConfiguration;
import dev.hotreload.autoconfigure.HotReloadAutoConfiguration;
import dev.hotreload.autoconfigure.SpringCloudBridgeAutoConfiguration;
import dev.hotreload.history.HistoryEntry;
import dev.hotreload.history.ReloadHistory;
import dev.hotreload.history.ReloadOutcome;
import dev.hotreload.history.ResourceResult;
import dev.hotreload.testsupport.jdbc.ConfigFiles;
import dev.hotreload.testsupport.jdbc.LongTransaction;
import dev.hotreload.testsupport.jdbc.LiveThreads;
import dev.hotreload.testsupport.jdbc.Postgres;
import dev.hotreload.testsupport.jdbc.TransactionLoad;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.cloud.autoconfigure.ConfigurationPropertiesRebinderAutoConfiguration;
import org.springframework.cloud.autoconfigure.RefreshAutoConfiguration;
import org.springframework.cloud.context.refresh.ContextRefresher;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A Druid DataSource follows config changes under real concurrent load against
 * PostgreSQL, with the same guarantees as HikariCP: zero failed transactions, every
 * transaction in one database, every retired pool closed, nothing left behind. The pool
 * is the usual Druid one: {@code spring.datasource.url} and credentials, the pool's
 * settings under {@code spring.datasource.druid}.
 */
class ReloadableDruidDataSourceLoadTests {

	static final String A = "hotreload_druid_a";

	static final String B = "hotreload_druid_b";

	@TempDir
	Path directory;

	private Path config;

	private ConfigurableApplicationContext context;

	@BeforeAll
	static void createDatabases() throws Exception {
		Postgres.createDatabase(A);
		Postgres.createDatabase(B);
	}

	@AfterEach
	void close() throws Exception {
		if (this.context != null) {
			this.context.close();
		}
		for (String database : List.of(A, B)) {
			Postgres.execute(database, "truncate tx_rows");
		}
	}

	@Test
	void flipsTheUrlUnderLoadWithoutAFailedTransaction() throws Exception {
		start(A, "");
		ReloadableDruidDataSource dataSource = this.context.getBean(ReloadableDruidDataSource.class);
		List<DruidDataSource> pools = new ArrayList<>(List.of(dataSource.getPool()));
		TransactionLoad load = new TransactionLoad(this.context, 32).start();
		int flips = 0;
		long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
		while (System.nanoTime() < end || flips < 40) {
			String target = (flips % 2 == 0) ? B : A;
			HistoryEntry entry = reload(target, "");
			assertThat(entry.outcome()).isEqualTo(ReloadOutcome.APPLIED);
			assertThat(entry.error()).isNull();
			assertThat(entry.resources()).singleElement()
				.satisfies((result) -> assertThat(result.action()).matches(
						"new pool dataSource-g\\d+ \\(.*\\), ready with [1-9]\\d* connection\\(s\\) after \\d+ ms"));
			pools.add(dataSource.getPool());
			flips++;
			Thread.sleep(ThreadLocalRandom.current().nextInt(100, 400));
		}
		load.stop();
		assertThat(load.failures).isEmpty();
		assertThat(flips).isGreaterThanOrEqualTo(40);
		assertThat(load.committed.get()).isGreaterThan(1000);
		load.report(flips + " Druid url flips", load.assertLandedWhole(A, B));
		awaitRetired();
		String live = (flips % 2 == 0) ? A : B;
		String other = live.equals(A) ? B : A;
		assertThat(Postgres.connections(other)).isZero();
		assertThat(Postgres.connections(live)).isLessThanOrEqualTo(16);
		assertThat(pools).hasSize(flips + 1).doesNotHaveDuplicates();
		assertThat(pools.subList(0, flips)).allSatisfy((pool) -> assertThat(pool.isClosed()).isTrue());
		assertThat(dataSource.getPool().isClosed()).isFalse();
		assertThat(dataSource.getPool().getName()).isEqualTo("dataSource-g" + (flips + 1));
		// the live pool's create and destroy threads, and no other pool's
		assertThat(LiveThreads.named("Druid-ConnectionPool-")).hasSizeLessThanOrEqualTo(2);
		assertThat(history()).filteredOn((entry) -> !entry.resources().isEmpty())
			.hasSize(flips)
			.allSatisfy((entry) -> assertThat(entry.resources())
				.allSatisfy((result) -> assertThat(result.state()).isEqualTo(ResourceResult.State.RETIRED)));
		assertThat(ConfigFiles.describe(this.context, "dataSource").generation()).isEqualTo(flips + 1);
	}

	@Test
	void rejectsABadUrlUnderLoadAndKeepsServing() throws Exception {
		start(A, "");
		ReloadableDruidDataSource dataSource = this.context.getBean(ReloadableDruidDataSource.class);
		DruidDataSource pool = dataSource.getPool();
		TransactionLoad load = new TransactionLoad(this.context, 8).start();
		Map<String, String> bad = new LinkedHashMap<>();
		bad.put("refused port", yaml("jdbc:postgresql://127.0.0.1:1/" + B, ""));
		bad.put("unknown database", yaml(Postgres.url("no_such_database"), ""));
		bad.put("malformed url", yaml("jdbc:nonsense", ""));
		bad.put("unknown user", yaml(Postgres.url(B), "").replace("username: postgres", "username: no_such_user"));
		bad.put("non-numeric pool size", yaml(Postgres.url(B), "      max-active: lots\n"));
		bad.put("minimum above maximum", yaml(Postgres.url(A), "      min-idle: 40\n"));
		for (Map.Entry<String, String> change : bad.entrySet()) {
			write(change.getValue());
			HistoryEntry entry = submit();
			assertThat(entry.outcome()).as(change.getKey()).isEqualTo(ReloadOutcome.REJECTED);
			assertThat(entry.error()).as(change.getKey())
				.contains("druid resource 'dataSource'")
				.contains("previous configuration keeps serving")
				.doesNotContain("password: postgres");
			assertThat(dataSource.getPool()).isSameAs(pool);
			assertThat(ConfigFiles.describe(this.context, "dataSource").generation()).isEqualTo(1);
		}
		load.stop();
		assertThat(load.failures).isEmpty();
		assertThat(load.committed.get()).isPositive();
		load.report(bad.size() + " rejected Druid changes", load.assertLandedWhole(A, B));
		assertThat(Postgres.queryLong(B, "select count(*) from tx_rows")).isZero();
		assertThat(Postgres.connections(B)).isZero();
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(LiveThreads.named("Druid-ConnectionPool-")).hasSizeLessThanOrEqualTo(2));
		// the next good change gets a number no rejected candidate had
		HistoryEntry applied = reload(B, "");
		assertThat(applied.outcome()).isEqualTo(ReloadOutcome.APPLIED);
		assertThat(applied.resources().get(0).generation()).isGreaterThan(2);
	}

	@Test
	void resizesThePoolInPlaceUnderLoadKeepingTheSamePool() throws Exception {
		start(A, "      max-active: 4\n");
		ReloadableDruidDataSource dataSource = this.context.getBean(ReloadableDruidDataSource.class);
		DruidDataSource pool = dataSource.getPool();
		TransactionLoad load = new TransactionLoad(this.context, 16).start();
		Thread.sleep(500);
		assertThat(pool.getActiveCount() + pool.getWaitThreadCount()).isGreaterThan(4);
		HistoryEntry resized = reload(A, "      max-active: 12\n      max-wait: 20000\n      query-timeout: 30\n");
		assertThat(resized.outcome()).isEqualTo(ReloadOutcome.APPLIED);
		// Spring Cloud's rebinding leaves the wrapper alone: the pool got the keys
		assertThat(resized.error()).isNull();
		assertThat(resized.resources()).singleElement()
			.satisfies((result) -> assertThat(result.action()).contains("in place")
				.contains("maxActive")
				.contains("maxWait")
				.contains("queryTimeout"));
		assertThat(pool.getMaxActive()).isEqualTo(12);
		assertThat(pool.getMaxWait()).isEqualTo(20000);
		assertThat(pool.getQueryTimeout()).isEqualTo(30);
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(pool.getActiveCount()).isGreaterThan(4));
		HistoryEntry shrunk = reload(A, "      max-active: 6\n      max-wait: 20000\n      query-timeout: 30\n");
		assertThat(shrunk.outcome()).isEqualTo(ReloadOutcome.APPLIED);
		assertThat(shrunk.error()).isNull();
		assertThat(pool.getMaxActive()).isEqualTo(6);
		Thread.sleep(500);
		load.stop();
		assertThat(load.failures).isEmpty();
		assertThat(dataSource.getPool()).isSameAs(pool);
		assertThat(ConfigFiles.describe(this.context, "dataSource").generation()).isEqualTo(1);
		load.report("Druid resized in place 4 -> 12 -> 6", load.assertLandedWhole(A, B));
		assertThat(Postgres.queryLong(B, "select count(*) from tx_rows")).isZero();
	}

	@Test
	void springCloudRefreshThatChangesTheUrlRebuildsThePoolGracefully() throws Exception {
		Path cloud = this.directory.resolve("cloud.properties");
		Files.writeString(cloud, "spring.datasource.url=" + Postgres.url(A) + "\n");
		SpringApplication application = new SpringApplication(CloudApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		this.context = application.run("--spring.config.import=optional:file:" + cloud,
				"--spring.datasource.username=postgres", "--spring.datasource.password=postgres",
				"--spring.datasource.druid.max-active=16", "--spring.datasource.druid.max-wait=10000");
		TransactionLoad load = new TransactionLoad(this.context, 8).start();
		ContextRefresher refresher = this.context.getBean(ContextRefresher.class);
		for (int flip = 0; flip < 6; flip++) {
			String target = (flip % 2 == 0) ? B : A;
			Files.writeString(cloud, "spring.datasource.url=" + Postgres.url(target) + "\n");
			assertThat(refresher.refresh()).contains("spring.datasource.url");
			assertThat(ConfigFiles.catalog(this.context.getBean(DataSource.class))).isEqualTo(target);
			Thread.sleep(200);
		}
		load.stop();
		assertThat(load.failures).isEmpty();
		assertThat(load.committed.get()).isPositive();
		load.report("6 Spring Cloud refreshes of a Druid url", load.assertLandedWhole(A, B));
		assertThat(history()).hasSize(6)
			.allSatisfy((entry) -> assertThat(entry.trigger()).isEqualTo("spring-cloud"))
			.allSatisfy((entry) -> assertThat(entry.outcome()).isEqualTo(ReloadOutcome.APPLIED))
			.allSatisfy((entry) -> assertThat(entry.error()).isNull());
		assertThat(this.context.getBean(DataSource.class)).isInstanceOf(ReloadableDruidDataSource.class);
		assertThat(ConfigFiles.describe(this.context, "dataSource").generation()).isEqualTo(7);
		awaitRetired();
		assertThat(Postgres.connections(B)).isZero();
	}

	/**
	 * Druid's close leaves the connections it lent to their borrowers: at the drain
	 * timeout hotreload aborts them, as HikariCP's close does.
	 */
	@Test
	void cutsATransactionLongerThanTheDrainTimeoutAndCountsIt() throws Exception {
		start(A, "", "--hotreload.datasource.drain-timeout=1s");
		LongTransaction.assertCutAtTheDrainTimeout(this.context, A, () -> reload(B, ""));
	}

	private void awaitRetired() {
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(history()).allSatisfy((entry) -> assertThat(entry.resources())
				.noneMatch((result) -> result.state() == ResourceResult.State.RETIRING)));
	}

	private List<HistoryEntry> history() {
		return this.context.getBean(ReloadHistory.class).entries();
	}

	private HistoryEntry reload(String database, String druid) throws Exception {
		write(yaml(Postgres.url(database), druid));
		return submit();
	}

	private HistoryEntry submit() throws Exception {
		return ConfigFiles.reload(this.context, this.config);
	}

	private static String yaml(String url, String druid) {
		String pool = druid;
		if (!pool.contains("max-active:")) {
			pool += "      max-active: 16\n";
		}
		if (!pool.contains("max-wait:")) {
			pool += "      max-wait: 10000\n";
		}
		return "spring:\n  datasource:\n    url: " + url + "\n    username: postgres\n    password: postgres\n"
				+ "    druid:\n" + pool;
	}

	private void write(String content) throws Exception {
		ConfigFiles.write(this.config, content);
	}

	private void start(String database, String druid, String... args) throws Exception {
		this.config = ConfigFiles.write(this.directory.resolve("app.yaml"), yaml(Postgres.url(database), druid));
		this.context = ConfigFiles.run(TestApplication.class, this.config, args);
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ HotReloadAutoConfiguration.class, SpringCloudBridgeAutoConfiguration.class,
			DruidReloadAutoConfiguration.class, DataSourceAutoConfiguration.class,
			DataSourceTransactionManagerAutoConfiguration.class, JdbcTemplateAutoConfiguration.class,
			TransactionAutoConfiguration.class, RefreshAutoConfiguration.class,
			ConfigurationPropertiesRebinderAutoConfiguration.class })
	static class CloudApplication extends TestApplication {

	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ HotReloadAutoConfiguration.class, FileSourceAutoConfiguration.class,
			DruidReloadAutoConfiguration.class, DataSourceAutoConfiguration.class,
			DataSourceTransactionManagerAutoConfiguration.class, JdbcTemplateAutoConfiguration.class,
			TransactionAutoConfiguration.class, RefreshAutoConfiguration.class,
			ConfigurationPropertiesRebinderAutoConfiguration.class })
	static class TestApplication {

		/**
		 * The Druid pool as druid-spring-boot-starter builds it: bound from
		 * {@code spring.datasource.druid}, the url and credentials from
		 * {@code spring.datasource} when the druid prefix has none.
		 */
		@Bean(initMethod = "init", destroyMethod = "close")
		@ConfigurationProperties("spring.datasource.druid")
		DruidDataSource dataSource(DataSourceProperties properties) {
			DruidDataSource pool = new DruidDataSource();
			pool.setUrl(properties.getUrl());
			pool.setUsername(properties.getUsername());
			pool.setPassword(properties.getPassword());
			return pool;
		}

	}

}

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
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.hotreload.autoconfigure.DataSourceReloadAutoConfiguration;
import dev.hotreload.autoconfigure.FileSourceAutoConfiguration;
import dev.hotreload.autoconfigure.HotReloadAutoConfiguration;
import dev.hotreload.history.HistoryEntry;
import dev.hotreload.history.ReloadHistory;
import dev.hotreload.history.ReloadOutcome;
import dev.hotreload.history.ResourceResult;
import dev.hotreload.testsupport.jdbc.ConfigFiles;
import dev.hotreload.testsupport.jdbc.LongTransaction;
import dev.hotreload.testsupport.jdbc.Postgres;
import dev.hotreload.testsupport.jdbc.TransactionLoad;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.cloud.autoconfigure.ConfigurationPropertiesRebinderAutoConfiguration;
import org.springframework.cloud.autoconfigure.RefreshAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The DataSource follows config changes under real concurrent load against PostgreSQL:
 * zero failed transactions, every transaction in one database, nothing left behind.
 */
class ReloadableDataSourceLoadTests {

	static final String A = "hotreload_jdbc_a";

	static final String B = "hotreload_jdbc_b";

	@TempDir
	Path directory;

	private Path config;

	private ConfigurableApplicationContext context;

	@BeforeAll
	static void createDatabases() throws Exception {
		Postgres.createDatabase(A);
		Postgres.createDatabase(B);
		if (Postgres.queryLong("test", "select count(*) from pg_roles where rolname = 'hotreload_rotated'") == 0) {
			Postgres.execute("test", "create role hotreload_rotated login password 'first'");
		}
		for (String database : List.of(A, B)) {
			Postgres.execute(database, "grant all on tx_rows to hotreload_rotated");
		}
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
		long threadsBefore = liveThreads();
		TransactionLoad load = new TransactionLoad(this.context, 32).start();
		int flips = 0;
		long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
		while (System.nanoTime() < end || flips < 40) {
			String target = (flips % 2 == 0) ? B : A;
			assertThat(reload(target, "").outcome()).isEqualTo(ReloadOutcome.APPLIED);
			flips++;
			Thread.sleep(ThreadLocalRandom.current().nextInt(100, 400));
		}
		load.stop();
		assertThat(load.failures).isEmpty();
		assertThat(flips).isGreaterThanOrEqualTo(40);
		assertThat(load.committed.get()).isGreaterThan(1000);
		load.report(flips + " url flips", load.assertLandedWhole(A, B));
		awaitRetired();
		String live = (flips % 2 == 0) ? A : B;
		String other = live.equals(A) ? B : A;
		assertThat(Postgres.connections(other)).isZero();
		assertThat(Postgres.connections(live)).isLessThanOrEqualTo(10);
		assertThat(liveThreads()).isLessThanOrEqualTo(threadsBefore + 3);
		assertThat(history()).filteredOn((entry) -> !entry.resources().isEmpty())
			.allSatisfy((entry) -> assertThat(entry.resources())
				.allSatisfy((result) -> assertThat(result.state()).isEqualTo(ResourceResult.State.RETIRED)));
		assertThat(this.context.getBean(DataSource.class).unwrap(HikariDataSource.class).getPoolName())
			.isEqualTo("dataSource-g" + (flips + 1));
	}

	@Test
	void flipsTheDatabaseThroughAPlaceholderUnderLoadWithoutAFailedTransaction() throws Exception {
		startWith(placeholder(A));
		TransactionLoad load = new TransactionLoad(this.context, 32).start();
		int flips = 0;
		long end = System.nanoTime() + Duration.ofSeconds(8).toNanos();
		while (System.nanoTime() < end || flips < 20) {
			String target = (flips % 2 == 0) ? B : A;
			write(placeholder(target));
			HistoryEntry entry = submit();
			assertThat(entry.outcome()).isEqualTo(ReloadOutcome.APPLIED);
			assertThat(entry.changedKeys()).extracting((key) -> key.key()).containsExactly("dbname");
			assertThat(entry.resources()).singleElement()
				.satisfies((result) -> assertThat(result.action()).startsWith("new pool"));
			flips++;
			Thread.sleep(ThreadLocalRandom.current().nextInt(100, 400));
		}
		load.stop();
		assertThat(load.failures).isEmpty();
		assertThat(load.committed.get()).isGreaterThan(500);
		load.assertLandedWhole(A, B);
		awaitRetired();
		String live = (flips % 2 == 0) ? A : B;
		assertThat(Postgres.connections(live.equals(A) ? B : A)).isZero();
		assertThat(ConfigFiles.describe(this.context, "dataSource").generation()).isEqualTo(flips + 1);
	}

	private static String placeholder(String database) {
		return "dbname: " + database + "\n"
				+ yaml("    url: " + Postgres.HOST + "${dbname}?ApplicationName=hotreload-test\n");
	}

	@Test
	void rejectsBadInputUnderLoadAndKeepsServing() throws Exception {
		start(A, "");
		ReloadableDataSource dataSource = this.context.getBean(ReloadableDataSource.class);
		HikariDataSource pool = dataSource.getPool();
		TransactionLoad load = new TransactionLoad(this.context, 8).start();
		Map<String, String> bad = Map.of("unknown user",
				"    url: " + Postgres.url(B) + "\n    username: no_such_user\n", "refused port",
				"    url: jdbc:postgresql://127.0.0.1:1/" + B + "\n", "unknown database",
				"    url: " + Postgres.url("no_such_database") + "\n", "malformed url", "    url: jdbc:nonsense\n",
				"non-numeric pool size",
				"    url: " + Postgres.url(B) + "\n    hikari:\n      maximum-pool-size: lots\n", "negative pool size",
				"    url: " + Postgres.url(B) + "\n    hikari:\n      maximum-pool-size: -3\n");
		for (Map.Entry<String, String> change : bad.entrySet()) {
			write(yaml(change.getValue()));
			HistoryEntry entry = submit();
			assertThat(entry.outcome()).as(change.getKey()).isEqualTo(ReloadOutcome.REJECTED);
			assertThat(entry.error()).as(change.getKey())
				.contains("jdbc resource 'dataSource'")
				.contains("previous configuration keeps serving");
			assertThat(dataSource.getPool()).isSameAs(pool);
			assertThat(ConfigFiles.describe(this.context, "dataSource").generation()).isEqualTo(1);
		}
		load.stop();
		assertThat(load.failures).isEmpty();
		assertThat(load.committed.get()).isPositive();
		assertThat(Postgres.queryLong(B, "select count(*) from tx_rows")).isZero();
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(Thread.getAllStackTraces().keySet())
				.noneMatch((thread) -> thread.getName().startsWith("dataSource-g")));
	}

	@Test
	void resizesThePoolAndRotatesCredentialsInPlaceUnderLoad() throws Exception {
		start(A, "    hikari:\n      maximum-pool-size: 4\n");
		ReloadableDataSource dataSource = this.context.getBean(ReloadableDataSource.class);
		HikariDataSource pool = dataSource.getPool();
		TransactionLoad load = new TransactionLoad(this.context, 16).start();
		Thread.sleep(500);
		HistoryEntry resized = reload(A, "    hikari:\n      maximum-pool-size: 12\n");
		assertThat(resized.outcome()).isEqualTo(ReloadOutcome.APPLIED);
		assertThat(resized.resources().get(0).action()).contains("in place").contains("maximumPoolSize");
		assertThat(pool.getMaximumPoolSize()).isEqualTo(12);
		Thread.sleep(500);
		HistoryEntry rotated = reload(A,
				"    username: hotreload_rotated\n    password: first\n    hikari:\n      maximum-pool-size: 12\n");
		assertThat(rotated.outcome()).isEqualTo(ReloadOutcome.APPLIED);
		assertThat(rotated.resources().get(0).action()).contains("credentials");
		Thread.sleep(500);
		load.stop();
		assertThat(load.failures).isEmpty();
		assertThat(dataSource.getPool()).isSameAs(pool);
		assertThat(ConfigFiles.describe(this.context, "dataSource").generation()).isEqualTo(1);
		JdbcTemplate jdbc = this.context.getBean(JdbcTemplate.class);
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(jdbc.queryForObject("select current_user", String.class))
				.isEqualTo("hotreload_rotated"));
		load.assertLandedWhole(A, B);
	}

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

	private static long liveThreads() throws InterruptedException {
		Thread.sleep(200);
		return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).count();
	}

	private HistoryEntry reload(String database, String extra) throws Exception {
		write(yaml("    url: " + Postgres.url(database) + "\n" + extra));
		return submit();
	}

	private HistoryEntry submit() throws Exception {
		return ConfigFiles.reload(this.context, this.config);
	}

	private static String yaml(String datasource) {
		String credentials = datasource.contains("username:") ? "" : "    username: postgres\n    password: postgres\n";
		return "spring:\n  datasource:\n" + credentials + datasource;
	}

	private void write(String content) throws Exception {
		ConfigFiles.write(this.config, content);
	}

	private void start(String database, String extra, String... args) throws Exception {
		startWith(yaml("    url: " + Postgres.url(database) + "\n" + extra), args);
	}

	private void startWith(String content, String... args) throws Exception {
		this.config = ConfigFiles.write(this.directory.resolve("app.yaml"), content);
		this.context = ConfigFiles.run(TestApplication.class, this.config, args);
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ HotReloadAutoConfiguration.class, FileSourceAutoConfiguration.class,
			DataSourceReloadAutoConfiguration.class, DataSourceAutoConfiguration.class,
			DataSourceTransactionManagerAutoConfiguration.class, JdbcTemplateAutoConfiguration.class,
			TransactionAutoConfiguration.class, RefreshAutoConfiguration.class,
			ConfigurationPropertiesRebinderAutoConfiguration.class })
	static class TestApplication {

	}

}

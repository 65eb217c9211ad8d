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
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import javax.sql.DataSource;

import dev.hotreload.autoconfigure.DataSourceReloadAutoConfiguration;
import dev.hotreload.autoconfigure.FileSourceAutoConfiguration;
import dev.hotreload.autoconfigure.HotReloadAutoConfiguration;
import dev.hotreload.history.HistoryEntry;
import dev.hotreload.history.ReloadHistory;
import dev.hotreload.history.ReloadOutcome;
import dev.hotreload.history.ResourceResult;
import dev.hotreload.resource.PreparedChange;
import dev.hotreload.resource.ReloadContext;
import dev.hotreload.resource.ReloadableResource;
import dev.hotreload.resource.ResourceDescriptor;
import dev.hotreload.testsupport.DelayingProxy;
import dev.hotreload.testsupport.jdbc.ConfigFiles;
import dev.hotreload.testsupport.jdbc.LiveThreads;
import dev.hotreload.testsupport.jdbc.Postgres;
import dev.hotreload.testsupport.jdbc.TransactionLoad;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.cloud.autoconfigure.ConfigurationPropertiesRebinderAutoConfiguration;
import org.springframework.cloud.autoconfigure.RefreshAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A DataSource change that fails, late or half-way, leaves nothing behind: a candidate
 * that starts after the validation timeout is closed, its generation number is not used
 * again, and a committed pool that is rolled back lets the work it took finish.
 */
class DataSourceFailureTests {

	static final String A = ReloadableDataSourceLoadTests.A;

	static final String B = ReloadableDataSourceLoadTests.B;

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
			Postgres.execute(database, "delete from tx_rows where tx_id < 0");
		}
	}

	@Test
	void candidateThatStartsAfterTheValidationTimeoutIsClosedAndItsNumberIsNotReused() throws Exception {
		start(OneDataSource.class, url(A));
		ReloadableDataSource dataSource = this.context.getBean(ReloadableDataSource.class);
		TransactionLoad load = new TransactionLoad(this.context, 8, () -> -1).start();
		try (DelayingProxy late = new DelayingProxy(5432, Duration.ofMillis(2500))) {
			write(yaml("jdbc:postgresql://127.0.0.1:" + late.port() + "/" + B + "?ApplicationName=hotreload-test"));
			HistoryEntry rejected = reload();
			assertThat(rejected.outcome()).isEqualTo(ReloadOutcome.REJECTED);
			assertThat(rejected.error()).contains("no connection within 1000 ms");
			// the candidate's connection arrives 2.5 s later: it must be closed, not kept
			await().atMost(Duration.ofSeconds(15)).pollDelay(Duration.ofSeconds(3)).untilAsserted(() -> {
				assertThat(LiveThreads.named("dataSource-g2")).isEmpty();
				assertThat(late.openConnections()).isZero();
				assertThat(Postgres.connections(B)).isZero();
			});
		}
		write(yaml(url(B)));
		HistoryEntry applied = reload();
		assertThat(applied.outcome()).isEqualTo(ReloadOutcome.APPLIED);
		assertThat(dataSource.getPool().getPoolName()).isEqualTo("dataSource-g3");
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(history().get(0).resources()).singleElement()
				.satisfies((result) -> assertThat(result.state()).isEqualTo(ResourceResult.State.RETIRED)));
		load.stop();
		assertThat(load.failures).isEmpty();
		assertThat(load.committed.get()).isPositive();
		assertThat(Postgres.connections(A)).isZero();
	}

	@Test
	void rollingBackACommittedPoolLetsTheWorkItTookFinish() throws Exception {
		start(FailingAfterDataSource.class, url(A));
		ReloadableDataSource dataSource = this.context.getBean(ReloadableDataSource.class);
		FailingCommit failing = this.context.getBean(FailingCommit.class);
		write(yaml(url(B)) + "test:\n  fail: true\n");
		HistoryEntry entry = reload();
		assertThat(entry.outcome()).isEqualTo(ReloadOutcome.ROLLED_BACK);
		assertThat(dataSource.getPool().getPoolName()).isEqualTo("dataSource");
		// the transaction that borrowed from the rolled-back pool commits there
		assertThat(failing.transaction.await(10, TimeUnit.SECONDS)).isTrue();
		assertThat(failing.failure.get()).isNull();
		assertThat(Postgres.queryLong(B, "select count(*) from tx_rows where tx_id = -3")).isEqualTo(2);
		await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
			assertThat(LiveThreads.named("dataSource-g2")).isEmpty();
			assertThat(Postgres.connections(B)).isZero();
		});
		assertThat(catalog(dataSource)).isEqualTo(A);
	}

	private static String url(String database) {
		return Postgres.url(database);
	}

	private static String yaml(String url) {
		return "spring:\n  datasource:\n    url: " + url + "\n    username: postgres\n    password: postgres\n";
	}

	private void start(Class<?> configuration, String url) throws Exception {
		this.config = ConfigFiles.write(this.directory.resolve("app.yaml"), yaml(url));
		this.context = ConfigFiles.run(configuration, this.config, "--hotreload.datasource.validation-timeout=1s",
				"--hotreload.datasource.drain-timeout=10s");
	}

	private void write(String content) throws Exception {
		ConfigFiles.write(this.config, content);
	}

	private HistoryEntry reload() throws Exception {
		return ConfigFiles.reload(this.context, this.config);
	}

	private List<HistoryEntry> history() {
		return this.context.getBean(ReloadHistory.class).entries();
	}

	private static String catalog(DataSource dataSource) throws Exception {
		return ConfigFiles.catalog(dataSource);
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ HotReloadAutoConfiguration.class, FileSourceAutoConfiguration.class,
			DataSourceReloadAutoConfiguration.class, DataSourceAutoConfiguration.class,
			DataSourceTransactionManagerAutoConfiguration.class, JdbcTemplateAutoConfiguration.class,
			TransactionAutoConfiguration.class, RefreshAutoConfiguration.class,
			ConfigurationPropertiesRebinderAutoConfiguration.class })
	static class OneDataSource {

	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ HotReloadAutoConfiguration.class, FileSourceAutoConfiguration.class,
			DataSourceReloadAutoConfiguration.class, DataSourceAutoConfiguration.class, RefreshAutoConfiguration.class,
			ConfigurationPropertiesRebinderAutoConfiguration.class, FailingCommitConfiguration.class })
	static class FailingAfterDataSource {

	}

	/**
	 * Registers the failing resource after every singleton, so that the engine prepares
	 * and commits it after the DataSource's resource (registered when the DataSource is).
	 */
	@AutoConfiguration(after = DataSourceAutoConfiguration.class)
	static class FailingCommitConfiguration {

		@Bean
		static SmartInitializingSingleton failingCommitRegistrar(ConfigurableListableBeanFactory beanFactory,
				ObjectProvider<DataSource> dataSource) {
			return () -> beanFactory.registerSingleton("failingCommit", new FailingCommit(dataSource));
		}

	}

	/**
	 * A resource whose commit, after the DataSource's, starts a transaction on the new
	 * pool and then fails, so that the engine rolls the DataSource back while the
	 * transaction holds a connection of the new pool.
	 */
	static final class FailingCommit implements ReloadableResource {

		final CountDownLatch transaction = new CountDownLatch(1);

		final AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();

		private final ObjectProvider<DataSource> dataSource;

		FailingCommit(ObjectProvider<DataSource> dataSource) {
			this.dataSource = dataSource;
		}

		@Override
		public String name() {
			return "failing";
		}

		@Override
		public String type() {
			return "test";
		}

		@Override
		public @Nullable PreparedChange prepare(ReloadContext context) {
			if (!context.changedUnder("test.fail")) {
				return null;
			}
			return new PreparedChange() {

				@Override
				public String description() {
					return "fails on commit";
				}

				@Override
				public long generation() {
					return 1;
				}

				@Override
				public void commit() throws Exception {
					CountDownLatch borrowed = new CountDownLatch(1);
					Thread worker = new Thread(() -> runTransaction(borrowed), "test-borrower");
					worker.start();
					assertThat(borrowed.await(5, TimeUnit.SECONDS)).isTrue();
					throw new IllegalStateException("planned failure after the DataSource's commit");
				}

				@Override
				public void rollback() {
				}

			};
		}

		private void runTransaction(CountDownLatch borrowed) {
			try (Connection connection = this.dataSource.getObject().getConnection()) {
				connection.setAutoCommit(false);
				borrowed.countDown();
				try (Statement statement = connection.createStatement()) {
					statement.execute("insert into tx_rows values (-3, 1)");
					statement.execute("select pg_sleep(0.5)");
					statement.execute("insert into tx_rows values (-3, 2)");
				}
				connection.commit();
			}
			catch (Throwable ex) {
				this.failure.set(ex);
			}
			finally {
				this.transaction.countDown();
			}
		}

		@Override
		public ResourceDescriptor describe() {
			return new ResourceDescriptor(name(), type(), 1, "SERVING", new java.util.LinkedHashMap<>());
		}

	}

}

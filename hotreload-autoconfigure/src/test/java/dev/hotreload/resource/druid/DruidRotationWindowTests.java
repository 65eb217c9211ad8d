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

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.alibaba.druid.pool.DruidDataSource;
import dev.hotreload.history.HistoryEntry;
import dev.hotreload.history.ReloadHistory;
import dev.hotreload.history.ReloadOutcome;
import dev.hotreload.resource.CredentialsRejectedEvent;
import dev.hotreload.testsupport.jdbc.ConfigFiles;
import dev.hotreload.testsupport.jdbc.MariaDb;
import dev.hotreload.testsupport.jdbc.TransactionLoad;
import dev.hotreload.testsupport.jdbc.TransactionLoad.Attempt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The rotation window for a Druid pool on MariaDB, which checks passwords over TCP, under
 * 16 threads of transactions: the user's password is changed on the server while the pool
 * keeps opening connections (each lives 1 s, {@code phy-timeout-millis}), and the new
 * password reaches the config file 3 s later, with nothing watching or polling the file.
 * The server's refusal of the pool's new connections opens the rotation window, whose
 * reads find the new password: a new pool serves it (Druid's password is not changed in
 * place), the requests waiting for a connection meanwhile move to it, and none fails.
 */
class DruidRotationWindowTests {

	private static final String DATABASE = "hotreload_druid_window";

	private static final String USER = "hotreload_druid_window";

	private static final String FIRST = "First-Druid-8501";

	private static final String SECOND = "Second-Druid-8502";

	@TempDir
	Path directory;

	@BeforeAll
	static void createDatabaseAndUser() throws SQLException {
		MariaDb.createDatabaseAndUser(DATABASE, USER, FIRST);
	}

	@AfterAll
	static void dropDatabaseAndUser() throws SQLException {
		MariaDb.dropDatabaseAndUser(DATABASE, USER);
	}

	@Test
	void aPasswordChangedOnTheServerFirstIsPickedUpByTheRotationWindowWithoutAFailedRequest() throws Exception {
		Path config = ConfigFiles.write(this.directory.resolve("app.yaml"), yaml(FIRST));
		try (ConfigurableApplicationContext context = ConfigFiles
			.run(ReloadableDruidDataSourceLoadTests.TestApplication.class, config)) {
			ConcurrentLinkedQueue<CredentialsRejectedEvent> refusals = new ConcurrentLinkedQueue<>();
			context.addApplicationListener((ApplicationListener<CredentialsRejectedEvent>) refusals::add);
			ReloadHistory history = context.getBean(ReloadHistory.class);
			int entriesBefore = history.entries().size();
			ReloadableDruidDataSource dataSource = context.getBean(ReloadableDruidDataSource.class);
			DruidDataSource first = dataSource.getPool();
			TransactionLoad load = new TransactionLoad(context, 16, new AtomicLong()::incrementAndGet, "sleep").start();
			Thread.sleep(1000);
			MariaDb.setPassword(USER, SECOND);
			long changed = System.nanoTime();
			Thread.sleep(3000);
			// the config 3 s later; nothing reloads it but the rotation window
			ConfigFiles.write(config, yaml(SECOND));
			await().atMost(Duration.ofSeconds(15))
				.until(() -> authFailureEntries(history).stream()
					.anyMatch((entry) -> entry.outcome() == ReloadOutcome.APPLIED));
			long recovered = System.nanoTime();
			Thread.sleep(1000);
			load.stop();

			List<HistoryEntry> window = authFailureEntries(history);
			List<Attempt> attempts = List.copyOf(load.attempts);
			long longestWait = attempts.stream().mapToLong(Attempt::waitedMillis).max().orElse(-1);
			System.out.println("Druid rotation window: " + refusals.size()
					+ " refused logins published, window reads (newest first) "
					+ window.stream().map((entry) -> entry.outcome().toString()).toList() + ", new password served "
					+ TimeUnit.NANOSECONDS.toMillis(recovered - changed) + " ms after it changed on the server; "
					+ load.committed.get() + " committed, " + load.failures.size()
					+ " failed, longest wait for a connection " + longestWait + " ms");

			assertThat(refusals).isNotEmpty().allSatisfy((refusal) -> {
				assertThat(refusal.getResource()).isEqualTo("dataSource");
				assertThat(refusal.getReason()).contains("Access denied").doesNotContain(FIRST).doesNotContain(SECOND);
			});
			// nothing but the window reloaded: it read the sources before the file had
			// the new password, then once more after it and applied it
			assertThat(history.entries()).hasSize(entriesBefore + window.size());
			assertThat(window).hasSizeGreaterThanOrEqualTo(2);
			assertThat(window.get(0).outcome()).isEqualTo(ReloadOutcome.APPLIED);
			assertThat(window.get(0).resources()).singleElement()
				.satisfies((result) -> assertThat(result.action()).startsWith("new pool"));
			assertThat(window.subList(1, window.size()))
				.allSatisfy((entry) -> assertThat(entry.outcome()).isEqualTo(ReloadOutcome.NO_CHANGE));
			assertThat(load.failures).isEmpty();
			assertThat(load.committed.get()).isGreaterThan(200);
			assertThat(MariaDb.query("select count(*) from " + DATABASE + ".tx_rows"))
				.isEqualTo(2 * load.committed.get());
			assertThat(dataSource.getPool()).isNotSameAs(first);
			await().atMost(Duration.ofSeconds(10)).until(first::isClosed);
		}
	}

	private static List<HistoryEntry> authFailureEntries(ReloadHistory history) {
		return history.entries().stream().filter((entry) -> entry.trigger().equals("auth-failure")).toList();
	}

	private static String yaml(String password) {
		return "spring:\n  datasource:\n    url: " + MariaDb.ROOT_URL + DATABASE + "\n    username: " + USER
				+ "\n    password: " + password + "\n    druid:\n      max-active: 16\n      max-wait: 20000\n"
				+ "      phy-timeout-millis: 1000\n";
	}

}

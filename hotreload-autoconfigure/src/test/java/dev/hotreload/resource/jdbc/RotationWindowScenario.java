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
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.zaxxer.hikari.HikariDataSource;
import dev.hotreload.history.HistoryEntry;
import dev.hotreload.history.ReloadHistory;
import dev.hotreload.history.ReloadOutcome;
import dev.hotreload.resource.CredentialsRejectedEvent;
import dev.hotreload.testsupport.jdbc.ConfigFiles;
import dev.hotreload.testsupport.jdbc.TransactionLoad;
import dev.hotreload.testsupport.jdbc.TransactionLoad.Attempt;

import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.function.ThrowingConsumer;
import org.springframework.util.function.ThrowingSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The rotation window for a DataSource, on a server that checks passwords, under 32
 * threads of transactions: the user's password is changed on the server, the pool's
 * connections are evicted so that it needs new ones, and the new password reaches the
 * config file 3 s later, with nothing watching or polling the file and nobody asking for
 * a reload. The server's refusal of the pool's new connections opens the rotation window,
 * whose reads find the new password: it is applied in place, new connections open again,
 * and no request fails.
 */
final class RotationWindowScenario {

	private RotationWindowScenario() {
	}

	static void assertPickedUp(Path directory, PasswordServer server, String first, String second) throws Exception {
		Path config = ConfigFiles.write(directory.resolve("app.yaml"), yaml(server, first));
		try (ConfigurableApplicationContext context = ConfigFiles
			.run(ReloadableDataSourceLoadTests.TestApplication.class, config)) {
			ConcurrentLinkedQueue<CredentialsRejectedEvent> refusals = new ConcurrentLinkedQueue<>();
			context.addApplicationListener((ApplicationListener<CredentialsRejectedEvent>) refusals::add);
			ReloadHistory history = context.getBean(ReloadHistory.class);
			int entriesBefore = history.entries().size();
			ReloadableDataSource dataSource = context.getBean(ReloadableDataSource.class);
			HikariDataSource pool = dataSource.getPool();
			TransactionLoad load = new TransactionLoad(context, 32, new AtomicLong()::incrementAndGet,
					server.sleepFunction())
				.start();
			Thread.sleep(1000);
			// the server first: the open connections stay authenticated, new ones need
			// the new password, and the pool needs new ones now
			server.setPassword().accept(second);
			pool.getHikariPoolMXBean().softEvictConnections();
			long evicted = System.nanoTime();
			Thread.sleep(3000);
			// the config 3 s later; nothing reloads it but the rotation window
			ConfigFiles.write(config, yaml(server, second));
			await().atMost(Duration.ofSeconds(15))
				.until(() -> authFailureEntries(history).stream()
					.anyMatch((entry) -> entry.outcome() == ReloadOutcome.APPLIED));
			long recovered = System.nanoTime();
			Thread.sleep(1000);
			load.stop();

			List<HistoryEntry> window = authFailureEntries(history);
			List<Attempt> attempts = List.copyOf(load.attempts);
			long failedWithConnection = attempts.stream()
				.filter((attempt) -> attempt.failed() && attempt.hadConnection())
				.count();
			long longestWait = attempts.stream().mapToLong(Attempt::waitedMillis).max().orElse(-1);
			System.out.println("Rotation window (" + server.name() + "): " + refusals.size()
					+ " refused logins published, window reads (newest first) "
					+ window.stream().map((entry) -> entry.outcome().toString()).toList() + ", new password applied "
					+ TimeUnit.NANOSECONDS.toMillis(recovered - evicted) + " ms after the eviction; "
					+ load.committed.get() + " committed, " + load.failures.size() + " failed (" + failedWithConnection
					+ " after having a connection), longest wait for a connection " + longestWait + " ms");

			assertThat(refusals).isNotEmpty().allSatisfy((refusal) -> {
				assertThat(refusal.getResource()).isEqualTo("dataSource");
				assertThat(refusal.getReason()).contains(server.refusal()).doesNotContain(first).doesNotContain(second);
			});
			// nothing but the window reloaded: it read the sources before the file had
			// the new password, then once more after it and applied it, in place
			assertThat(history.entries()).hasSize(entriesBefore + window.size());
			assertThat(window).hasSizeGreaterThanOrEqualTo(2);
			assertThat(window.get(0).outcome()).isEqualTo(ReloadOutcome.APPLIED);
			assertThat(window.get(0).resources()).singleElement()
				.satisfies((result) -> assertThat(result.action()).startsWith("in place").contains("credentials"));
			assertThat(window.subList(1, window.size()))
				.allSatisfy((entry) -> assertThat(entry.outcome()).isEqualTo(ReloadOutcome.NO_CHANGE));
			assertThat(failedWithConnection).isZero();
			assertThat(load.failures).isEmpty();
			assertThat(load.committed.get()).isGreaterThan(200);
			assertThat(server.rows().get()).isEqualTo(2 * load.committed.get());
			assertThat(dataSource.getPool()).isSameAs(pool);
			assertThat(ConfigFiles.describe(context, "dataSource").generation()).isEqualTo(1);
			// new physical connections work: opened with the new password
			pool.getHikariPoolMXBean().softEvictConnections();
			try (Connection connection = dataSource.getConnection()) {
				assertThat(connection.isValid(1)).isTrue();
			}
		}
	}

	private static List<HistoryEntry> authFailureEntries(ReloadHistory history) {
		return history.entries().stream().filter((entry) -> entry.trigger().equals("auth-failure")).toList();
	}

	private static String yaml(PasswordServer server, String password) {
		return "spring:\n  datasource:\n    url: " + server.url() + "\n    username: " + server.user()
				+ "\n    password: " + password + "\n";
	}

	/**
	 * A database on a server that checks passwords, with a user the test may change the
	 * password of.
	 *
	 * @param name the server's name, for the output
	 * @param url the database's JDBC URL
	 * @param user the user
	 * @param setPassword changes the user's password on the server
	 * @param rows counts the rows of the database's {@code tx_rows} table
	 * @param sleepFunction the server's sleep function
	 * @param refusal what the driver's message for a refused login says
	 */
	record PasswordServer(String name, String url, String user, ThrowingConsumer<String> setPassword,
			ThrowingSupplier<Long> rows, String sleepFunction, String refusal) {

	}

}

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

package dev.hotreload.testsupport.jdbc;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

import javax.sql.DataSource;

import dev.hotreload.history.HistoryEntry;
import dev.hotreload.history.ReloadHistory;
import dev.hotreload.history.ReloadOutcome;
import dev.hotreload.resource.CredentialsRejectedEvent;
import dev.hotreload.testsupport.jdbc.TransactionLoad.Attempt;

import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.function.ThrowingConsumer;
import org.springframework.util.function.ThrowingSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The rotation window for a DataSource, on a server that checks passwords, under threads
 * of transactions, for any pool type: the user's password is changed on the server while
 * the pool needs new connections, and the new password reaches the config file 3 s later,
 * with nothing watching or polling the file and nobody asking for a reload. The server's
 * refusal of the pool's new connections opens the rotation window, whose reads find the
 * new password: it is served (in place, or by a new pool), new connections open again,
 * and no request fails.
 */
public final class RotationWindow {

	private RotationWindow() {
	}

	/**
	 * Run the scenario and assert what it must show.
	 * @param directory where the config file is written
	 * @param server the server and its user
	 * @param pool the pool type
	 * @param first the user's password at the start
	 * @param second its new password
	 */
	public static void assertPickedUp(Path directory, PasswordServer server, Pool pool, String first, String second)
			throws Exception {
		Path config = ConfigFiles.write(directory.resolve("app.yaml"), yaml(server, pool, first));
		try (ConfigurableApplicationContext context = pool.application().apply(config)) {
			ConcurrentLinkedQueue<CredentialsRejectedEvent> refusals = new ConcurrentLinkedQueue<>();
			context.addApplicationListener((ApplicationListener<CredentialsRejectedEvent>) refusals::add);
			ReloadHistory history = context.getBean(ReloadHistory.class);
			int entriesBefore = history.entries().size();
			DataSource dataSource = context.getBean(DataSource.class);
			Object live = pool.livePool().apply(context);
			TransactionLoad load = new TransactionLoad(context, pool.threads(), new AtomicLong()::incrementAndGet,
					server.sleepFunction())
				.start();
			Thread.sleep(1000);
			// the server first: the open connections stay authenticated, new ones need
			// the new password, and the pool needs new ones now
			server.setPassword().accept(second);
			pool.needNewConnections().accept(live);
			long changed = System.nanoTime();
			Thread.sleep(3000);
			// the config 3 s later; nothing reloads it but the rotation window
			ConfigFiles.write(config, yaml(server, pool, second));
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
			System.out.println("Rotation window (" + server.name() + ", " + live.getClass().getSimpleName() + "): "
					+ refusals.size() + " refused logins published, window reads (newest first) "
					+ window.stream().map((entry) -> entry.outcome().toString()).toList() + ", new password served "
					+ TimeUnit.NANOSECONDS.toMillis(recovered - changed) + " ms after it changed on the server; "
					+ load.committed.get() + " committed, " + load.failures.size() + " failed (" + failedWithConnection
					+ " after having a connection), longest wait for a connection " + longestWait + " ms");

			assertThat(refusals).isNotEmpty().allSatisfy((refusal) -> {
				assertThat(refusal.getResource()).isEqualTo("dataSource");
				assertThat(refusal.getReason()).contains(server.refusal()).doesNotContain(first).doesNotContain(second);
			});
			// nothing but the window reloaded: it read the sources before the file had
			// the new password, then once more after it and applied it
			assertThat(history.entries()).hasSize(entriesBefore + window.size());
			assertThat(window).hasSizeGreaterThanOrEqualTo(2);
			assertThat(window.get(0).outcome()).isEqualTo(ReloadOutcome.APPLIED);
			assertThat(window.get(0).resources()).singleElement()
				.satisfies((result) -> assertThat(result.action()).startsWith(pool.action()));
			if (pool.inPlace()) {
				assertThat(window.get(0).resources().get(0).action()).contains("credentials");
			}
			assertThat(window.subList(1, window.size()))
				.allSatisfy((entry) -> assertThat(entry.outcome()).isEqualTo(ReloadOutcome.NO_CHANGE));
			assertThat(failedWithConnection).isZero();
			assertThat(load.failures).isEmpty();
			assertThat(load.committed.get()).isGreaterThan(200);
			assertThat(server.rows().get()).isEqualTo(2 * load.committed.get());
			if (pool.inPlace()) {
				assertThat(pool.livePool().apply(context)).isSameAs(live);
				assertThat(ConfigFiles.describe(context, "dataSource").generation()).isEqualTo(1);
			}
			else {
				assertThat(pool.livePool().apply(context)).isNotSameAs(live);
				await().atMost(Duration.ofSeconds(10)).until(() -> pool.closed().test(live));
			}
			// new physical connections work: opened with the new password
			pool.needNewConnections().accept(pool.livePool().apply(context));
			try (Connection connection = dataSource.getConnection()) {
				assertThat(connection.isValid(1)).isTrue();
			}
		}
	}

	private static List<HistoryEntry> authFailureEntries(ReloadHistory history) {
		return history.entries().stream().filter((entry) -> entry.trigger().equals("auth-failure")).toList();
	}

	private static String yaml(PasswordServer server, Pool pool, String password) {
		return "spring:\n  datasource:\n    url: " + server.url() + "\n    username: " + server.user()
				+ "\n    password: " + password + "\n" + pool.yaml();
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
	public record PasswordServer(String name, String url, String user, ThrowingConsumer<String> setPassword,
			ThrowingSupplier<Long> rows, String sleepFunction, String refusal) {

	}

	/**
	 * The pool type under test.
	 *
	 * @param application starts the application on the config file
	 * @param yaml the pool's own keys, below {@code spring.datasource}
	 * @param threads threads of transactions
	 * @param livePool the application's live pool
	 * @param needNewConnections makes a pool open new connections (does nothing when its
	 * connections are short-lived)
	 * @param inPlace whether the new password is served in place (else by a new pool)
	 * @param action how the history entry's action starts
	 * @param closed whether a pool is closed
	 */
	public record Pool(Function<Path, ConfigurableApplicationContext> application, String yaml, int threads,
			Function<ConfigurableApplicationContext, Object> livePool, Consumer<Object> needNewConnections,
			boolean inPlace, String action, Predicate<Object> closed) {

	}

}

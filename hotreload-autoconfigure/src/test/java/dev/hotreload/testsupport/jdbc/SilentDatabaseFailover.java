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
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import javax.sql.DataSource;

import dev.hotreload.history.HistoryEntry;
import dev.hotreload.history.ReloadHistory;
import dev.hotreload.history.ReloadOutcome;
import dev.hotreload.history.ResourceResult;
import dev.hotreload.testsupport.DelayingProxy;
import dev.hotreload.testsupport.jdbc.DeadDatabaseFailover.Pool;
import dev.hotreload.testsupport.jdbc.TransactionLoad.Attempt;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Leaving a database that stops answering without closing its connections, for any pool
 * type: under 32 threads of transactions, the application's PostgreSQL falls silent (a
 * proxy in front of it stops passing anything on, as in a network partition, or a cluster
 * of the test's own is paused with SIGSTOP), then the config points at a database that
 * answers. The transactions under way on the silent server can never complete; the
 * retiring pool finds its server silent (no transaction ended for a second, then two new
 * connections got no answer within the validation timeout) and is closed then, not at the
 * 30 s drain timeout, the transactions hung on it fail, and every request that starts a
 * second after the change commits on the new database.
 */
public final class SilentDatabaseFailover {

	/**
	 * The database that falls silent.
	 */
	public static final String SILENT = "hotreload_partitioned";

	/**
	 * The database that answers.
	 */
	public static final String HEALTHY = "hotreload_partition_failover";

	private SilentDatabaseFailover() {
	}

	/**
	 * Serve 32 threads of transactions from a pool on the given url, make its server
	 * silent, point the config at a database that answers and check how the silent pool
	 * is left.
	 * @param directory where the config file is written
	 * @param fault what makes the server silent, for the output
	 * @param silentUrl the url of the database that falls silent
	 * @param silence makes it silent
	 * @param yaml the config that points the application's pool at a url, with room for
	 * 32 connections
	 * @param application starts the application on the config file, with a drain timeout
	 * of 30 s and a validation timeout of 2 s
	 * @param livePool the application's live pool, as a handle on whether it is closed
	 * and which threads are its own
	 * @param output the captured output, for the warning
	 */
	public static void assertLeftOnceFoundSilent(Path directory, String fault, String silentUrl, Silencer silence,
			Function<String, String> yaml, Function<Path, ConfigurableApplicationContext> application,
			Function<ConfigurableApplicationContext, Pool> livePool, CapturedOutput output) throws Exception {
		failOver(directory, fault, silentUrl, silence, yaml, application, livePool,
				(closedAfterChange, closedAfterApplied, result) -> {
					// closed once found silent (1 s without a transaction ending, then
					// two
					// connections with no answer within the 2 s validation timeout), not
					// at the 30 s drain timeout
					assertThat(closedAfterChange).isLessThan(10_000);
					assertThat(output).contains("Closed retired dataSource of 'dataSource' at once: its server is not"
							+ " answering, and the ");
					assertThat(result.state()).isEqualTo(ResourceResult.State.RETIRED);
					assertThat(result.retireMs()).isLessThan(10_000);
				});
	}

	/**
	 * As {@link #assertLeftOnceFoundSilent}, with a drain timeout of 3 s, shorter than
	 * finding the server silent takes (a second without a transaction ending, then two
	 * new connections that get no answer within the 2 s validation timeout): the retiring
	 * pool is closed at the drain timeout, while its server is still being asked, and the
	 * transactions hung on it are cut then.
	 * @param directory where the config file is written
	 * @param silentUrl the url of the database that falls silent
	 * @param silence makes it silent
	 * @param yaml the config that points the application's pool at a url, with room for
	 * 32 connections
	 * @param application starts the application on the config file, with a drain timeout
	 * of 3 s and a validation timeout of 2 s
	 * @param livePool the application's live pool, as a handle on whether it is closed
	 * and which threads are its own
	 * @param output the captured output, for the warning
	 */
	public static void assertClosedAtTheDrainTimeoutWhileAsked(Path directory, String silentUrl, Silencer silence,
			Function<String, String> yaml, Function<Path, ConfigurableApplicationContext> application,
			Function<ConfigurableApplicationContext, Pool> livePool, CapturedOutput output) throws Exception {
		failOver(directory, "a network partition, drain timeout 3 s", silentUrl, silence, yaml, application, livePool,
				(closedAfterChange, closedAfterApplied, result) -> {
					// the drain timeout runs from the swap, a moment before the reload
					// is reported applied
					assertThat(closedAfterApplied).isBetween(2500L, 4000L);
					assertThat(output).contains("Closed retired dataSource of 'dataSource' at the 3000 ms drain timeout"
							+ " (hotreload.datasource.drain-timeout) with ");
					assertThat(output).doesNotContain("not answering");
					assertThat(result.state()).isEqualTo(ResourceResult.State.RETIRED_FORCED);
					assertThat(result.connectionsCut()).isPositive();
					assertThat(result.retireMs()).isBetween(3000L, 4000L);
				});
	}

	private static void failOver(Path directory, String fault, String silentUrl, Silencer silence,
			Function<String, String> yaml, Function<Path, ConfigurableApplicationContext> application,
			Function<ConfigurableApplicationContext, Pool> livePool, Closing closing) throws Exception {
		Postgres.createDatabase(HEALTHY);
		Path config = ConfigFiles.write(directory.resolve("app.yaml"), yaml.apply(silentUrl));
		try (ConfigurableApplicationContext context = application.apply(config)) {
			Pool old = livePool.apply(context);
			TransactionLoad load = new TransactionLoad(context, 32).start();
			Thread.sleep(2000);
			silence.silence();
			Thread.sleep(500);
			ConfigFiles.write(config, yaml.apply(Postgres.url(HEALTHY)));
			long changed = System.nanoTime();
			HistoryEntry entry = ConfigFiles.reload(context, config);
			long applied = System.nanoTime();
			long closed = old.closedAt(changed, Duration.ofSeconds(15));
			load.stop();

			List<Attempt> attempts = List.copyOf(load.attempts);
			List<Attempt> late = attempts.stream()
				.filter((attempt) -> attempt.started() - changed >= TimeUnit.SECONDS.toNanos(1))
				.toList();
			List<Attempt> hung = attempts.stream()
				.filter((attempt) -> attempt.hadConnection() && attempt.connected() < changed
						&& attempt.ended() > changed)
				.toList();
			long lateLongestWait = late.stream().mapToLong(Attempt::waitedMillis).max().orElse(-1);
			long committedOnHealthy = attempts.stream()
				.filter((attempt) -> !attempt.failed() && attempt.connected() > changed)
				.count();
			System.out.println("Silent database failover (" + old.type() + ", " + fault + "): reload applied in "
					+ TimeUnit.NANOSECONDS.toMillis(applied - changed) + " ms, silent pool closed "
					+ ((closed != 0) ? TimeUnit.NANOSECONDS.toMillis(closed - changed) + " ms" : "not")
					+ " after the change; " + hung.size() + " transactions hung on the silent server, "
					+ hung.stream().filter(Attempt::failed).count() + " of them failed; " + late.size()
					+ " requests started 1 s or more after the change, " + late.stream().filter(Attempt::failed).count()
					+ " failed, longest wait " + lateLongestWait + " ms; " + committedOnHealthy
					+ " committed on the new database");

			assertThat(entry.outcome()).as(String.valueOf(entry.error())).isEqualTo(ReloadOutcome.APPLIED);
			assertThat(closed).as("silent pool closed within 15 s").isNotZero();
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(context.getBean(ReloadHistory.class).entries().get(0).resources())
					.singleElement()
					.satisfies((result) -> assertThat(result.state()).isNotEqualTo(ResourceResult.State.RETIRING)));
			closing.check(TimeUnit.NANOSECONDS.toMillis(closed - changed),
					TimeUnit.NANOSECONDS.toMillis(closed - applied),
					context.getBean(ReloadHistory.class).entries().get(0).resources().get(0));
			assertThat(old.threads().getAsBoolean()).as("threads of the silent pool alive").isFalse();
			// what hung on the silent server failed when its pool closed; nothing else
			// failed
			assertThat(hung).isNotEmpty().allMatch(Attempt::failed);
			assertThat(attempts).filteredOn(Attempt::failed)
				.allMatch((attempt) -> attempt.hadConnection() && attempt.connected() < changed);
			assertThat(late).hasSizeGreaterThan(200).noneMatch(Attempt::failed);
			assertThat(lateLongestWait).isLessThanOrEqualTo(2000);
			assertThat(Postgres.queryLong(HEALTHY, "select count(*) from tx_rows")).isEqualTo(2 * committedOnHealthy);
			DataSource dataSource = context.getBean(DataSource.class);
			assertThat(ConfigFiles.catalog(dataSource)).isEqualTo(HEALTHY);
		}
	}

	/**
	 * Hold a transaction of 6 s on a database that answers while its pool retires:
	 * nothing ends on the retiring pool for longer than a second plus two validation
	 * timeouts, yet the pool is not taken for silent. The transaction commits on the old
	 * database, the pool closes only after it, nothing is cut and no "not answering"
	 * warning is logged.
	 * @param directory where the config file is written
	 * @param yaml the config that points the application's pool at a url
	 * @param application starts the application on the config file, with a drain timeout
	 * of 30 s and a validation timeout of 2 s
	 * @param livePool the application's live pool, as a handle on whether it is closed
	 * @param output the captured output, for the warning
	 */
	public static void assertLongTransactionKeptOnAnAnsweringServer(Path directory, Function<String, String> yaml,
			Function<Path, ConfigurableApplicationContext> application,
			Function<ConfigurableApplicationContext, Pool> livePool, CapturedOutput output) throws Exception {
		Postgres.createDatabase(SILENT);
		Postgres.createDatabase(HEALTHY);
		Path config = ConfigFiles.write(directory.resolve("app.yaml"), yaml.apply(Postgres.url(SILENT)));
		try (ConfigurableApplicationContext context = application.apply(config)) {
			Pool old = livePool.apply(context);
			DataSource dataSource = context.getBean(DataSource.class);
			// a transaction of 6 s: nothing ends on the retiring pool for longer than a
			// second plus two validation timeouts, on a server that answers
			CompletableFuture<Void> transaction = CompletableFuture.runAsync(() -> {
				try (Connection connection = dataSource.getConnection();
						Statement statement = connection.createStatement()) {
					connection.setAutoCommit(false);
					statement.execute("insert into tx_rows values (1, 1)");
					statement.execute("select pg_sleep(6)");
					statement.execute("insert into tx_rows values (1, 2)");
					connection.commit();
				}
				catch (SQLException ex) {
					throw new IllegalStateException(ex);
				}
			});
			Thread.sleep(500);
			ConfigFiles.write(config, yaml.apply(Postgres.url(HEALTHY)));
			HistoryEntry entry = ConfigFiles.reload(context, config);
			assertThat(entry.outcome()).as(String.valueOf(entry.error())).isEqualTo(ReloadOutcome.APPLIED);
			// committed on the old database, after the swap
			transaction.get(15, TimeUnit.SECONDS);
			await().atMost(Duration.ofSeconds(10)).until(old.closed()::getAsBoolean);
			assertThat(Postgres.queryLong(SILENT, "select count(*) from tx_rows")).isEqualTo(2);
			assertThat(output).doesNotContain("not answering");
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(context.getBean(ReloadHistory.class).entries().get(0).resources())
					.singleElement()
					.satisfies((result) -> {
						assertThat(result.state()).isEqualTo(ResourceResult.State.RETIRED);
						assertThat(result.connectionsCut()).isZero();
						assertThat(result.retireMs()).isGreaterThanOrEqualTo(5000);
					}));
		}
	}

	/**
	 * Run a scenario on the silent database reached through a proxy on loopback that
	 * falls silent when asked (nothing passed on in either direction, every connection
	 * kept open: a network partition), and check afterwards that every socket the silent
	 * pool and its checks opened through the proxy is closed.
	 * @param scenario the scenario, given the proxied url and what makes it silent
	 * @throws Exception if the scenario fails
	 */
	public static void behindAPartition(Partitioned scenario) throws Exception {
		Postgres.createDatabase(SILENT);
		try (DelayingProxy proxy = new DelayingProxy(5432, Duration.ZERO)) {
			scenario.run(
					"jdbc:postgresql://127.0.0.1:" + proxy.port() + "/" + SILENT + "?ApplicationName=hotreload-test",
					proxy::silence);
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(proxy.openConnections()).isZero());
		}
	}

	/**
	 * Starts an application on a config file with the scenarios' validation timeout of 2
	 * s.
	 * @param configuration the application's configuration
	 * @param drainTimeout the drain timeout, such as {@code 30s}
	 * @return what starts it on a config file
	 */
	public static Function<Path, ConfigurableApplicationContext> application(Class<?> configuration,
			String drainTimeout) {
		return (config) -> ConfigFiles.run(configuration, config,
				"--hotreload.datasource.drain-timeout=" + drainTimeout, "--hotreload.datasource.validation-timeout=2s");
	}

	/**
	 * A scenario run on a database behind a partition.
	 */
	@FunctionalInterface
	public interface Partitioned {

		/**
		 * Run the scenario.
		 * @param silentUrl the url of the database, through the proxy
		 * @param silence makes it silent
		 * @throws Exception if the scenario fails
		 */
		void run(String silentUrl, Silencer silence) throws Exception;

	}

	/**
	 * What is checked of how the silent pool was closed.
	 */
	@FunctionalInterface
	private interface Closing {

		void check(long closedAfterChangeMillis, long closedAfterAppliedMillis, ResourceResult result);

	}

	/**
	 * Makes a server silent.
	 */
	@FunctionalInterface
	public interface Silencer {

		/**
		 * Make the server silent.
		 * @throws Exception if it could not be
		 */
		void silence() throws Exception;

	}

}

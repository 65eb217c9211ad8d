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
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

import javax.sql.DataSource;

import dev.hotreload.history.HistoryEntry;
import dev.hotreload.history.ReloadHistory;
import dev.hotreload.history.ReloadOutcome;
import dev.hotreload.history.ResourceResult;
import dev.hotreload.testsupport.jdbc.TransactionLoad.Attempt;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Leaving a dead database, for any pool type: under 32 threads of transactions (on a pool
 * of 32, so that the waits measured are the failover's), the PostgreSQL the application
 * uses is killed, then the config points at a healthy one. The threads waiting in the
 * dead pool's queue move to the new pool at once instead of at the pool's wait timeout
 * (30 s), no request that starts a second after the change fails or waits more than 2 s,
 * and the dead pool is closed at once, although a connection it lent before the kill is
 * still held, instead of at the drain timeout (30 s).
 */
public final class DeadDatabaseFailover {

	private static final String DEAD = "hotreload_dead";

	private static final String HEALTHY = "hotreload_failover";

	private DeadDatabaseFailover() {
	}

	/**
	 * Run the scenario and assert what it must show.
	 * @param directory where the config file is written
	 * @param yaml the config that points the application's pool at a url, with room for
	 * 32 connections and a wait of 30 s for one
	 * @param application starts the application on the config file, with a drain timeout
	 * of 30 s
	 * @param livePool the application's live pool, as a handle on whether it is closed
	 * and which threads are its own
	 */
	public static void assertLeftAtOnce(Path directory, Function<String, String> yaml,
			Function<Path, ConfigurableApplicationContext> application,
			Function<ConfigurableApplicationContext, Pool> livePool) throws Exception {
		Postgres.createDatabase(HEALTHY);
		try (PostgresCluster dying = PostgresCluster.start()) {
			dying.createDatabase(DEAD);
			Path config = ConfigFiles.write(directory.resolve("app.yaml"), yaml.apply(dying.url(DEAD)));
			try (ConfigurableApplicationContext context = application.apply(config)) {
				DataSource dataSource = context.getBean(DataSource.class);
				Pool dead = livePool.apply(context);
				TransactionLoad load = new TransactionLoad(context, 32).start();
				long loaded = System.nanoTime();
				Thread.sleep(2000);
				// lent before the kill and never given back while the pool retires
				Connection held = dataSource.getConnection();
				dying.kill();
				long killed = System.nanoTime();
				Thread.sleep(2000);
				ConfigFiles.write(config, yaml.apply(Postgres.url(HEALTHY)));
				long changed = System.nanoTime();
				HistoryEntry entry = ConfigFiles.reload(context, config);
				long applied = System.nanoTime();
				long closed = dead.closedAt(changed, Duration.ofSeconds(7));
				load.stop();
				held.close();

				List<Attempt> attempts = List.copyOf(load.attempts);
				List<Attempt> late = attempts.stream()
					.filter((attempt) -> attempt.started() - changed >= TimeUnit.SECONDS.toNanos(1))
					.toList();
				List<Attempt> waitingAtChange = attempts.stream()
					.filter((attempt) -> attempt.started() < changed
							&& (!attempt.hadConnection() || attempt.connected() >= changed))
					.toList();
				long lateLongestWait = late.stream().mapToLong(Attempt::waitedMillis).max().orElse(-1);
				long movedLongestWait = waitingAtChange.stream()
					.mapToLong((attempt) -> TimeUnit.NANOSECONDS
						.toMillis((attempt.hadConnection() ? attempt.connected() : attempt.ended()) - changed))
					.max()
					.orElse(-1);
				long committedOnHealthy = attempts.stream()
					.filter((attempt) -> !attempt.failed() && attempt.connected() > killed)
					.count();
				long steadyLongestWait = attempts.stream()
					.filter((attempt) -> attempt.started() - loaded > TimeUnit.MILLISECONDS.toNanos(500)
							&& attempt.ended() < killed)
					.mapToLong(Attempt::waitedMillis)
					.max()
					.orElse(-1);
				System.out.println("Dead database failover (" + dead.type() + "): longest wait before the kill "
						+ steadyLongestWait + " ms; reload applied in "
						+ TimeUnit.NANOSECONDS.toMillis(applied - changed) + " ms, dead pool closed "
						+ ((closed != 0) ? TimeUnit.NANOSECONDS.toMillis(closed - changed) + " ms" : "not")
						+ " after the change; " + waitingAtChange.size()
						+ " requests waiting at the change, the last had its connection " + movedLongestWait
						+ " ms after it; " + late.size() + " requests started 1 s or more after it, "
						+ late.stream().filter(Attempt::failed).count() + " failed, longest wait " + lateLongestWait
						+ " ms; "
						+ attempts.stream().filter((attempt) -> attempt.failed() && !attempt.hadConnection()).count()
						+ " failed without a connection, "
						+ attempts.stream().filter((attempt) -> attempt.failed() && attempt.hadConnection()).count()
						+ " failed on a connection to the killed server");

				assertThat(entry.outcome()).as(String.valueOf(entry.error())).isEqualTo(ReloadOutcome.APPLIED);
				assertThat(late).hasSizeGreaterThan(200);
				assertThat(late).noneMatch(Attempt::failed);
				assertThat(lateLongestWait).isLessThanOrEqualTo(2000);
				// those waiting in the dead pool's queue moved: none failed for want of a
				// connection, each had one from the new pool within 2 s of the change
				assertThat(waitingAtChange).hasSizeGreaterThan(10).allMatch(Attempt::hadConnection);
				assertThat(attempts).noneMatch((attempt) -> attempt.failed() && !attempt.hadConnection());
				assertThat(movedLongestWait).isLessThanOrEqualTo(2000);
				// closed at once, with the held connection, not at the 30 s drain timeout
				assertThat(closed).isNotZero();
				assertThat(TimeUnit.NANOSECONDS.toMillis(closed - changed)).isLessThan(5000);
				await().atMost(Duration.ofSeconds(10))
					.untilAsserted(() -> assertThat(context.getBean(ReloadHistory.class).entries().get(0).resources())
						.singleElement()
						.satisfies((result) -> {
							assertThat(result.state()).isEqualTo(ResourceResult.State.RETIRED);
							assertThat(result.retireMs()).isLessThan(5000);
						}));
				assertThat(dead.threads().getAsBoolean()).as("threads of the dead pool alive").isFalse();
				// every transaction that had a connection after the kill committed on
				// the healthy database, whole
				assertThat(Postgres.queryLong(HEALTHY, "select count(*) from tx_rows"))
					.isEqualTo(2 * committedOnHealthy);
				assertThat(Postgres.queryLong(HEALTHY,
						"select count(*) from (select tx_id from tx_rows group by tx_id having count(*) <> 2) broken"))
					.isZero();
			}
		}
	}

	/**
	 * The application's pool, as the scenario sees it.
	 *
	 * @param type the pool type, for the output
	 * @param closed whether it is closed
	 * @param threads whether any thread of its own is alive
	 */
	public record Pool(String type, BooleanSupplier closed, BooleanSupplier threads) {

		/**
		 * Watch the pool for a while from a moment on.
		 * @param since the moment, as {@link System#nanoTime()}
		 * @param window how long from it to watch
		 * @return when it was first seen closed, as {@link System#nanoTime()}, or 0 if it
		 * was not closed within the window
		 * @throws InterruptedException if interrupted while watching
		 */
		public long closedAt(long since, Duration window) throws InterruptedException {
			long closed = 0;
			while (System.nanoTime() - since < window.toNanos()) {
				if (closed == 0 && this.closed.getAsBoolean()) {
					closed = System.nanoTime();
				}
				Thread.sleep(10);
			}
			return closed;
		}

	}

}

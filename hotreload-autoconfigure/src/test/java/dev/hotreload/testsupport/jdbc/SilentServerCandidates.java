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
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

import javax.sql.DataSource;

import dev.hotreload.history.HistoryEntry;
import dev.hotreload.history.ReloadOutcome;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Candidates pointed at a server that accepts TCP connections and never answers, for any
 * pool type: each is rejected within the validation timeout (2 s) and leaves nothing
 * behind, because its connects and first reads are bounded by timeouts derived from the
 * validation timeout: no thread of a candidate and no socket to the silent server
 * outlives the rejections by more than a few seconds, while the live pool keeps serving 8
 * threads of transactions; the read timeout of the bounded login does not stay on the
 * connections of a candidate that is applied (a query longer than the validation timeout
 * runs on it).
 */
public final class SilentServerCandidates {

	private static final String DATABASE = "hotreload_silent";

	/**
	 * The validation timeout the application runs with.
	 */
	public static final Duration VALIDATION_TIMEOUT = Duration.ofSeconds(2);

	private SilentServerCandidates() {
	}

	/**
	 * Run the scenario and assert what it must show.
	 * @param directory where the config file is written
	 * @param yaml the config that points the application's pool at a url
	 * @param application starts the application on the config file, with
	 * {@link #VALIDATION_TIMEOUT}
	 * @param livePool the application's live pool
	 * @param candidateThreads the names of the live threads of pools other than the given
	 * one
	 */
	public static void assertRejectedInTimeLeavingNothing(Path directory, Function<String, String> yaml,
			Function<Path, ConfigurableApplicationContext> application,
			Function<ConfigurableApplicationContext, Object> livePool,
			Function<Object, Supplier<List<String>>> candidateThreads) throws Exception {
		Postgres.createDatabase(DATABASE);
		Path config = ConfigFiles.write(directory.resolve("app.yaml"), yaml.apply(Postgres.url(DATABASE)));
		try (SilentServer silent = new SilentServer();
				ConfigurableApplicationContext context = application.apply(config)) {
			DataSource dataSource = context.getBean(DataSource.class);
			Object live = livePool.apply(context);
			Supplier<List<String>> others = candidateThreads.apply(live);
			TransactionLoad load = new TransactionLoad(context, 8).start();
			List<Long> rejectedAfter = new ArrayList<>();
			for (int attempt = 1; attempt <= 5; attempt++) {
				ConfigFiles.write(config, yaml.apply("jdbc:postgresql://127.0.0.1:" + silent.port() + "/" + DATABASE
						+ "?ApplicationName=hotreload-silent-" + attempt));
				long start = System.nanoTime();
				HistoryEntry entry = ConfigFiles.reload(context, config);
				rejectedAfter.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
				assertThat(entry.outcome()).isEqualTo(ReloadOutcome.REJECTED);
				// the candidate's deadline and the driver's login timeout are both the
				// validation timeout: whichever ends first names the wait
				assertThat(entry.error()).containsAnyOf("no connection within " + VALIDATION_TIMEOUT.toMillis() + " ms",
						"Connection attempt timed out");
			}
			assertThat(silent.accepted()).isGreaterThanOrEqualTo(5);
			long start = System.nanoTime();
			await().atMost(VALIDATION_TIMEOUT.multipliedBy(3)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
				assertThat(LiveThreads.named("hotreload-validate-")).isEmpty();
				assertThat(others.get()).isEmpty();
				assertThat(silent.open()).isZero();
			});
			long cleaned = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
			load.stop();
			System.out
				.println("Silent server (" + live.getClass().getSimpleName() + "): rejected after " + rejectedAfter
						+ " ms; " + silent.accepted() + " sockets accepted, all closed and no candidate thread left "
						+ cleaned + " ms after the last rejection; live pool: " + load.committed.get() + " committed, "
						+ load.failures.size() + " failed");
			assertThat(rejectedAfter)
				.allSatisfy((millis) -> assertThat(millis).isLessThanOrEqualTo(VALIDATION_TIMEOUT.toMillis() + 1000));
			assertThat(load.failures).isEmpty();
			assertThat(load.committed.get()).isPositive();
			assertThat(livePool.apply(context)).isSameAs(live);
			try (Connection connection = dataSource.getConnection()) {
				assertThat(connection.isValid(1)).isTrue();
			}
			// a validated candidate's connections, opened with the bounded login, keep no
			// read timeout: a query longer than the validation timeout runs
			ConfigFiles.write(config, yaml.apply(Postgres.url(DATABASE) + "&options=-c%20application_name=next"));
			assertThat(ConfigFiles.reload(context, config).outcome()).isEqualTo(ReloadOutcome.APPLIED);
			assertThat(livePool.apply(context)).isNotSameAs(live);
			try (Connection connection = dataSource.getConnection();
					Statement statement = connection.createStatement()) {
				assertThat(connection.getNetworkTimeout()).isZero();
				statement.execute("select pg_sleep(" + (VALIDATION_TIMEOUT.toMillis() + 1000) / 1000.0 + ")");
			}
		}
		Postgres.execute(DATABASE, "truncate tx_rows");
	}

}

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

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.hotreload.history.HistoryEntry;
import dev.hotreload.history.ReloadHistory;
import dev.hotreload.history.ResourceResult;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A transaction longer than the drain timeout, for any pool type: it is under way on the
 * old pool when the config points elsewhere, while 4 threads of transactions run; the old
 * pool is closed at the drain timeout, the transaction is cut then (it fails and commits
 * nothing) and counted in the history, and no other transaction fails.
 */
public final class LongTransaction {

	private LongTransaction() {
	}

	/**
	 * Run a 5 s transaction on the old database, reload and check that it is cut at the
	 * drain timeout.
	 * @param context the application, with a drain timeout of 1 s
	 * @param oldDatabase the database the application serves from before the reload
	 * @param reload points the config at another database and reloads
	 * @throws Exception if the check cannot be made
	 */
	public static void assertCutAtTheDrainTimeout(ConfigurableApplicationContext context, String oldDatabase,
			Callable<HistoryEntry> reload) throws Exception {
		TransactionTemplate transactions = context.getBean(TransactionTemplate.class);
		JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
		ExecutorService executor = Executors.newSingleThreadExecutor();
		try {
			Future<?> longTransaction = executor.submit(() -> transactions.executeWithoutResult((status) -> {
				jdbc.update("insert into tx_rows values (-1, 1)");
				jdbc.execute("select pg_sleep(5)");
			}));
			Thread.sleep(300);
			TransactionLoad load = new TransactionLoad(context, 4).start();
			HistoryEntry entry = reload.call();
			Thread.sleep(300);
			load.stop();
			assertThat(load.failures).isEmpty();
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(history(context).get(0).resources().get(0).state())
					.isEqualTo(ResourceResult.State.RETIRED_FORCED));
			ResourceResult result = history(context).get(0).resources().get(0);
			assertThat(result.connectionsCut()).isEqualTo(1);
			assertThat(entry.id()).isEqualTo(history(context).get(0).id());
			assertThat(longTransaction).failsWithin(Duration.ofSeconds(10));
			assertThat(Postgres.queryLong(oldDatabase, "select count(*) from tx_rows where tx_id = -1")).isZero();
		}
		finally {
			executor.shutdownNow();
		}
	}

	private static List<HistoryEntry> history(ConfigurableApplicationContext context) {
		return context.getBean(ReloadHistory.class).entries();
	}

}

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

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Threads running transactions through the application's DataSource: insert a row, sleep
 * 10 to 50 ms in the database, insert a second row with the same id, commit. Counts the
 * committed transactions, keeps every failure and the timings of every transaction.
 */
public final class TransactionLoad {

	public final AtomicLong committed = new AtomicLong();

	public final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();

	public final ConcurrentLinkedQueue<Attempt> attempts = new ConcurrentLinkedQueue<>();

	private final AtomicBoolean running = new AtomicBoolean(true);

	private final ApplicationContext context;

	private final int threads;

	private final LongSupplier ids;

	private final String sleepFunction;

	private final ExecutorService executor;

	/**
	 * A load whose transactions have ids 1, 2, 3...
	 */
	public TransactionLoad(ApplicationContext context, int threads) {
		this(context, threads, new AtomicLong()::incrementAndGet);
	}

	public TransactionLoad(ApplicationContext context, int threads, LongSupplier ids) {
		this(context, threads, ids, "pg_sleep");
	}

	/**
	 * A load on a database whose sleep function has another name, such as MariaDB's
	 * {@code sleep}.
	 */
	public TransactionLoad(ApplicationContext context, int threads, LongSupplier ids, String sleepFunction) {
		this.context = context;
		this.threads = threads;
		this.ids = ids;
		this.sleepFunction = sleepFunction;
		this.executor = Executors.newFixedThreadPool(threads);
	}

	public TransactionLoad start() {
		TransactionTemplate transactions = this.context.getBean(TransactionTemplate.class);
		JdbcTemplate jdbc = this.context.getBean(JdbcTemplate.class);
		for (int i = 0; i < this.threads; i++) {
			this.executor.execute(() -> {
				while (this.running.get()) {
					long id = this.ids.getAsLong();
					long started = System.nanoTime();
					AtomicLong connected = new AtomicLong();
					try {
						transactions.executeWithoutResult((status) -> {
							connected.set(System.nanoTime());
							jdbc.update("insert into tx_rows values (?, 1)", id);
							jdbc.execute("select " + this.sleepFunction + "("
									+ ThreadLocalRandom.current().nextInt(10, 51) / 1000.0 + ")");
							jdbc.update("insert into tx_rows values (?, 2)", id);
						});
						this.committed.incrementAndGet();
						this.attempts.add(new Attempt(started, connected.get(), System.nanoTime(), false));
					}
					catch (RuntimeException ex) {
						this.failures.add(ex.getClass().getSimpleName() + ": " + ex.getMessage());
						this.attempts.add(new Attempt(started, connected.get(), System.nanoTime(), true));
					}
				}
			});
		}
		return this;
	}

	public void stop() throws InterruptedException {
		this.running.set(false);
		this.executor.shutdown();
		assertThat(this.executor.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
	}

	/**
	 * Assert that every committed transaction landed whole in exactly one of the
	 * databases: both its rows there, none elsewhere, and rows = 2 x committed.
	 * @param databases the databases the load may have written to
	 * @return the rows found
	 */
	public long assertLandedWhole(String... databases) throws Exception {
		long rows = 0;
		Set<Long> seen = new HashSet<>();
		for (String database : databases) {
			rows += Postgres.queryLong(database, "select count(*) from tx_rows");
			assertThat(Postgres.queryLong(database,
					"select count(*) from (select tx_id from tx_rows group by tx_id having count(*) <> 2) broken"))
				.as("transactions split in %s", database)
				.isZero();
			try (var connection = Postgres.connect(database);
					var result = connection.createStatement().executeQuery("select distinct tx_id from tx_rows")) {
				while (result.next()) {
					assertThat(seen.add(result.getLong(1))).as("transaction in both databases").isTrue();
				}
			}
		}
		assertThat(rows).isEqualTo(2 * this.committed.get());
		assertThat((long) seen.size()).isEqualTo(this.committed.get());
		return rows;
	}

	/**
	 * One line with the figures of the load, for the test's output.
	 * @param what what the load went through, such as {@code 41 url flips}
	 * @param rows the rows found
	 */
	public void report(String what, long rows) {
		System.out.println("[" + what + "] " + this.threads + " threads, committed=" + this.committed.get()
				+ ", failed=" + this.failures.size() + ", rows=" + rows);
	}

	/**
	 * One transaction, in {@link System#nanoTime()}: when it started, when it had its
	 * connection (0 if it never had one), when it ended, and whether it failed.
	 */
	public record Attempt(long started, long connected, long ended, boolean failed) {

		public boolean hadConnection() {
			return this.connected != 0;
		}

		/**
		 * How long it waited for its connection, or until it failed without one.
		 */
		public long waitedMillis() {
			return TimeUnit.NANOSECONDS.toMillis((hadConnection() ? this.connected : this.ended) - this.started);
		}

	}

}

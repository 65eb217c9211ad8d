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

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntSupplier;

import com.zaxxer.hikari.HikariDataSource;
import dev.hotreload.resource.Candidates;
import dev.hotreload.resource.ErrorMessages;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Starts a new HikariCP pool from a candidate's settings, checks a connection from it and
 * fills it to what is in demand, within the validation timeout, on a thread that owns the
 * pool (see {@link Candidates}): a pool whose start ends after the timeout is closed by
 * that thread, so it never lives on beside the live one.
 *
 * @author hotreload authors
 */
final class HikariStarter {

	private static final Log logger = LogFactory.getLog(HikariStarter.class);

	private final Duration validationTimeout;

	HikariStarter(Duration validationTimeout) {
		this.validationTimeout = validationTimeout;
	}

	/**
	 * Start the pool.
	 * @param candidate the candidate's settings, not started
	 * @param demand the connections the live pool has in use or is waited for, read when
	 * the start begins and again as the new pool fills
	 * @return the started pool
	 * @throws Exception with a message a person can act on, if no connection opens in
	 * time or the connection fails
	 */
	HikariDataSource start(HikariDataSource candidate, IntSupplier demand) throws Exception {
		try {
			return Candidates.startWithin("hotreload-validate-" + candidate.getPoolName(), this.validationTimeout,
					() -> startAndFill(candidate, demand), HikariStarter::close, null);
		}
		catch (TimeoutException ex) {
			throw new IllegalStateException("no connection within " + this.validationTimeout.toMillis()
					+ " ms (hotreload.datasource.validation-timeout) to "
					+ DataSourceResource.maskUrl(candidate.getJdbcUrl()));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw ex;
		}
		catch (Exception ex) {
			throw new IllegalStateException("cannot connect to " + DataSourceResource.maskUrl(candidate.getJdbcUrl())
					+ ": " + ErrorMessages.of(ex), ex);
		}
	}

	/**
	 * Close a pool and the connections opened up front for it that it did not take.
	 * @param pool the pool
	 */
	static void close(HikariDataSource pool) {
		ParallelConnections.close(pool);
		pool.close();
	}

	/**
	 * Open the connections in demand in parallel (see {@link ParallelConnections}), start
	 * the pool on them, check one and hand the pool as many as the live one has in demand
	 * before it serves. Those opened up front that the pool did not take by then are kept
	 * for it to take as it grows to {@code minimum-idle}, the others closed.
	 */
	private HikariDataSource startAndFill(HikariDataSource candidate, IntSupplier demand) throws SQLException {
		int target = Math.min(Math.max(1, demand.getAsInt()), candidate.getMaximumPoolSize());
		ParallelConnections connections = ParallelConnections.install(candidate, target, this.validationTimeout);
		HikariDataSource pool = null;
		try {
			long start = System.nanoTime();
			// starts the pool now, on this thread, failing fast when no connection opens
			pool = new HikariDataSource(candidate);
			long started = System.nanoTime();
			int filled = fill(pool, target, demand);
			if (connections != null) {
				connections.keepFor(pool.getMinimumIdle());
			}
			if (logger.isDebugEnabled()) {
				logger.debug("Started pool " + pool.getPoolName() + " in "
						+ TimeUnit.NANOSECONDS.toMillis(started - start) + " ms, filled to " + filled + " of " + target
						+ " connection(s) in demand in " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)
						+ " ms" + ((connections != null) ? ", opened in parallel" : ""));
			}
			return pool;
		}
		catch (SQLException | RuntimeException ex) {
			if (connections != null) {
				connections.close();
			}
			if (pool != null) {
				pool.close();
			}
			throw ex;
		}
	}

	/**
	 * Check a connection of the new pool and make the pool hold what the live pool has in
	 * demand, at most {@code target} connections: they are borrowed together (each borrow
	 * beyond the idle ones makes HikariCP add one, from the connections opened in
	 * parallel) and given back. The live pool's demand is read again before each borrow,
	 * and the fill ends as soon as the new pool holds it: demand moves from one moment to
	 * the next, and waiting for a peak it had when the start began delays the swap by 30
	 * ms per connection. HikariCP adds one connection at a time and waits 30 ms after
	 * each, which sets how long a fill takes; the first connection is checked during the
	 * wait after the second. No new borrow starts once half the validation timeout is
	 * spent (HikariCP opens the rest in the background), and a borrow that fails ends the
	 * fill; the whole start, fill included, stays within the validation timeout.
	 * @return the connections the pool holds
	 */
	private int fill(HikariDataSource pool, int target, IntSupplier demand) throws SQLException {
		List<Connection> borrowed = new ArrayList<>(target);
		try {
			Connection first = pool.getConnection();
			borrowed.add(first);
			long fillDeadline = System.nanoTime() + this.validationTimeout.toNanos() / 2;
			while (borrowed.size() < Math.min(target, demand.getAsInt()) && System.nanoTime() < fillDeadline) {
				try {
					borrowed.add(pool.getConnection());
				}
				catch (SQLException ex) {
					logger.debug("Filling pool " + pool.getPoolName() + " stopped at " + borrowed.size() + " of "
							+ target + " connection(s): " + ErrorMessages.of(ex));
					break;
				}
				if (borrowed.size() == 2) {
					check(first);
				}
			}
			if (borrowed.size() < 2) {
				check(first);
			}
			return borrowed.size();
		}
		finally {
			for (Connection connection : borrowed) {
				connection.close();
			}
		}
	}

	private void check(Connection connection) throws SQLException {
		if (!connection.isValid((int) Math.max(1, this.validationTimeout.toSeconds()))) {
			throw new SQLException("a new connection did not pass isValid()");
		}
	}

}

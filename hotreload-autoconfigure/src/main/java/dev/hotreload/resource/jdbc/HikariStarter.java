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

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
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
	 * @param demand the connections the live pool has in use or is waited for
	 * @return the started pool
	 * @throws Exception with a message a person can act on, if no connection opens in
	 * time or the connection fails
	 */
	HikariDataSource start(HikariDataSource candidate, int demand) throws Exception {
		try {
			return Candidates.startWithin("hotreload-validate-" + candidate.getPoolName(), this.validationTimeout,
					() -> startAndFill(candidate, demand), HikariDataSource::close, null);
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
	 * Open the connections in demand in parallel (see {@link ParallelConnections}), start
	 * the pool on them, check one and hand them all to the pool before it serves.
	 */
	private HikariDataSource startAndFill(HikariDataSource candidate, int demand) throws SQLException {
		int target = Math.min(Math.max(1, demand), candidate.getMaximumPoolSize());
		try (ParallelConnections connections = ParallelConnections.install(candidate, target, this.validationTimeout)) {
			long start = System.nanoTime();
			// starts the pool now, on this thread, failing fast when no connection opens
			HikariDataSource pool = new HikariDataSource(candidate);
			try {
				long started = System.nanoTime();
				fill(pool, target);
				if (logger.isDebugEnabled()) {
					HikariPoolMXBean mx = pool.getHikariPoolMXBean();
					logger.debug("Started pool " + pool.getPoolName() + " in "
							+ TimeUnit.NANOSECONDS.toMillis(started - start) + " ms, filled to "
							+ ((mx != null) ? mx.getTotalConnections() : 0) + " of " + target
							+ " connection(s) in demand in "
							+ TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) + " ms"
							+ ((connections != null) ? ", opened in parallel" : ""));
				}
				return pool;
			}
			catch (SQLException | RuntimeException ex) {
				pool.close();
				throw ex;
			}
		}
	}

	/**
	 * Check a connection of the new pool and make the pool hold {@code target}
	 * connections: they are borrowed together (each borrow beyond the idle ones makes
	 * HikariCP add one, from the connections opened in parallel) and given back. HikariCP
	 * adds one connection at a time and waits 30 ms after each, which sets how long a
	 * fill takes; the first connection is checked during the wait after the second. No
	 * new borrow starts once half the validation timeout is spent (HikariCP opens the
	 * rest in the background), and a borrow that fails ends the fill; the whole start,
	 * fill included, stays within the validation timeout.
	 */
	private void fill(HikariDataSource pool, int target) throws SQLException {
		List<Connection> borrowed = new ArrayList<>(target);
		try {
			Connection first = pool.getConnection();
			borrowed.add(first);
			long fillDeadline = System.nanoTime() + this.validationTimeout.toNanos() / 2;
			while (borrowed.size() < target && System.nanoTime() < fillDeadline) {
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

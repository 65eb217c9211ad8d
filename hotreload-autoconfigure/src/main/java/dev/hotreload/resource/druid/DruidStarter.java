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

import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

import com.alibaba.druid.pool.DruidDataSource;
import com.alibaba.druid.pool.DruidPooledConnection;
import dev.hotreload.resource.Candidates;
import dev.hotreload.resource.ErrorMessages;
import dev.hotreload.support.SecretSanitizer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.util.StringUtils;

/**
 * Starts a new Druid pool beside the live one within the validation timeout, on a thread
 * that owns it (see {@link Candidates}): {@code init()}, one physical connection opened
 * at once (so that a wrong url, user or password fails with the driver's reason instead
 * of a wait), one connection borrowed and checked with {@code isValid()}, then the pool
 * filled towards what the live one has in demand until half the timeout is spent. Until
 * then, the login of each of its connections is bounded by the validation timeout (see
 * {@link ConnectFilter}).
 *
 * @author hotreload authors
 */
final class DruidStarter {

	private static final Log logger = LogFactory.getLog(DruidStarter.class);

	private final Duration validationTimeout;

	DruidStarter(Duration validationTimeout) {
		this.validationTimeout = validationTimeout;
	}

	/**
	 * Start the pool.
	 * @param candidate the candidate's settings, not started
	 * @param demand the connections the live pool has in use or is waited for
	 * @param filter the candidate's {@link ConnectFilter}, added to its filters
	 * @return the started pool
	 * @throws Exception with a message a person can act on, if no connection opens in
	 * time or the connection fails
	 */
	DruidDataSource start(DruidDataSource candidate, int demand, ConnectFilter filter) throws Exception {
		try {
			return Candidates.startWithin("hotreload-validate-" + candidate.getName(), this.validationTimeout,
					() -> startAndFill(candidate, demand, filter), DruidDataSource::close, null);
		}
		catch (TimeoutException ex) {
			throw new IllegalStateException("no connection within " + this.validationTimeout.toMillis()
					+ " ms (hotreload.datasource.validation-timeout) to "
					+ SecretSanitizer.maskUrl(candidate.getUrl()));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw ex;
		}
		catch (Exception ex) {
			throw new IllegalStateException(
					"cannot connect to " + SecretSanitizer.maskUrl(candidate.getUrl()) + ": " + ErrorMessages.of(ex),
					ex);
		}
	}

	/**
	 * Fail with the reason when no driver accepts the url, before Druid starts a pool
	 * that cannot connect.
	 */
	private static void checkDriver(@Nullable String url) throws SQLException {
		if (url == null) {
			throw new SQLException("no url is set");
		}
		try {
			DriverManager.getDriver(url);
		}
		catch (SQLException ex) {
			throw new SQLException("no JDBC driver accepts the url", ex);
		}
	}

	private DruidDataSource startAndFill(DruidDataSource pool, int demand, ConnectFilter filter) throws SQLException {
		try {
			if (!StringUtils.hasText(pool.getDriverClassName())) {
				checkDriver(pool.getUrl());
			}
			pool.getProxyFilters().add(filter);
			pool.init();
			pool.fill(1);
			try (DruidPooledConnection connection = pool.getConnection(this.validationTimeout.toMillis())) {
				if (!connection.isValid((int) Math.max(1, this.validationTimeout.toSeconds()))) {
					throw new SQLException("a new connection did not pass isValid()");
				}
			}
			int target = Math.min(Math.max(1, demand), pool.getMaxActive());
			long deadline = System.nanoTime() + this.validationTimeout.toNanos() / 2;
			for (int count = 2; count <= target && System.nanoTime() - deadline < 0; count++) {
				try {
					pool.fill(count);
				}
				catch (SQLException ex) {
					logger.debug("Filling pool " + pool.getName() + " stopped at " + (count - 1) + " of " + target
							+ " connection(s): " + ErrorMessages.of(ex));
					break;
				}
			}
			return pool;
		}
		catch (SQLException | RuntimeException ex) {
			pool.close();
			throw ex;
		}
	}

}

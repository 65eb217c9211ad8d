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

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import com.alibaba.druid.filter.Filter;
import com.alibaba.druid.filter.FilterAdapter;
import com.alibaba.druid.filter.FilterChain;
import com.alibaba.druid.pool.DruidConnectionHolder;
import com.alibaba.druid.pool.DruidDataSource;
import com.alibaba.druid.pool.DruidPooledConnection;
import com.alibaba.druid.proxy.jdbc.ConnectionProxy;
import dev.hotreload.resource.ConnectFailures;
import dev.hotreload.resource.ErrorMessages;
import dev.hotreload.resource.LoginTimeouts;
import dev.hotreload.support.SecretSanitizer;
import org.jspecify.annotations.Nullable;

/**
 * The Druid filter hotreload adds to every pool it manages, in the chain of each physical
 * connect:
 * <ul>
 * <li>It bounds each login by the validation timeout through the driver's own properties
 * (see {@link LoginTimeouts}), unless the application sets them (Druid's
 * {@code connect-timeout} and {@code socket-timeout}, or the URL), and takes the read
 * timeout off each connection once it is open. Druid sets no connect or socket timeout by
 * default, so without it a login to a server that accepts TCP connections and never
 * answers would keep its thread and its socket for ever: a candidate's validating thread,
 * or the create thread of a live pool whose server falls silent, which would then outlive
 * the pool's close.</li>
 * <li>It tells when the server refuses the credentials of a connect (see
 * {@link ConnectFailures#isCredentialsRejected}), with the driver's reason and no
 * password in it.</li>
 * <li>It keeps the connections the pool has lent and not taken back, so that those on a
 * server that is gone or silent can be {@link #abortBorrowed() aborted}: Druid keeps no
 * list of them (unless {@code removeAbandoned} is on), and its close leaves them to their
 * borrowers.</li>
 * </ul>
 * The application's pool gets it before it is initialized (see
 * {@link ReloadableDruidDataSourcePostProcessor}), each candidate before it starts.
 *
 * @author hotreload authors
 */
final class ConnectFilter extends FilterAdapter {

	private volatile Consumer<String> credentialsRejected;

	/**
	 * What bounds each login to a URL whose driver's login timeouts are
	 * {@link LoginTimeouts#known known}, {@code null} while logins go through unchanged.
	 */
	private volatile @Nullable Duration loginTimeout;

	private final Set<DruidPooledConnection> borrowed = ConcurrentHashMap.newKeySet();

	private ConnectFilter(@Nullable Duration loginTimeout, Consumer<String> credentialsRejected) {
		this.loginTimeout = loginTimeout;
		this.credentialsRejected = credentialsRejected;
	}

	/**
	 * The filter of a pool, added to its filters unless it has one: before the pool is
	 * initialized, so that every physical connect of the pool goes through it (Druid
	 * reuses a filter chain built before a filter is added, without it).
	 * @param pool the pool
	 * @return its filter
	 */
	static ConnectFilter of(DruidDataSource pool) {
		for (Filter filter : pool.getProxyFilters()) {
			if (filter instanceof ConnectFilter connectFilter) {
				return connectFilter;
			}
		}
		ConnectFilter filter = new ConnectFilter(null, (reason) -> {
		});
		pool.getProxyFilters().add(filter);
		return filter;
	}

	/**
	 * The filter of a candidate, its logins bounded.
	 * @param validationTimeout the bound
	 * @param credentialsRejected told the reason when the server refuses the credentials
	 * @return the filter
	 */
	static ConnectFilter candidate(Duration validationTimeout, Consumer<String> credentialsRejected) {
		return new ConnectFilter(validationTimeout, credentialsRejected);
	}

	/**
	 * Tell the given consumer from now on when the server refuses the credentials of a
	 * connect.
	 * @param credentialsRejected told the reason, with no password in it
	 */
	void onCredentialsRejected(Consumer<String> credentialsRejected) {
		this.credentialsRejected = credentialsRejected;
	}

	/**
	 * Bound the login of every connection the pool opens from now on, as a candidate's.
	 * @param timeout the bound
	 */
	void bound(Duration timeout) {
		this.loginTimeout = timeout;
	}

	@Override
	public DruidPooledConnection dataSource_getConnection(FilterChain chain, DruidDataSource dataSource,
			long maxWaitMillis) throws SQLException {
		DruidPooledConnection connection = super.dataSource_getConnection(chain, dataSource, maxWaitMillis);
		if (this.borrowed.add(connection) && this.borrowed.size() > dataSource.getMaxActive() + 16) {
			// lent ones Druid discarded without taking them back (a fatal error)
			this.borrowed.removeIf(DruidPooledConnection::isDisable);
		}
		return connection;
	}

	@Override
	public void dataSource_releaseConnection(FilterChain chain, DruidPooledConnection connection) throws SQLException {
		this.borrowed.remove(connection);
		super.dataSource_releaseConnection(chain, connection);
	}

	/**
	 * Abort the physical connection of each connection the pool has lent and not taken
	 * back: what runs on it fails at once, and its borrower gives it back.
	 * @throws SQLException the first failure to abort one, the others suppressed in it
	 */
	void abortBorrowed() throws SQLException {
		SQLException failure = null;
		for (DruidPooledConnection connection : this.borrowed) {
			DruidConnectionHolder holder = connection.getConnectionHolder();
			if (holder == null) {
				continue;
			}
			Connection physical = holder.getConnection();
			try {
				((physical instanceof ConnectionProxy proxy) ? proxy.getRawObject() : physical).abort(Runnable::run);
			}
			catch (SQLException | RuntimeException ex) {
				SQLException abort = (ex instanceof SQLException sql) ? sql : new SQLException(ex.getMessage(), ex);
				if (failure == null) {
					failure = abort;
				}
				else {
					failure.addSuppressed(abort);
				}
			}
		}
		if (failure != null) {
			throw failure;
		}
	}

	@Override
	public ConnectionProxy connection_connect(FilterChain chain, Properties info) throws SQLException {
		Duration timeout = this.loginTimeout;
		String url = chain.getDataSource().getUrl();
		Properties properties = info;
		boolean readTimeoutAdded = false;
		if (timeout != null && url != null && LoginTimeouts.known(url)) {
			properties = new Properties();
			properties.putAll(info);
			readTimeoutAdded = LoginTimeouts.add(properties, url, timeout);
		}
		ConnectionProxy connection;
		try {
			connection = super.connection_connect(chain, properties);
		}
		catch (SQLException | RuntimeException ex) {
			if (ConnectFailures.isCredentialsRejected(ex)) {
				String password = info.getProperty("password");
				SecretSanitizer secrets = SecretSanitizer.ofValues((password != null) ? List.of(password) : List.of());
				this.credentialsRejected.accept(String.valueOf(secrets.sanitize(ErrorMessages.of(ex))));
			}
			throw ex;
		}
		if (readTimeoutAdded) {
			LoginTimeouts.removeReadTimeout(connection);
		}
		return connection;
	}

}

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
import java.util.Properties;

import com.zaxxer.hikari.util.DriverDataSource;
import dev.hotreload.resource.LoginTimeouts;
import org.jspecify.annotations.Nullable;

/**
 * Opens connections whose login is bounded by a timeout, through the driver's own
 * properties (see {@link LoginTimeouts}). The read timeout is only for the login: it is
 * taken off each connection once it is open ({@code setNetworkTimeout(0)}), so that no
 * query of the pool is bounded by it.
 *
 * @author hotreload authors
 */
final class BoundedLogin {

	private final DriverDataSource dataSource;

	private final boolean readTimeoutAdded;

	private BoundedLogin(DriverDataSource dataSource, boolean readTimeoutAdded) {
		this.dataSource = dataSource;
		this.readTimeoutAdded = readTimeoutAdded;
	}

	/**
	 * The bounded login for a pool's connections, built as HikariCP builds its
	 * {@link DriverDataSource}, with the timeout properties its driver knows.
	 * @param jdbcUrl the pool's JDBC URL
	 * @param driverClassName the pool's driver class, if set
	 * @param properties the pool's data source properties
	 * @param username the pool's user name
	 * @param password the pool's password
	 * @param timeout the bound
	 * @return the bounded login, or {@code null} for a driver whose timeout properties
	 * are not known (the login is then bounded by the driver alone)
	 */
	static @Nullable BoundedLogin of(String jdbcUrl, @Nullable String driverClassName, Properties properties,
			@Nullable String username, @Nullable String password, Duration timeout) {
		if (!LoginTimeouts.known(jdbcUrl)) {
			return null;
		}
		Properties bounded = new Properties();
		bounded.putAll(properties);
		boolean readTimeoutAdded = LoginTimeouts.add(bounded, jdbcUrl, timeout);
		return new BoundedLogin(new DriverDataSource(jdbcUrl, driverClassName, bounded, username, password),
				readTimeoutAdded);
	}

	/**
	 * Open a connection, its login bounded, its reads not.
	 * @param username the user name, or {@code null} for the data source's own
	 * @param password the password
	 * @return the connection
	 * @throws SQLException if it cannot be opened in time
	 */
	Connection open(@Nullable String username, @Nullable String password) throws SQLException {
		Connection connection = (username != null) ? this.dataSource.getConnection(username, password)
				: this.dataSource.getConnection();
		if (this.readTimeoutAdded) {
			LoginTimeouts.removeReadTimeout(connection);
		}
		return connection;
	}

}

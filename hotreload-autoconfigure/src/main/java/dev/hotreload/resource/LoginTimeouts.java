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

package dev.hotreload.resource;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Locale;
import java.util.Properties;

/**
 * The driver properties that bound a JDBC login by a timeout: PgJDBC's
 * {@code loginTimeout}, {@code connectTimeout} and {@code socketTimeout} (seconds),
 * MariaDB's and MySQL's {@code connectTimeout} and {@code socketTimeout} (milliseconds).
 * A server that accepts the TCP connection and never answers then costs at most the
 * timeout, and the driver's thread and socket end with it. A property the application
 * sets itself, in the properties or the URL, is left as it is.
 * <p>
 * The read timeout is for the login only: whoever opens the connection takes it off
 * ({@code setNetworkTimeout(executor, 0)}) once the connection is open, so that no query
 * is bounded by it.
 *
 * @author hotreload authors
 */
public final class LoginTimeouts {

	private LoginTimeouts() {
	}

	/**
	 * Whether the timeout properties of the URL's driver are known.
	 * @param jdbcUrl the JDBC URL
	 * @return whether {@link #add} can bound a login to it
	 */
	public static boolean known(String jdbcUrl) {
		String url = jdbcUrl.toLowerCase(Locale.ROOT);
		return url.startsWith("jdbc:postgresql:") || url.startsWith("jdbc:mariadb:") || url.startsWith("jdbc:mysql:");
	}

	/**
	 * Add the properties that bound a login to the URL by the timeout, unless the
	 * application sets them.
	 * @param properties the driver properties, changed
	 * @param jdbcUrl the JDBC URL, of a driver whose properties are {@link #known}
	 * @param timeout the bound
	 * @return whether a read timeout was added, to be taken off the connection once it is
	 * open
	 */
	public static boolean add(Properties properties, String jdbcUrl, Duration timeout) {
		String url = jdbcUrl.toLowerCase(Locale.ROOT);
		if (url.startsWith("jdbc:postgresql:")) {
			String seconds = Long.toString(Math.max(1, (timeout.toMillis() + 999) / 1000));
			add(properties, url, "loginTimeout", seconds);
			add(properties, url, "connectTimeout", seconds);
			return add(properties, url, "socketTimeout", seconds);
		}
		String millis = Long.toString(Math.max(1, timeout.toMillis()));
		add(properties, url, "connectTimeout", millis);
		return add(properties, url, "socketTimeout", millis);
	}

	/**
	 * Take the read timeout {@link #add} added off a connection now open, closing it if
	 * that fails.
	 * @param connection the connection
	 * @throws SQLException if the read timeout could not be taken off
	 */
	public static void removeReadTimeout(Connection connection) throws SQLException {
		try {
			connection.setNetworkTimeout(Runnable::run, 0);
		}
		catch (SQLException | RuntimeException ex) {
			try {
				connection.close();
			}
			catch (SQLException closing) {
				ex.addSuppressed(closing);
			}
			throw ex;
		}
	}

	/**
	 * Add a property unless the application sets it.
	 * @return whether it was added
	 */
	private static boolean add(Properties properties, String url, String name, String value) {
		String lower = name.toLowerCase(Locale.ROOT);
		if (properties.stringPropertyNames().stream().anyMatch((key) -> key.equalsIgnoreCase(name))
				|| url.contains("?" + lower + "=") || url.contains("&" + lower + "=")
				|| url.contains(";" + lower + "=")) {
			return false;
		}
		properties.setProperty(name, value);
		return true;
	}

}

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
import java.util.List;
import java.util.function.BiConsumer;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.util.Credentials;
import com.zaxxer.hikari.util.DriverDataSource;
import dev.hotreload.resource.ConnectFailures;
import dev.hotreload.resource.ErrorMessages;
import dev.hotreload.support.SecretSanitizer;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * The {@link DataSource} a HikariCP pool opens its physical connections from: the
 * {@link DriverDataSource} HikariCP would build itself from the pool's JDBC URL, driver,
 * data source properties and credentials (HikariCP still passes the credentials of its
 * credentials provider for every connection), given to the pool with
 * {@link HikariDataSource#setDataSource(DataSource)} before it starts. The pool keeps its
 * JDBC URL, so its settings, its metadata and the endpoint read as before.
 * <p>
 * It sees every connection the pool opens and every failure to open one: it remembers
 * whether the server could be reached, so that a retiring pool whose server is gone is
 * closed at once (see {@link #unreachable()}), and tells when the server refuses the
 * credentials of a new connection (see {@link ConnectFailures#isCredentialsRejected}),
 * with the driver's reason and no secret in it.
 * <p>
 * While a candidate pool is validated, and for every connection opened only to check
 * something, the login is bounded by the validation timeout (see {@link BoundedLogin}),
 * so that a server that accepts and never answers holds no thread and no socket once the
 * candidate is rejected.
 *
 * @author hotreload authors
 */
final class ConnectionSource extends DelegatingDataSource {

	/**
	 * Least time between two connections opened only to learn whether the server is
	 * reachable.
	 */
	private static final long PROBE_INTERVAL_NANOS = Duration.ofSeconds(1).toNanos();

	private final @Nullable BoundedLogin bounded;

	private final BiConsumer<ConnectionSource, String> credentialsRejected;

	/**
	 * Whether the pool's own connections are opened with the bounded login: while a
	 * candidate is validated.
	 */
	private volatile boolean bounding;

	/**
	 * The credentials of the last connection the pool asked for, for probes.
	 */
	private volatile @Nullable Credentials credentials;

	/**
	 * Whether the last attempt to open a connection failed because the server could not
	 * be reached.
	 */
	private volatile boolean lastAttemptUnreachable;

	private volatile long probed = System.nanoTime() - PROBE_INTERVAL_NANOS;

	private ConnectionSource(DriverDataSource target, @Nullable BoundedLogin bounded, boolean bounding,
			BiConsumer<ConnectionSource, String> credentialsRejected) {
		super(target);
		this.bounded = bounded;
		this.credentialsRejected = credentialsRejected;
		this.bounding = bounding && bounded != null;
	}

	/**
	 * Give a pool that is not started yet, and would open its connections from a JDBC URL
	 * with HikariCP's own {@link DriverDataSource}, a connection source built the same
	 * way.
	 * @param pool the pool
	 * @param validationTimeout bounds the login of the connections opened to check
	 * something
	 * @param candidate whether the pool is a candidate, whose own connections are bounded
	 * the same way until it is {@link #validated()}
	 * @param credentialsRejected told when the server refuses the credentials of a
	 * connection the pool opens, with the reason, no secret in it
	 * @return the connection source, or {@code null} if the pool gets its connections
	 * another way, has started already, or has a driver or URL HikariCP will refuse (it
	 * then says why when it starts)
	 */
	static @Nullable ConnectionSource install(HikariDataSource pool, Duration validationTimeout, boolean candidate,
			BiConsumer<ConnectionSource, String> credentialsRejected) {
		if (pool.getJdbcUrl() == null || pool.getDataSource() != null || pool.getDataSourceClassName() != null
				|| pool.getDataSourceJNDI() != null) {
			return null;
		}
		try {
			DriverDataSource target = new DriverDataSource(pool.getJdbcUrl(), pool.getDriverClassName(),
					pool.getDataSourceProperties(), pool.getUsername(), pool.getPassword());
			BoundedLogin bounded = BoundedLogin.of(pool.getJdbcUrl(), pool.getDriverClassName(),
					pool.getDataSourceProperties(), pool.getUsername(), pool.getPassword(), validationTimeout);
			ConnectionSource source = new ConnectionSource(target, bounded, candidate, credentialsRejected);
			pool.setDataSource(source);
			return source;
		}
		catch (RuntimeException ex) {
			// started already, or a driver HikariCP will report when it starts
			return null;
		}
	}

	/**
	 * The connection source of a pool, if it has one.
	 * @param pool the pool
	 * @return the connection source, or {@code null}
	 */
	static @Nullable ConnectionSource of(HikariDataSource pool) {
		DataSource dataSource = pool.getDataSource();
		try {
			return (dataSource != null && dataSource.isWrapperFor(ConnectionSource.class))
					? dataSource.unwrap(ConnectionSource.class) : null;
		}
		catch (SQLException ex) {
			return null;
		}
	}

	/**
	 * End the bounded login of a candidate's own connections: it is validated, and the
	 * connections it opens from now on are opened as HikariCP would open them.
	 */
	void validated() {
		this.bounding = false;
	}

	@Override
	public Connection getConnection() throws SQLException {
		this.credentials = null;
		return open(null, null, this.bounding);
	}

	@Override
	public Connection getConnection(@Nullable String username, @Nullable String password) throws SQLException {
		this.credentials = Credentials.of(username, password);
		return open(username, password, this.bounding);
	}

	/**
	 * Open a connection only to check something, such as new credentials, its login
	 * bounded by the validation timeout. What happens to it is not remembered.
	 * @param username the user name
	 * @param password the password
	 * @return the connection
	 * @throws SQLException if it cannot be opened in time
	 */
	Connection check(@Nullable String username, @Nullable String password) throws SQLException {
		BoundedLogin bounded = this.bounded;
		if (bounded != null) {
			return bounded.open(username, password);
		}
		return (username != null) ? obtainTargetDataSource().getConnection(username, password)
				: obtainTargetDataSource().getConnection();
	}

	/**
	 * Whether the server answers at all: a connection opened now logs in within the
	 * validation timeout (the login is the server's answer: a pooler such as PgBouncer
	 * that makes queries wait for a server connection still answers it), or the server
	 * refuses or rejects the login (see {@link ConnectFailures#isUnreachable}). Only for
	 * a driver whose login timeouts are known (see {@link BoundedLogin}), so that the
	 * check is bounded; {@code true} for others. What happens to the connection is not
	 * remembered.
	 * @return {@code false} if the server could not be reached or gave no answer in time
	 */
	boolean answers() {
		BoundedLogin bounded = this.bounded;
		if (bounded == null) {
			return true;
		}
		Credentials credentials = lastCredentials();
		try {
			check(credentials.getUsername(), credentials.getPassword()).close();
			return true;
		}
		catch (SQLException | RuntimeException ex) {
			return !ConnectFailures.isUnreachable(ex);
		}
	}

	private Connection open(@Nullable String username, @Nullable String password, boolean bounded) throws SQLException {
		try {
			Connection connection = bounded ? check(username, password)
					: (username != null) ? obtainTargetDataSource().getConnection(username, password)
							: obtainTargetDataSource().getConnection();
			this.lastAttemptUnreachable = false;
			return connection;
		}
		catch (SQLException | RuntimeException ex) {
			boolean credentialsRejected = ConnectFailures.isCredentialsRejected(ex);
			this.lastAttemptUnreachable = ConnectFailures.isUnreachable(ex);
			if (credentialsRejected) {
				SecretSanitizer secrets = SecretSanitizer.ofValues((password != null) ? List.of(password) : List.of());
				this.credentialsRejected.accept(this, String.valueOf(secrets.sanitize(ErrorMessages.of(ex))));
			}
			throw ex;
		}
	}

	/**
	 * Whether the server is known to be unreachable: the last attempt to open a
	 * connection failed because it could not be reached, and so does a connection opened
	 * now to make sure (at most once a second; in between, the last answer holds). A
	 * server that answers, even with an error, is reachable.
	 * @return whether the server is unreachable
	 */
	boolean unreachable() {
		if (!this.lastAttemptUnreachable) {
			return false;
		}
		long now = System.nanoTime();
		if (now - this.probed >= PROBE_INTERVAL_NANOS) {
			this.probed = now;
			Credentials credentials = lastCredentials();
			try {
				open(credentials.getUsername(), credentials.getPassword(), true).close();
			}
			catch (SQLException | RuntimeException ex) {
				// remembered by open()
			}
		}
		return this.lastAttemptUnreachable;
	}

	/**
	 * The credentials of the last connection the pool asked for, for a connection opened
	 * only to learn something of the server: none (the data source's own) when it asked
	 * without.
	 */
	private Credentials lastCredentials() {
		Credentials credentials = this.credentials;
		return (credentials != null) ? credentials : Credentials.of(null, null);
	}

}

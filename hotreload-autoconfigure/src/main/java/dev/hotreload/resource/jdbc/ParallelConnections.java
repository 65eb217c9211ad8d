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
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.util.Credentials;
import com.zaxxer.hikari.util.DriverDataSource;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * The {@link DataSource} a new pool opens its connections from while it starts: the
 * pool's {@link ConnectionSource} (the same {@link DriverDataSource} HikariCP would build
 * from the pool's URL, driver, properties and credentials), with a number of connections
 * opened up front, in parallel on a few threads, and handed to the pool first. HikariCP
 * opens connections one after another on its single adder thread; with these the new pool
 * holds what is in demand in about the time of one connection.
 * <p>
 * Connections opened up front that the pool has not taken when {@link #close()} is called
 * are closed; so is one that finishes opening after it.
 *
 * @author hotreload authors
 */
final class ParallelConnections extends DelegatingDataSource implements AutoCloseable {

	/**
	 * At most this many connections are opened at the same time.
	 */
	static final int MAX_PARALLEL = 4;

	private static final Object FAILED = new Object();

	private static final Duration POLL = Duration.ofMillis(20);

	private final @Nullable String username;

	private final @Nullable String password;

	private final LinkedBlockingQueue<Object> opened = new LinkedBlockingQueue<>();

	/**
	 * Connections opened (or being opened) up front that no caller claimed yet.
	 */
	private final AtomicInteger unclaimed = new AtomicInteger();

	private final AtomicBoolean closed = new AtomicBoolean();

	private final Duration timeout;

	private @Nullable ExecutorService openers;

	private ParallelConnections(DataSource target, @Nullable String username, @Nullable String password,
			Duration timeout) {
		super(target);
		this.username = username;
		this.password = password;
		this.timeout = timeout;
	}

	/**
	 * Give the candidate pool a data source that opens {@code count} connections in
	 * parallel from its {@link ConnectionSource}, when it has one (and its own
	 * credentials or hotreload's {@link LiveCredentials}); otherwise leave the candidate
	 * as it is.
	 * @param candidate the pool, not started yet
	 * @param count connections to open up front
	 * @param timeout how long a caller waits for a connection opened up front
	 * @return the data source set on the candidate, or {@code null} when the candidate
	 * gets its connections from a data source of its own
	 */
	static @Nullable ParallelConnections install(HikariDataSource candidate, int count, Duration timeout) {
		ConnectionSource target = ConnectionSource.of(candidate);
		if (target == null || (candidate.getCredentialsProvider() != null
				&& !(candidate.getCredentialsProvider() instanceof LiveCredentials))) {
			return null;
		}
		// hotreload's live credentials are read now and, for later connections, by
		// HikariCP, which passes them to getConnection(username, password)
		Credentials credentials = (candidate.getCredentialsProvider() instanceof LiveCredentials live)
				? live.getCredentials() : candidate.getCredentials();
		ParallelConnections connections = new ParallelConnections(target, credentials.getUsername(),
				credentials.getPassword(), timeout);
		candidate.setDataSource(connections);
		connections.open(count, candidate.getPoolName());
		return connections;
	}

	private void open(int count, String poolName) {
		if (count <= 0) {
			return;
		}
		CustomizableThreadFactory threads = new CustomizableThreadFactory("hotreload-connect-" + poolName + "-");
		threads.setDaemon(true);
		ExecutorService openers = Executors.newFixedThreadPool(Math.min(count, MAX_PARALLEL), threads);
		this.openers = openers;
		this.unclaimed.set(count);
		for (int i = 0; i < count; i++) {
			openers.execute(this::openOne);
		}
		openers.shutdown();
	}

	private void openOne() {
		Object result;
		try {
			result = (this.closed.get()) ? FAILED : openFromTarget(this.username, this.password);
		}
		catch (SQLException | RuntimeException ex) {
			result = new Failure(ex);
		}
		this.opened.add(result);
		if (this.closed.get()) {
			closeUnclaimed();
		}
	}

	@Override
	public Connection getConnection() throws SQLException {
		return getConnection(this.username, this.password);
	}

	@Override
	public Connection getConnection(@Nullable String username, @Nullable String password) throws SQLException {
		if (Objects.equals(username, this.username) && Objects.equals(password, this.password)) {
			Connection connection = claim();
			if (connection != null) {
				return connection;
			}
		}
		return openFromTarget(username, password);
	}

	private Connection openFromTarget(@Nullable String username, @Nullable String password) throws SQLException {
		return (username != null) ? obtainTargetDataSource().getConnection(username, password)
				: obtainTargetDataSource().getConnection();
	}

	/**
	 * A connection opened up front, waiting for one still being opened; {@code null} when
	 * none is left.
	 */
	private @Nullable Connection claim() throws SQLException {
		while (!this.closed.get() && this.unclaimed.getAndUpdate((n) -> Math.max(0, n - 1)) > 0) {
			Object result = null;
			long deadline = System.nanoTime() + this.timeout.toNanos() + TimeUnit.SECONDS.toNanos(1);
			try {
				// in slices, so that a close() while waiting is seen
				while (result == null && !this.closed.get() && System.nanoTime() < deadline) {
					result = this.opened.poll(POLL.toMillis(), TimeUnit.MILLISECONDS);
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new SQLException("interrupted while waiting for a connection", ex);
			}
			if (result instanceof Connection connection) {
				return connection;
			}
			if (result instanceof Failure failure) {
				throw (failure.cause() instanceof SQLException ex) ? ex
						: new SQLException(failure.cause().getMessage(), failure.cause());
			}
		}
		return null;
	}

	/**
	 * Stop handing out connections opened up front and close those not taken.
	 */
	@Override
	public void close() {
		if (this.closed.compareAndSet(false, true)) {
			this.unclaimed.set(0);
			closeUnclaimed();
			ExecutorService openers = this.openers;
			if (openers != null) {
				// cuts short the connects still under way (bounded by the candidate's
				// login timeout in any case)
				openers.shutdownNow();
			}
		}
	}

	private void closeUnclaimed() {
		Object result;
		while ((result = this.opened.poll()) != null) {
			if (result instanceof Connection connection) {
				try {
					connection.close();
				}
				catch (SQLException ex) {
					// nothing more to do with a connection nobody took
				}
			}
		}
	}

	private record Failure(Throwable cause) {

	}

}

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

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;

import javax.sql.DataSource;

/**
 * The {@link DataSource} a connection pool's resource puts in place of the application's
 * pool: every call goes to the live generation's pool, and a borrow is counted in flight
 * on it (see {@link Generations#borrow}). A resource type for a JDBC pool subclasses it
 * with an accessor for its pool; {@code unwrap(<pool class>)} gives the live pool.
 * <p>
 * It has no close method, so that Spring Cloud's rebinding or refresh scope never closes
 * a pool under work; the pools are closed when the application context closes.
 *
 * @param <P> the type of the pool
 * @author hotreload authors
 */
public abstract class GenerationalDataSource<P extends DataSource> implements DataSource {

	private final Generations<P, ?> generations;

	protected GenerationalDataSource(Generations<P, ?> generations) {
		this.generations = generations;
	}

	/**
	 * The pool that serves new connections.
	 * @return the live pool
	 */
	protected final P livePool() {
		return this.generations.instance();
	}

	@Override
	public Connection getConnection() throws SQLException {
		return this.generations.borrow(DataSource::getConnection);
	}

	@Override
	public Connection getConnection(String username, String password) throws SQLException {
		return this.generations.borrow((pool) -> pool.getConnection(username, password));
	}

	@Override
	@SuppressWarnings("unchecked")
	public <T> T unwrap(Class<T> type) throws SQLException {
		if (type.isInstance(this)) {
			return (T) this;
		}
		P pool = livePool();
		return type.isInstance(pool) ? (T) pool : pool.unwrap(type);
	}

	@Override
	public boolean isWrapperFor(Class<?> type) throws SQLException {
		P pool = livePool();
		return type.isInstance(this) || type.isInstance(pool) || pool.isWrapperFor(type);
	}

	@Override
	public PrintWriter getLogWriter() throws SQLException {
		return livePool().getLogWriter();
	}

	@Override
	public void setLogWriter(PrintWriter out) throws SQLException {
		livePool().setLogWriter(out);
	}

	@Override
	public void setLoginTimeout(int seconds) throws SQLException {
		livePool().setLoginTimeout(seconds);
	}

	@Override
	public int getLoginTimeout() throws SQLException {
		return livePool().getLoginTimeout();
	}

	@Override
	public Logger getParentLogger() throws SQLFeatureNotSupportedException {
		return livePool().getParentLogger();
	}

	@Override
	public String toString() {
		return getClass().getSimpleName() + " serving " + this.generations.live().generation();
	}

}

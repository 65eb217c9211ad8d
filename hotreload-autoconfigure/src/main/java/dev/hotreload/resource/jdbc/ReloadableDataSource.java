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

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariConfigMXBean;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.util.Credentials;
import dev.hotreload.resource.Generations;

/**
 * A {@link DataSource} that serves the current HikariCP pool and is rebuilt, the graceful
 * way, when its keys change. {@code getConnection()} costs a volatile read and the
 * in-flight count of its generation more than HikariCP;
 * {@code unwrap(HikariDataSource.class)} gives the current pool.
 * <p>
 * A change is applied with the smallest step: pool sizing and timeouts in place through
 * {@link HikariConfigMXBean}; a new user name or password in place, once a connection
 * with them opens, through the pool's {@link LiveCredentials} (HikariCP's credentials
 * provider, read for every new physical connection; a pool started before hotreload saw
 * it gets {@link HikariConfig#setCredentials(Credentials)} instead); anything else with a
 * new pool built beside the live one and validated before the swap. The old pool then
 * retires in the background: it is closed when its last connection in use is returned, or
 * at the drain timeout. The reload itself is done by the DataSource's resource, a bean
 * named {@code <bean name>.hotreload}.
 * <p>
 * The wrapper has no close method, so that Spring Cloud's rebinding or refresh scope
 * never closes a pool under work; the pools are closed when the application context
 * closes.
 *
 * @author hotreload authors
 */
public final class ReloadableDataSource implements DataSource {

	private final Generations<HikariDataSource, HikariSettings> generations;

	ReloadableDataSource(Generations<HikariDataSource, HikariSettings> generations) {
		this.generations = generations;
	}

	/**
	 * Return the pool that serves new connections.
	 * @return the current pool
	 */
	public HikariDataSource getPool() {
		return this.generations.instance();
	}

	@Override
	public Connection getConnection() throws SQLException {
		return this.generations.borrow(HikariDataSource::getConnection);
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
		HikariDataSource pool = getPool();
		return type.isInstance(pool) ? (T) pool : pool.unwrap(type);
	}

	@Override
	public boolean isWrapperFor(Class<?> type) throws SQLException {
		HikariDataSource pool = getPool();
		return type.isInstance(this) || type.isInstance(pool) || pool.isWrapperFor(type);
	}

	@Override
	public PrintWriter getLogWriter() throws SQLException {
		return getPool().getLogWriter();
	}

	@Override
	public void setLogWriter(PrintWriter out) throws SQLException {
		getPool().setLogWriter(out);
	}

	@Override
	public void setLoginTimeout(int seconds) throws SQLException {
		getPool().setLoginTimeout(seconds);
	}

	@Override
	public int getLoginTimeout() throws SQLException {
		return getPool().getLoginTimeout();
	}

	@Override
	public Logger getParentLogger() throws SQLFeatureNotSupportedException {
		return getPool().getParentLogger();
	}

	@Override
	public String toString() {
		return "ReloadableDataSource serving " + this.generations.live().generation();
	}

}

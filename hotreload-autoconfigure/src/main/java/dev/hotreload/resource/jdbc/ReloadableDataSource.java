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

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariConfigMXBean;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.util.Credentials;
import dev.hotreload.resource.GenerationalDataSource;
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
public final class ReloadableDataSource extends GenerationalDataSource<HikariDataSource> {

	ReloadableDataSource(Generations<HikariDataSource, HikariSettings> generations) {
		super(generations);
	}

	/**
	 * Return the pool that serves new connections.
	 * @return the current pool
	 */
	public HikariDataSource getPool() {
		return livePool();
	}

}

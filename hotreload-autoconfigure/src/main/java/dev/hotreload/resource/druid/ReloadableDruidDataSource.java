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

import javax.sql.DataSource;

import com.alibaba.druid.pool.DruidDataSource;
import dev.hotreload.resource.GenerationalDataSource;
import dev.hotreload.resource.Generations;

/**
 * A {@link DataSource} that serves the current Druid pool and is rebuilt, the graceful
 * way, when its keys change: pool sizes, {@code maxWait} and timeouts in place, anything
 * else (Druid cannot change its url or user once started) with a new pool built beside
 * the live one, validated, swapped in atomically, and the old one drained and closed.
 * {@code unwrap(DruidDataSource.class)} gives the current pool. The reload itself is done
 * by the DataSource's resource, a bean named {@code <bean name>.hotreload}.
 * <p>
 * The wrapper has no close method, so that Spring Cloud's rebinding never closes a pool
 * under work; the pools are closed when the application context closes.
 *
 * @author hotreload authors
 */
public final class ReloadableDruidDataSource extends GenerationalDataSource<DruidDataSource> {

	ReloadableDruidDataSource(Generations<DruidDataSource, DruidSettings> generations) {
		super(generations);
	}

	/**
	 * Return the pool that serves new connections.
	 * @return the current pool
	 */
	public DruidDataSource getPool() {
		return livePool();
	}

}

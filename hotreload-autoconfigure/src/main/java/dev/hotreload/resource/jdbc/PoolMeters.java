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

/**
 * Meters shared by every generation of a reloadable DataSource, told which pool serves.
 *
 * @author hotreload authors
 * @see HikariMeters
 */
interface PoolMeters {

	/**
	 * Make the meters read the given pool, once it serves.
	 * @param poolName the name of the pool that serves now
	 */
	void serving(String poolName);

	/**
	 * Remove the meters. Called when the application context closes.
	 */
	void close();

}

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

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.alibaba.druid.pool.DruidDataSource;

/**
 * The settings a running Druid pool can change in place: its setters for them are allowed
 * after {@code init()} and the pool reads them at each use (sizes when it creates or
 * evicts connections, {@code maxWait} at each borrow, the timeouts at each statement,
 * eviction run or new physical connection). Everything else (the url, the user name, the
 * password, the driver, connection properties, filters, validation query...) needs a new
 * pool: Druid refuses {@code setUrl} and {@code setUsername} once started.
 *
 * @author hotreload authors
 */
record DruidSettings(int maxActive, int minIdle, long maxWait, int validationQueryTimeout, int queryTimeout,
		int transactionQueryTimeout, long timeBetweenEvictionRunsMillis, long minEvictableIdleTimeMillis,
		long maxEvictableIdleTimeMillis, long keepAliveBetweenTimeMillis, long phyTimeoutMillis,
		long removeAbandonedTimeoutMillis, int connectTimeout, int socketTimeout) {

	/**
	 * The keys, in Spring Boot's uniform form (lower case, no dashes) and below the
	 * pool's prefix, that set these settings: a change to other keys needs a new pool.
	 */
	static final Set<String> KEYS = Set.of("maxactive", "minidle", "maxwait", "validationquerytimeout", "querytimeout",
			"transactionquerytimeout", "timebetweenevictionrunsmillis", "minevictableidletimemillis",
			"maxevictableidletimemillis", "keepalivebetweentimemillis", "phytimeoutmillis", "removeabandonedtimeout",
			"removeabandonedtimeoutmillis", "connecttimeout", "sockettimeout");

	static DruidSettings of(DruidDataSource pool) {
		return new DruidSettings(pool.getMaxActive(), pool.getMinIdle(), pool.getMaxWait(),
				pool.getValidationQueryTimeout(), pool.getQueryTimeout(), pool.getTransactionQueryTimeout(),
				pool.getTimeBetweenEvictionRunsMillis(), pool.getMinEvictableIdleTimeMillis(),
				pool.getMaxEvictableIdleTimeMillis(), pool.getKeepAliveBetweenTimeMillis(), pool.getPhyTimeoutMillis(),
				pool.getRemoveAbandonedTimeoutMillis(), pool.getConnectTimeout(), pool.getSocketTimeout());
	}

	/**
	 * Check what Druid checks when a pool starts, so that a bad value is rejected before
	 * anything is applied.
	 * @throws IllegalArgumentException if the settings are inconsistent
	 */
	void validate() {
		if (this.maxActive <= 0) {
			throw new IllegalArgumentException("maxActive must be greater than 0, was " + this.maxActive);
		}
		if (this.minIdle < 0 || this.minIdle > this.maxActive) {
			throw new IllegalArgumentException(
					"minIdle must be between 0 and maxActive (" + this.maxActive + "), was " + this.minIdle);
		}
		if (this.maxEvictableIdleTimeMillis < this.minEvictableIdleTimeMillis) {
			throw new IllegalArgumentException("maxEvictableIdleTimeMillis (" + this.maxEvictableIdleTimeMillis
					+ ") must not be less than minEvictableIdleTimeMillis (" + this.minEvictableIdleTimeMillis + ")");
		}
	}

	/**
	 * The names of the settings that differ.
	 * @param other the settings to compare with
	 * @return the names, in declaration order
	 */
	List<String> differences(DruidSettings other) {
		List<String> names = new ArrayList<>();
		add(names, "maxActive", this.maxActive, other.maxActive);
		add(names, "minIdle", this.minIdle, other.minIdle);
		add(names, "maxWait", this.maxWait, other.maxWait);
		add(names, "validationQueryTimeout", this.validationQueryTimeout, other.validationQueryTimeout);
		add(names, "queryTimeout", this.queryTimeout, other.queryTimeout);
		add(names, "transactionQueryTimeout", this.transactionQueryTimeout, other.transactionQueryTimeout);
		add(names, "timeBetweenEvictionRunsMillis", this.timeBetweenEvictionRunsMillis,
				other.timeBetweenEvictionRunsMillis);
		add(names, "minEvictableIdleTimeMillis", this.minEvictableIdleTimeMillis, other.minEvictableIdleTimeMillis);
		add(names, "maxEvictableIdleTimeMillis", this.maxEvictableIdleTimeMillis, other.maxEvictableIdleTimeMillis);
		add(names, "keepAliveBetweenTimeMillis", this.keepAliveBetweenTimeMillis, other.keepAliveBetweenTimeMillis);
		add(names, "phyTimeoutMillis", this.phyTimeoutMillis, other.phyTimeoutMillis);
		add(names, "removeAbandonedTimeoutMillis", this.removeAbandonedTimeoutMillis,
				other.removeAbandonedTimeoutMillis);
		add(names, "connectTimeout", this.connectTimeout, other.connectTimeout);
		add(names, "socketTimeout", this.socketTimeout, other.socketTimeout);
		return names;
	}

	private static void add(List<String> names, String name, long a, long b) {
		if (a != b) {
			names.add(name);
		}
	}

	/**
	 * Apply these settings to a live pool that serves the current ones, each changed one
	 * through Druid's own setter, in an order that never breaks Druid's checks (a larger
	 * pool grows before its minimum rises, a smaller one lowers its minimum first).
	 * @param pool the live pool
	 * @param current the settings it serves
	 */
	void applyTo(DruidDataSource pool, DruidSettings current) {
		if (this.maxActive >= current.maxActive) {
			pool.setMaxActive(this.maxActive);
			pool.setMinIdle(this.minIdle);
		}
		else {
			pool.setMinIdle(this.minIdle);
			pool.setMaxActive(this.maxActive);
		}
		if (this.maxWait != current.maxWait) {
			pool.setMaxWait(this.maxWait);
		}
		pool.setValidationQueryTimeout(this.validationQueryTimeout);
		pool.setQueryTimeout(this.queryTimeout);
		if (this.transactionQueryTimeout != current.transactionQueryTimeout) {
			pool.setTransactionQueryTimeout(this.transactionQueryTimeout);
		}
		pool.setTimeBetweenEvictionRunsMillis(this.timeBetweenEvictionRunsMillis);
		if (this.minEvictableIdleTimeMillis != current.minEvictableIdleTimeMillis
				|| this.maxEvictableIdleTimeMillis != current.maxEvictableIdleTimeMillis) {
			// the minimum has no check of its own: set it first
			pool.setMinEvictableIdleTimeMillis(this.minEvictableIdleTimeMillis);
			pool.setMaxEvictableIdleTimeMillis(this.maxEvictableIdleTimeMillis);
		}
		if (this.keepAliveBetweenTimeMillis != current.keepAliveBetweenTimeMillis) {
			pool.setKeepAliveBetweenTimeMillis(this.keepAliveBetweenTimeMillis);
		}
		pool.setPhyTimeoutMillis(this.phyTimeoutMillis);
		pool.setRemoveAbandonedTimeoutMillis(this.removeAbandonedTimeoutMillis);
		pool.setConnectTimeout(this.connectTimeout);
		pool.setSocketTimeout(this.socketTimeout);
	}

}

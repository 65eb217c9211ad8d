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

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Properties;

import com.zaxxer.hikari.HikariConfig;
import dev.hotreload.support.SecretSanitizer;
import org.jspecify.annotations.Nullable;

/**
 * The settings of a HikariCP pool that matter to a reload, compared to decide the
 * smallest change: none, in place (pool sizing and timeouts through
 * {@code HikariConfigMXBean}), credentials (atomically, through {@code setCredentials}),
 * or a new pool.
 *
 * @param connection what identifies the connections: a different value needs a new pool
 * @param runtime what a running pool can change in place
 * @param username the user name
 * @param password the password
 * @author hotreload authors
 */
record HikariSettings(List<@Nullable Object> connection, Runtime runtime, @Nullable String username,
		@Nullable String password) {

	static HikariSettings of(HikariConfig config) {
		Properties dataSourceProperties = new Properties();
		dataSourceProperties.putAll(config.getDataSourceProperties());
		List<@Nullable Object> connection = new ArrayList<>();
		connection.add(config.getJdbcUrl());
		connection.add(config.getDriverClassName());
		connection.add(config.getDataSourceClassName());
		connection.add(config.getDataSourceJNDI());
		connection.add(dataSourceProperties);
		connection.add(config.getCatalog());
		connection.add(config.getSchema());
		connection.add(config.isAutoCommit());
		connection.add(config.getTransactionIsolation());
		connection.add(config.isReadOnly());
		connection.add(config.getConnectionInitSql());
		connection.add(config.getConnectionTestQuery());
		connection.add(config.isIsolateInternalQueries());
		connection.add(config.isAllowPoolSuspension());
		connection.add(config.getKeepaliveTime());
		connection.add(config.getExceptionOverrideClassName());
		connection.add(config.getCredentialsProviderClassName());
		return new HikariSettings(connection,
				new Runtime(config.getMaximumPoolSize(), config.getMinimumIdle(), config.getConnectionTimeout(),
						config.getIdleTimeout(), config.getMaxLifetime(), config.getValidationTimeout(),
						config.getLeakDetectionThreshold()),
				config.getUsername(), config.getPassword());
	}

	boolean sameConnection(HikariSettings other) {
		return this.connection.equals(other.connection);
	}

	boolean sameCredentials(HikariSettings other) {
		return Objects.equals(this.username, other.username) && Objects.equals(this.password, other.password);
	}

	/**
	 * Settings a running pool can change in place.
	 */
	record Runtime(int maximumPoolSize, int minimumIdle, long connectionTimeout, long idleTimeout, long maxLifetime,
			long validationTimeout, long leakDetectionThreshold) {

		List<String> differences(Runtime other) {
			List<String> names = new ArrayList<>();
			add(names, "maximumPoolSize", this.maximumPoolSize, other.maximumPoolSize);
			add(names, "minimumIdle", this.minimumIdle, other.minimumIdle);
			add(names, "connectionTimeout", this.connectionTimeout, other.connectionTimeout);
			add(names, "idleTimeout", this.idleTimeout, other.idleTimeout);
			add(names, "maxLifetime", this.maxLifetime, other.maxLifetime);
			add(names, "validationTimeout", this.validationTimeout, other.validationTimeout);
			add(names, "leakDetectionThreshold", this.leakDetectionThreshold, other.leakDetectionThreshold);
			return names;
		}

		private static void add(List<String> names, String name, long a, long b) {
			if (a != b) {
				names.add(name);
			}
		}

	}

	/**
	 * Without the password, and with the url and data source properties masked.
	 */
	@Override
	public String toString() {
		List<@Nullable Object> shown = new ArrayList<>();
		for (Object value : this.connection) {
			if (value instanceof Properties properties) {
				Properties masked = new Properties();
				properties.forEach((key, item) -> masked.put(key, SecretSanitizer.isCredentialKey(key.toString())
						? SecretSanitizer.MASK : SecretSanitizer.maskUrl(item.toString())));
				shown.add(masked);
			}
			else {
				shown.add((value instanceof String text) ? SecretSanitizer.maskUrl(text) : value);
			}
		}
		return "HikariSettings[connection=" + shown + ", runtime=" + this.runtime + ", username=" + this.username
				+ ", password=" + ((this.password != null) ? SecretSanitizer.MASK : null) + "]";
	}

}

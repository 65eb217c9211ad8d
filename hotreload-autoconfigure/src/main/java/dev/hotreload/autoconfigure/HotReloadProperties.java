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

package dev.hotreload.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.hotreload.source.ConfigFormat;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration properties for hotreload.
 *
 * @author hotreload authors
 */
@ConfigurationProperties("hotreload")
public class HotReloadProperties {

	/**
	 * Whether hotreload is enabled. When false, no source is loaded or watched and no
	 * resource is wrapped.
	 */
	private boolean enabled = true;

	/**
	 * Upper bound of a random delay before a pushed change (file or Nacos) is applied, so
	 * that a fleet of instances does not rebuild its pools at the same instant.
	 */
	private Duration jitter = Duration.ZERO;

	/**
	 * Time closing the application context waits for a reload that runs. A reload that
	 * has not committed when the context begins to close applies nothing and closes its
	 * candidates.
	 */
	private Duration shutdownTimeout = Duration.ofSeconds(10);

	/**
	 * How long a caller (the endpoint, the Spring Cloud bridge) waits for a reload to
	 * complete.
	 */
	private Duration requestTimeout = Duration.ofSeconds(60);

	private final File file = new File();

	private final History history = new History();

	private final Require require = new Require();

	private final Datasource datasource = new Datasource();

	private final Redis redis = new Redis();

	private final Nacos nacos = new Nacos();

	private final AuthFailure authFailure = new AuthFailure();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public Duration getJitter() {
		return this.jitter;
	}

	public void setJitter(Duration jitter) {
		this.jitter = jitter;
	}

	public Duration getShutdownTimeout() {
		return this.shutdownTimeout;
	}

	public void setShutdownTimeout(Duration shutdownTimeout) {
		this.shutdownTimeout = shutdownTimeout;
	}

	public Duration getRequestTimeout() {
		return this.requestTimeout;
	}

	public void setRequestTimeout(Duration requestTimeout) {
		this.requestTimeout = requestTimeout;
	}

	public File getFile() {
		return this.file;
	}

	public History getHistory() {
		return this.history;
	}

	public Require getRequire() {
		return this.require;
	}

	public Datasource getDatasource() {
		return this.datasource;
	}

	public Redis getRedis() {
		return this.redis;
	}

	public Nacos getNacos() {
		return this.nacos;
	}

	public AuthFailure getAuthFailure() {
		return this.authFailure;
	}

	/**
	 * The rotation window: what happens when a server refuses the credentials of a new
	 * connection.
	 */
	public static class AuthFailure {

		/**
		 * Whether a refused login makes hotreload read every source again (trigger
		 * auth-failure), in case the password changed on the server before it changed in
		 * the config.
		 */
		private boolean enabled = true;

		/**
		 * How long the sources are read again after a refused login: at once, then after
		 * 500 ms, 1 s, 2 s and so on, until a reload applies a change.
		 */
		private Duration window = Duration.ofSeconds(10);

		/**
		 * Least time between two rotation windows, however many logins are refused.
		 */
		private Duration interval = Duration.ofSeconds(30);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getWindow() {
			return this.window;
		}

		public void setWindow(Duration window) {
			this.window = window;
		}

		public Duration getInterval() {
			return this.interval;
		}

		public void setInterval(Duration interval) {
			this.interval = interval;
		}

	}

	/**
	 * Local-file source.
	 */
	public static class File {

		/**
		 * Config files (.properties, .yaml or .yml) loaded at startup and watched. Later
		 * files take precedence over earlier ones. Prefix a location with "optional:" to
		 * start without it when it is missing.
		 */
		private List<String> locations = new ArrayList<>();

		/**
		 * Whether to use the file system's watch service. Polling runs in any case as a
		 * safety net.
		 */
		private boolean watch = true;

		/**
		 * Interval at which the files are read and compared with the live content.
		 */
		private Duration pollInterval = Duration.ofSeconds(2);

		/**
		 * Quiet period a file must stay unchanged before it is applied: after a change
		 * the file is read only once it has not been modified for this long, and again
		 * until two reads this far apart agree, so that a file written in place is never
		 * applied half-written. A complete file renamed into place (its status changed
		 * after its last write) is applied without waiting. A file replaced by another
		 * (renamed over it, a link swapped) within the same clock tick as its last write
		 * is prepared at once and applied once it has not changed for this long. A file
		 * that suddenly becomes empty or loses most of its keys is read again after this
		 * long before it is applied.
		 */
		private Duration settleTime = Duration.ofMillis(50);

		public List<String> getLocations() {
			return this.locations;
		}

		public void setLocations(List<String> locations) {
			this.locations = locations;
		}

		public boolean isWatch() {
			return this.watch;
		}

		public void setWatch(boolean watch) {
			this.watch = watch;
		}

		public Duration getPollInterval() {
			return this.pollInterval;
		}

		public Duration getSettleTime() {
			return this.settleTime;
		}

		public void setSettleTime(Duration settleTime) {
			this.settleTime = settleTime;
		}

		public void setPollInterval(Duration pollInterval) {
			this.pollInterval = pollInterval;
		}

	}

	/**
	 * Reload history.
	 */
	public static class History {

		/**
		 * Number of reloads kept in memory and shown by the endpoint.
		 */
		private int size = 100;

		/**
		 * File the history is appended to as JSON lines and read back from at startup.
		 * Values of changed keys are never written to it.
		 */
		private @Nullable Path file;

		/**
		 * Most changed keys a history entry lists, in memory, in the file and in the
		 * endpoint's answer; its changedKeyCount still counts them all.
		 */
		private int changedKeysLimit = 100;

		public int getSize() {
			return this.size;
		}

		public void setSize(int size) {
			this.size = size;
		}

		public @Nullable Path getFile() {
			return this.file;
		}

		public int getChangedKeysLimit() {
			return this.changedKeysLimit;
		}

		public void setChangedKeysLimit(int changedKeysLimit) {
			this.changedKeysLimit = changedKeysLimit;
		}

		public void setFile(@Nullable Path file) {
			this.file = file;
		}

	}

	/**
	 * Requirements a config places on the instance that applies it.
	 */
	public static class Require {

		/**
		 * Range of application versions (Maven syntax, such as "[2.3.0,3.0.0)"; a bare
		 * version means that version or later) allowed to apply the config that sets this
		 * key. Checked against the build-info version.
		 */
		private @Nullable String version;

		public @Nullable String getVersion() {
			return this.version;
		}

		public void setVersion(@Nullable String version) {
			this.version = version;
		}

	}

	/**
	 * Reloadable HikariCP DataSources.
	 */
	public static class Datasource {

		/**
		 * Whether HikariCP DataSources are made reloadable.
		 */
		private boolean enabled = true;

		/**
		 * Time a new pool is given to open and validate a connection before the change is
		 * rejected. Also bounds the connect and login of each connection it opens while
		 * it is validated, and the check of a retired pool's server (see drain-timeout).
		 */
		private Duration validationTimeout = Duration.ofSeconds(5);

		/**
		 * Time a retired pool is given for its connections in use to be returned before
		 * they are closed. A pool whose server is gone is closed at once, and so is one
		 * whose server, while none of the connections is returned for a second, gives a
		 * new connection no answer within the validation timeout.
		 */
		private Duration drainTimeout = Duration.ofSeconds(30);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getValidationTimeout() {
			return this.validationTimeout;
		}

		public void setValidationTimeout(Duration validationTimeout) {
			this.validationTimeout = validationTimeout;
		}

		public Duration getDrainTimeout() {
			return this.drainTimeout;
		}

		public void setDrainTimeout(Duration drainTimeout) {
			this.drainTimeout = drainTimeout;
		}

	}

	/**
	 * Reloadable Redis clients.
	 */
	public static class Redis {

		/**
		 * Whether Redis clients are made reloadable: Lettuce connection factories with
		 * Spring Data Redis, the StatefulRedisConnection bean without it.
		 */
		private boolean enabled = true;

		/**
		 * Time a new client is given to connect, authenticate, select its database and
		 * answer PING before the change is rejected. Also bounds the check of a retired
		 * client's server (see drain-timeout).
		 */
		private Duration validationTimeout = Duration.ofSeconds(5);

		/**
		 * Time a retired client is given for its connections in use to be released before
		 * it is destroyed. A client whose connections are all disconnected is destroyed
		 * at once, and so is one whose server, while none of its commands is answered for
		 * a second, gives no answer to PING on a new connection within the validation
		 * timeout.
		 */
		private Duration drainTimeout = Duration.ofSeconds(10);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getValidationTimeout() {
			return this.validationTimeout;
		}

		public void setValidationTimeout(Duration validationTimeout) {
			this.validationTimeout = validationTimeout;
		}

		public Duration getDrainTimeout() {
			return this.drainTimeout;
		}

		public void setDrainTimeout(Duration drainTimeout) {
			this.drainTimeout = drainTimeout;
		}

	}

	/**
	 * Nacos config source.
	 */
	public static class Nacos {

		/**
		 * Nacos server address(es), such as "127.0.0.1:8848". The source is off when this
		 * is not set.
		 */
		private @Nullable String serverAddr;

		/**
		 * Nacos namespace id.
		 */
		private @Nullable String namespace;

		/**
		 * Nacos user name.
		 */
		private @Nullable String username;

		/**
		 * Nacos password.
		 */
		private @Nullable String password;

		/**
		 * Access key (Alibaba Cloud MSE).
		 */
		private @Nullable String accessKey;

		/**
		 * Secret key (Alibaba Cloud MSE).
		 */
		private @Nullable String secretKey;

		/**
		 * Whether startup fails when the server cannot be reached. When false, the
		 * client's local snapshot is used.
		 */
		private boolean failFast = true;

		/**
		 * Timeout of a read from the server.
		 */
		private Duration timeout = Duration.ofSeconds(3);

		/**
		 * How often the server's status is checked, so that changes made while it was
		 * unreachable are applied when it is back. Zero or negative turns the check off.
		 */
		private Duration healthCheckInterval = Duration.ofSeconds(5);

		/**
		 * Data-ids to load and listen to. Later entries take precedence over earlier
		 * ones.
		 */
		private List<Config> configs = new ArrayList<>();

		public @Nullable String getServerAddr() {
			return this.serverAddr;
		}

		public void setServerAddr(@Nullable String serverAddr) {
			this.serverAddr = serverAddr;
		}

		public @Nullable String getNamespace() {
			return this.namespace;
		}

		public void setNamespace(@Nullable String namespace) {
			this.namespace = namespace;
		}

		public @Nullable String getUsername() {
			return this.username;
		}

		public void setUsername(@Nullable String username) {
			this.username = username;
		}

		public @Nullable String getPassword() {
			return this.password;
		}

		public void setPassword(@Nullable String password) {
			this.password = password;
		}

		public @Nullable String getAccessKey() {
			return this.accessKey;
		}

		public void setAccessKey(@Nullable String accessKey) {
			this.accessKey = accessKey;
		}

		public @Nullable String getSecretKey() {
			return this.secretKey;
		}

		public void setSecretKey(@Nullable String secretKey) {
			this.secretKey = secretKey;
		}

		public boolean isFailFast() {
			return this.failFast;
		}

		public void setFailFast(boolean failFast) {
			this.failFast = failFast;
		}

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

		public Duration getHealthCheckInterval() {
			return this.healthCheckInterval;
		}

		public void setHealthCheckInterval(Duration healthCheckInterval) {
			this.healthCheckInterval = healthCheckInterval;
		}

		public List<Config> getConfigs() {
			return this.configs;
		}

		public void setConfigs(List<Config> configs) {
			this.configs = configs;
		}

		/**
		 * One Nacos data-id.
		 */
		public static class Config {

			/**
			 * Data-id, such as "orders.yaml".
			 */
			private @Nullable String dataId;

			/**
			 * Group of the data-id.
			 */
			private String group = "DEFAULT_GROUP";

			/**
			 * Format of the content. Inferred from the data-id's extension when not set.
			 */
			private @Nullable ConfigFormat format;

			/**
			 * Whether the application starts when the data-id does not exist.
			 */
			private boolean optional;

			public @Nullable String getDataId() {
				return this.dataId;
			}

			public void setDataId(@Nullable String dataId) {
				this.dataId = dataId;
			}

			public String getGroup() {
				return this.group;
			}

			public void setGroup(String group) {
				this.group = group;
			}

			public @Nullable ConfigFormat getFormat() {
				return this.format;
			}

			public void setFormat(@Nullable ConfigFormat format) {
				this.format = format;
			}

			public boolean isOptional() {
				return this.optional;
			}

			public void setOptional(boolean optional) {
				this.optional = optional;
			}

		}

	}

}

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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariConfigMXBean;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import com.zaxxer.hikari.util.Credentials;
import com.zaxxer.hikari.util.DriverDataSource;
import dev.hotreload.resource.CredentialsRejectedEvent;
import dev.hotreload.resource.ErrorMessages;
import dev.hotreload.resource.EffectiveSettings;
import dev.hotreload.resource.Generation;
import dev.hotreload.resource.Generations;
import dev.hotreload.resource.Generations.Snapshot;
import dev.hotreload.resource.InPlaceChange;
import dev.hotreload.resource.NewGenerationChange;
import dev.hotreload.resource.PoolLifecycle;
import dev.hotreload.resource.PreparedChange;
import dev.hotreload.resource.ReloadContext;
import dev.hotreload.resource.ReloadableResource;
import dev.hotreload.resource.ResourceDescriptor;
import dev.hotreload.resource.SettingsTracker;
import dev.hotreload.support.SecretSanitizer;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.Binder;

import org.springframework.context.ApplicationEventPublisher;

/**
 * The reloadable resource of one {@link ReloadableDataSource}: decides the smallest step
 * for a change (none, in place, or a new pool, see {@link HikariSettings}), builds and
 * validates a new pool beside the live one (see {@link HikariStarter}), and describes the
 * pools for the endpoint. Retirement, in-flight accounting and the swap are the core's
 * ({@link Generations}).
 *
 * @author hotreload authors
 */
final class DataSourceResource implements ReloadableResource {

	private static final String DRAIN_TIMEOUT_PROPERTY = "hotreload.datasource.drain-timeout";

	private final String name;

	private final String basePoolName;

	private final @Nullable HikariRecipe recipe;

	private final @Nullable SettingsTracker settings;

	private final Duration validationTimeout;

	private final HikariLifecycle lifecycle;

	private final Generations<HikariDataSource, HikariSettings> generations;

	private final ApplicationEventPublisher events;

	DataSourceResource(String name, HikariDataSource pool, @Nullable HikariRecipe recipe,
			@Nullable EffectiveSettings settings, Duration validationTimeout, Duration drainTimeout,
			ApplicationEventPublisher events) {
		this.name = name;
		this.events = events;
		if (pool.getPoolName() == null) {
			pool.setPoolName(name);
		}
		this.basePoolName = pool.getPoolName();
		this.recipe = recipe;
		this.settings = (recipe != null && settings != null) ? new SettingsTracker(settings) : null;
		this.validationTimeout = validationTimeout;
		this.lifecycle = new HikariLifecycle(drainTimeout);
		LiveCredentials.install(pool);
		ConnectionSource.install(pool, validationTimeout, false, this::credentialsRejected);
		this.generations = new Generations<>(name, this.basePoolName, pool, settingsOf(pool), this.lifecycle);
	}

	Generations<HikariDataSource, HikariSettings> generations() {
		return this.generations;
	}

	@Override
	public String name() {
		return this.name;
	}

	@Override
	public String type() {
		return "jdbc";
	}

	@Override
	public @Nullable PreparedChange prepare(ReloadContext context) throws Exception {
		HikariRecipe recipe = this.recipe;
		SettingsTracker settings = this.settings;
		if (recipe == null || settings == null) {
			return null;
		}
		Binder keys;
		EffectiveSettings next;
		try {
			keys = recipe.keys(context.binder());
			next = recipe.settings(keys);
		}
		catch (RuntimeException ex) {
			throw invalid(ex);
		}
		return settings.prepare(context, next, () -> prepareCandidate(context, recipe, keys));
	}

	private @Nullable PreparedChange prepareCandidate(ReloadContext context, HikariRecipe recipe, Binder keys)
			throws Exception {
		Snapshot<HikariDataSource, HikariSettings> live = this.generations.live();
		HikariDataSource candidate;
		try {
			candidate = recipe.build(keys);
		}
		catch (RuntimeException ex) {
			throw invalid(ex);
		}
		HikariSettings settings;
		try {
			settings = settingsOf(candidate);
		}
		catch (RuntimeException ex) {
			candidate.close();
			throw invalid(ex);
		}
		if (!settings.sameConnection(live.settings())) {
			return rebuild(live, candidate, settings, context.dryRun());
		}
		candidate.close();
		List<String> runtime = settings.runtime().differences(live.settings().runtime());
		boolean credentials = !settings.sameCredentials(live.settings());
		if (runtime.isEmpty() && !credentials) {
			return null;
		}
		if (credentials) {
			checkCredentials(live.instance(), settings);
		}
		List<String> changed = new ArrayList<>(runtime);
		if (credentials) {
			changed.add("credentials");
		}
		return new InPlaceChange<>(this.generations, live, settings,
				"in place on " + live.instance().getPoolName() + " (" + String.join(", ", changed) + ")",
				(pool, target, current) -> apply(pool, target, !target.sameCredentials(current)));
	}

	private static IllegalArgumentException invalid(RuntimeException ex) {
		return new IllegalArgumentException("invalid DataSource settings: " + ErrorMessages.of(ex), ex);
	}

	private PreparedChange rebuild(Snapshot<HikariDataSource, HikariSettings> live, HikariDataSource candidate,
			HikariSettings settings, boolean dryRun) throws Exception {
		long number = this.generations.nextNumber();
		candidate.setPoolName(this.basePoolName + "-g" + number);
		copyMetrics(live.instance(), candidate);
		LiveCredentials.install(candidate);
		ConnectionSource source = ConnectionSource.install(candidate, this.validationTimeout, true,
				this::credentialsRejected);
		long starting = System.nanoTime();
		HikariDataSource pool = new HikariStarter(this.validationTimeout).start(candidate, demand(live.instance()));
		HikariPoolMXBean mx = pool.getHikariPoolMXBean();
		String description = NewGenerationChange.newPool(pool.getPoolName(), maskUrl(pool.getJdbcUrl()),
				(mx != null) ? mx.getTotalConnections() : 0, starting);
		if (source != null) {
			source.validated();
		}
		if (dryRun) {
			pool.close();
		}
		Snapshot<HikariDataSource, HikariSettings> next = new Snapshot<>(
				new Generation<>(number, pool.getPoolName(), pool), settings);
		return new NewGenerationChange<>(this.generations, live, next, description, this.lifecycle,
				DataSourceResource::serving);
	}

	private static void copyMetrics(HikariDataSource from, HikariDataSource to) {
		if (from.getMetricsTrackerFactory() != null && to.getMetricsTrackerFactory() == null) {
			to.setMetricsTrackerFactory(from.getMetricsTrackerFactory());
		}
		else if (from.getMetricRegistry() != null && to.getMetricRegistry() == null) {
			to.setMetricRegistry(from.getMetricRegistry());
		}
	}

	/**
	 * Connections the live pool has in use or is waited for right now: what the new pool
	 * must hold so that the first requests after the swap do not wait.
	 */
	private static int demand(HikariDataSource live) {
		HikariPoolMXBean pool = live.getHikariPoolMXBean();
		return (pool != null) ? pool.getActiveConnections() + pool.getThreadsAwaitingConnection() : 0;
	}

	private void checkCredentials(HikariDataSource pool, HikariSettings settings) throws Exception {
		if (pool.getJdbcUrl() == null) {
			return;
		}
		try (Connection connection = openWith(pool, settings)) {
			if (!connection.isValid((int) Math.max(1, this.validationTimeout.toSeconds()))) {
				throw new IllegalStateException("a connection with the new credentials did not pass isValid()");
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException("cannot connect with the new credentials: " + ErrorMessages.of(ex), ex);
		}
	}

	/**
	 * A connection with the new credentials, its login bounded by the validation timeout
	 * through the pool's connection source when it has one.
	 */
	private Connection openWith(HikariDataSource pool, HikariSettings settings) throws SQLException {
		ConnectionSource source = ConnectionSource.of(pool);
		if (source != null && settings.username() != null) {
			return source.check(settings.username(), settings.password());
		}
		DriverDataSource check = new DriverDataSource(pool.getJdbcUrl(), pool.getDriverClassName(),
				pool.getDataSourceProperties(), settings.username(), settings.password());
		check.setLoginTimeout((int) Math.max(1, this.validationTimeout.toSeconds()));
		return check.getConnection();
	}

	/**
	 * Apply pool sizing, timeouts and, if asked, credentials to a live pool.
	 */
	private static void apply(HikariDataSource pool, HikariSettings target, boolean credentials) {
		HikariConfigMXBean config = pool.getHikariConfigMXBean();
		HikariSettings.Runtime runtime = target.runtime();
		if (runtime.maximumPoolSize() >= config.getMaximumPoolSize()) {
			config.setMaximumPoolSize(runtime.maximumPoolSize());
			config.setMinimumIdle(runtime.minimumIdle());
		}
		else {
			config.setMinimumIdle(runtime.minimumIdle());
			config.setMaximumPoolSize(runtime.maximumPoolSize());
		}
		config.setConnectionTimeout(runtime.connectionTimeout());
		config.setIdleTimeout(runtime.idleTimeout());
		config.setMaxLifetime(runtime.maxLifetime());
		config.setValidationTimeout(runtime.validationTimeout());
		config.setLeakDetectionThreshold(runtime.leakDetectionThreshold());
		if (credentials) {
			if (pool.getCredentialsProvider() instanceof LiveCredentials live) {
				live.set(target.username(), target.password());
			}
			else {
				config.setCredentials(Credentials.of(target.username(), target.password()));
			}
			HikariPoolMXBean mx = pool.getHikariPoolMXBean();
			if (mx != null) {
				mx.softEvictConnections();
			}
		}
	}

	/**
	 * The server refused the credentials of a new connection: when it was one of the live
	 * pool's (not a candidate's, not a retiring pool's), the password may have changed on
	 * the server before it changed in the config, and the engine's rotation window reads
	 * the sources again.
	 */
	private void credentialsRejected(ConnectionSource source, String reason) {
		if (ConnectionSource.of(this.generations.instance()) == source) {
			this.events.publishEvent(new CredentialsRejectedEvent(this, this.name, reason));
		}
	}

	@Override
	public ResourceDescriptor describe() {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("reloadable", this.recipe != null);
		if (this.recipe != null) {
			details.put("settingsFrom", this.recipe.source());
		}
		ResourceDescriptor descriptor = this.generations.describe(type(), details,
				(live) -> poolDetails(live.instance(), live.settings().username()),
				(pool) -> poolDetails(pool, pool.getUsername()));
		if (this.settings != null) {
			this.settings.describe(descriptor.details());
		}
		return descriptor;
	}

	private static Map<String, Object> poolDetails(HikariDataSource pool, @Nullable String username) {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("name", pool.getPoolName());
		details.put("url", maskUrl(pool.getJdbcUrl()));
		details.put("username", username);
		HikariPoolMXBean mx = pool.getHikariPoolMXBean();
		if (mx != null && !pool.isClosed()) {
			details.put("active", mx.getActiveConnections());
			details.put("idle", mx.getIdleConnections());
			details.put("pending", mx.getThreadsAwaitingConnection());
		}
		return details;
	}

	static @Nullable String maskUrl(@Nullable String url) {
		return SecretSanitizer.maskUrl(url);
	}

	/**
	 * Close the live pool, every retiring one, and the shared meters. Called when the
	 * application context closes. Idempotent.
	 */
	void close() {
		this.generations.shutdown();
		if (this.generations.instance().getMetricsTrackerFactory() instanceof PoolMeters meters) {
			meters.close();
		}
	}

	/**
	 * Point the DataSource's shared meters, if it has them, at the pool that serves.
	 */
	private static void serving(HikariDataSource pool) {
		if (pool.getMetricsTrackerFactory() instanceof PoolMeters meters) {
			meters.serving(pool.getPoolName());
		}
	}

	private static HikariSettings settingsOf(HikariDataSource pool) {
		HikariConfig copy = new HikariConfig();
		pool.copyStateTo(copy);
		copy.setPoolName(pool.getPoolName());
		copy.validate();
		return HikariSettings.of(copy);
	}

	/**
	 * How HikariCP pools retire: what they have in use, whether their server is gone
	 * (seen by their {@link ConnectionSource}), their threads (named after the pool, such
	 * as {@code dataSource-g2:housekeeper}) and their connections after the close.
	 */
	private record HikariLifecycle(Duration drainTimeout) implements PoolLifecycle<HikariDataSource> {

		@Override
		public String drainTimeoutProperty() {
			return DRAIN_TIMEOUT_PROPERTY;
		}

		@Override
		public int inUse(HikariDataSource pool) {
			HikariPoolMXBean mx = pool.getHikariPoolMXBean();
			return (mx != null && !pool.isClosed()) ? mx.getActiveConnections() : 0;
		}

		@Override
		public boolean isDead(HikariDataSource pool) {
			ConnectionSource source = ConnectionSource.of(pool);
			return source != null && source.unreachable();
		}

		@Override
		public boolean answers(HikariDataSource pool) {
			ConnectionSource source = ConnectionSource.of(pool);
			return source == null || source.answers();
		}

		@Override
		public void close(HikariDataSource pool) {
			pool.close();
		}

		@Override
		public boolean ownsThread(Generation<HikariDataSource> generation, String threadName) {
			return threadName.startsWith(generation.instance().getPoolName() + ":");
		}

		@Override
		public List<String> leftovers(HikariDataSource pool) {
			HikariPoolMXBean mx = pool.getHikariPoolMXBean();
			return (mx != null && mx.getTotalConnections() > 0)
					? List.of(mx.getTotalConnections() + " connection(s) of " + pool.getPoolName()) : List.of();
		}

	}

}

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
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariConfigMXBean;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import com.zaxxer.hikari.util.Credentials;
import com.zaxxer.hikari.util.DriverDataSource;
import dev.hotreload.resource.Candidates;
import dev.hotreload.resource.EffectiveSettings;
import dev.hotreload.resource.PreparedChange;
import dev.hotreload.resource.ReloadContext;
import dev.hotreload.resource.ReloadableResource;
import dev.hotreload.resource.ResourceDescriptor;
import dev.hotreload.resource.RetireReport;
import dev.hotreload.resource.SettingsTracker;
import dev.hotreload.support.SecretSanitizer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * A {@link DataSource} that serves the current HikariCP pool and is rebuilt, the graceful
 * way, when its keys change. {@code getConnection()} costs one volatile read more than
 * HikariCP; {@code unwrap(HikariDataSource.class)} gives the current pool.
 * <p>
 * A change is applied with the smallest step: pool sizing and timeouts in place through
 * {@link HikariConfigMXBean}; a new user name or password in place, once a connection
 * with them opens, through the pool's {@link LiveCredentials} (HikariCP's credentials
 * provider, read for every new physical connection; a pool started before hotreload saw
 * it gets {@link HikariConfig#setCredentials(Credentials)} instead); anything else with a
 * new pool built beside the live one and validated before the swap. The old pool then
 * retires in the background: it is closed when its last connection in use is returned, or
 * at the drain timeout.
 * <p>
 * The wrapper has no close method of its own, so that Spring Cloud's rebinding or refresh
 * scope never closes a pool under work; the pools are closed by {@link #shutdown()} when
 * the application context closes.
 *
 * @author hotreload authors
 */
public final class ReloadableDataSource implements DataSource, ReloadableResource {

	private static final Log logger = LogFactory.getLog(ReloadableDataSource.class);

	private static final Duration RETIRE_GRACE = Duration.ofMillis(100);

	private static final Duration POLL = Duration.ofMillis(20);

	private final String name;

	private final String basePoolName;

	private final @Nullable HikariRecipe recipe;

	private final @Nullable SettingsTracker settings;

	private final Duration validationTimeout;

	private final Duration drainTimeout;

	private final AtomicReference<Generation> current;

	/**
	 * The last generation number handed out, to a pool that serves or to a candidate that
	 * was rejected: never used twice.
	 */
	private final AtomicLong generations = new AtomicLong(1);

	private final Set<HikariDataSource> retiring = ConcurrentHashMap.newKeySet();

	ReloadableDataSource(String name, HikariDataSource pool, @Nullable HikariRecipe recipe,
			@Nullable EffectiveSettings settings, Duration validationTimeout, Duration drainTimeout) {
		this.name = name;
		if (pool.getPoolName() == null) {
			pool.setPoolName(name);
		}
		this.basePoolName = pool.getPoolName();
		this.recipe = recipe;
		this.settings = (recipe != null && settings != null) ? new SettingsTracker(settings) : null;
		this.validationTimeout = validationTimeout;
		this.drainTimeout = drainTimeout;
		LiveCredentials.install(pool);
		this.current = new AtomicReference<>(new Generation(pool, 1, settingsOf(pool)));
	}

	/**
	 * Return the pool that serves new connections.
	 * @return the current pool
	 */
	public HikariDataSource getPool() {
		return this.current.get().pool();
	}

	@Override
	public Connection getConnection() throws SQLException {
		HikariDataSource pool = this.current.get().pool();
		try {
			return pool.getConnection();
		}
		catch (SQLException ex) {
			HikariDataSource now = this.current.get().pool();
			if (now != pool && pool.isClosed()) {
				// swapped and retired between the read and the borrow
				return now.getConnection();
			}
			throw ex;
		}
	}

	@Override
	public Connection getConnection(String username, String password) throws SQLException {
		return getPool().getConnection(username, password);
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
		EffectiveSettings next;
		try {
			next = recipe.settings(context.binder());
		}
		catch (RuntimeException ex) {
			throw new IllegalArgumentException("invalid DataSource settings: " + rootMessage(ex), ex);
		}
		return settings.prepare(context, next, () -> prepareCandidate(context, recipe));
	}

	private @Nullable PreparedChange prepareCandidate(ReloadContext context, HikariRecipe recipe) throws Exception {
		Generation live = this.current.get();
		HikariDataSource candidate;
		try {
			candidate = recipe.build(context.binder());
		}
		catch (RuntimeException ex) {
			throw new IllegalArgumentException("invalid DataSource settings: " + rootMessage(ex), ex);
		}
		HikariSettings settings;
		try {
			settings = settingsOf(candidate);
		}
		catch (RuntimeException ex) {
			candidate.close();
			throw new IllegalArgumentException("invalid DataSource settings: " + rootMessage(ex), ex);
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
			checkCredentials(settings);
		}
		return new InPlaceChange(live, settings, runtime, credentials);
	}

	private PreparedChange rebuild(Generation live, HikariDataSource candidate, HikariSettings settings, boolean dryRun)
			throws Exception {
		long number = this.generations.incrementAndGet();
		candidate.setPoolName(this.basePoolName + "-g" + number);
		copyMetrics(live.pool(), candidate);
		LiveCredentials.install(candidate);
		HikariDataSource pool = start(candidate, demand(live.pool()));
		if (dryRun) {
			pool.close();
		}
		return new NewPoolChange(live, new Generation(pool, number, settings));
	}

	private void copyMetrics(HikariDataSource from, HikariDataSource to) {
		if (from.getMetricsTrackerFactory() != null && to.getMetricsTrackerFactory() == null) {
			to.setMetricsTrackerFactory(from.getMetricsTrackerFactory());
		}
		else if (from.getMetricRegistry() != null && to.getMetricRegistry() == null) {
			to.setMetricRegistry(from.getMetricRegistry());
		}
	}

	/**
	 * Start a pool from the candidate's settings, check a connection from it and fill it
	 * to what is in demand, within the validation timeout, on a thread that owns the
	 * pool: a pool whose start ends after the timeout is closed by that thread, so it
	 * never lives on beside the live one.
	 */
	private HikariDataSource start(HikariDataSource candidate, int demand) throws Exception {
		try {
			return Candidates.startWithin("hotreload-validate-" + candidate.getPoolName(), this.validationTimeout,
					() -> startAndFill(candidate, demand), HikariDataSource::close, null);
		}
		catch (TimeoutException ex) {
			throw new IllegalStateException("no connection within " + this.validationTimeout.toMillis()
					+ " ms (hotreload.datasource.validation-timeout) to " + maskUrl(candidate.getJdbcUrl()));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw ex;
		}
		catch (Exception ex) {
			throw new IllegalStateException(
					"cannot connect to " + maskUrl(candidate.getJdbcUrl()) + ": " + rootMessage(ex), ex);
		}
	}

	/**
	 * Open the connections in demand in parallel (see {@link ParallelConnections}), start
	 * the pool on them, check one and hand them all to the pool before it serves.
	 */
	private HikariDataSource startAndFill(HikariDataSource candidate, int demand) throws SQLException {
		int target = Math.min(Math.max(1, demand), candidate.getMaximumPoolSize());
		try (ParallelConnections connections = ParallelConnections.install(candidate, target, this.validationTimeout)) {
			long start = System.nanoTime();
			// starts the pool now, on this thread, failing fast when no connection opens
			HikariDataSource pool = new HikariDataSource(candidate);
			try {
				long started = System.nanoTime();
				fill(pool, target);
				if (logger.isDebugEnabled()) {
					HikariPoolMXBean mx = pool.getHikariPoolMXBean();
					logger.debug("Started pool " + pool.getPoolName() + " in "
							+ TimeUnit.NANOSECONDS.toMillis(started - start) + " ms, filled to "
							+ ((mx != null) ? mx.getTotalConnections() : 0) + " of " + target
							+ " connection(s) in demand in "
							+ TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) + " ms"
							+ ((connections != null) ? ", opened in parallel" : ""));
				}
				return pool;
			}
			catch (SQLException | RuntimeException ex) {
				pool.close();
				throw ex;
			}
		}
	}

	/**
	 * Check a connection of the new pool and make the pool hold {@code target}
	 * connections: they are borrowed together (each borrow beyond the idle ones makes
	 * HikariCP add one, from the connections opened in parallel) and given back. No new
	 * borrow starts once half the validation timeout is spent (HikariCP opens the rest in
	 * the background), and a borrow that fails ends the fill; the whole start, fill
	 * included, stays within the validation timeout.
	 */
	private void fill(HikariDataSource pool, int target) throws SQLException {
		List<Connection> borrowed = new ArrayList<>(target);
		try {
			Connection first = pool.getConnection();
			borrowed.add(first);
			if (!first.isValid((int) Math.max(1, this.validationTimeout.toSeconds()))) {
				throw new SQLException("a new connection did not pass isValid()");
			}
			long fillDeadline = System.nanoTime() + this.validationTimeout.toNanos() / 2;
			while (borrowed.size() < target && System.nanoTime() < fillDeadline) {
				try {
					borrowed.add(pool.getConnection());
				}
				catch (SQLException ex) {
					logger.debug("Filling pool " + pool.getPoolName() + " stopped at " + borrowed.size() + " of "
							+ target + " connection(s): " + rootMessage(ex));
					break;
				}
			}
		}
		finally {
			for (Connection connection : borrowed) {
				connection.close();
			}
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

	private void checkCredentials(HikariSettings settings) throws Exception {
		HikariDataSource pool = this.current.get().pool();
		if (pool.getJdbcUrl() == null) {
			return;
		}
		DriverDataSource check = new DriverDataSource(pool.getJdbcUrl(), pool.getDriverClassName(),
				pool.getDataSourceProperties(), settings.username(), settings.password());
		check.setLoginTimeout((int) Math.max(1, this.validationTimeout.toSeconds()));
		try (Connection connection = check.getConnection()) {
			if (!connection.isValid((int) Math.max(1, this.validationTimeout.toSeconds()))) {
				throw new IllegalStateException("a connection with the new credentials did not pass isValid()");
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException("cannot connect with the new credentials: " + rootMessage(ex), ex);
		}
	}

	@Override
	public ResourceDescriptor describe() {
		Generation live = this.current.get();
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("reloadable", this.recipe != null);
		if (this.recipe != null) {
			details.put("settingsFrom", this.recipe.source());
		}
		details.put("pool", poolDetails(live.pool(), live.settings().username()));
		List<Map<String, Object>> retiringPools = new ArrayList<>();
		this.retiring.forEach((pool) -> retiringPools.add(poolDetails(pool, pool.getUsername())));
		details.put("retiring", retiringPools);
		if (this.settings != null) {
			this.settings.describe(details);
		}
		return new ResourceDescriptor(this.name, type(), live.number(),
				this.retiring.isEmpty() ? "SERVING" : "RETIRING", details);
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
	 * Close the live pool and every retiring one. Called when the application context
	 * closes.
	 */
	void shutdown() {
		this.retiring.forEach(HikariDataSource::close);
		HikariDataSource live = this.current.get().pool();
		live.close();
		if (live.getMetricsTrackerFactory() instanceof PoolMeters meters) {
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

	private CompletableFuture<RetireReport> retire(HikariDataSource pool) {
		this.retiring.add(pool);
		CompletableFuture<RetireReport> report = new CompletableFuture<>();
		daemon("hotreload-retire-" + pool.getPoolName()).newThread(() -> {
			try {
				report.complete(drainAndClose(pool));
			}
			catch (Throwable ex) {
				report.complete(new RetireReport(Duration.ZERO, 0, List.of(),
						"closing " + pool.getPoolName() + " failed: " + rootMessage(ex)));
			}
			finally {
				this.retiring.remove(pool);
			}
		}).start();
		return report;
	}

	private RetireReport drainAndClose(HikariDataSource pool) throws InterruptedException {
		long start = System.nanoTime();
		Thread.sleep(RETIRE_GRACE.toMillis());
		HikariPoolMXBean mx = pool.getHikariPoolMXBean();
		long deadline = start + this.drainTimeout.toNanos();
		int active = (mx != null) ? mx.getActiveConnections() : 0;
		while (active > 0 && System.nanoTime() < deadline) {
			Thread.sleep(POLL.toMillis());
			active = mx.getActiveConnections();
		}
		int cut = active;
		pool.close();
		List<String> leaks = leftovers(pool);
		Duration took = Duration.ofNanos(System.nanoTime() - start);
		if (cut > 0) {
			logger.warn("Closed retired pool " + pool.getPoolName() + " of DataSource '" + this.name + "' at the "
					+ this.drainTimeout.toMillis() + " ms drain timeout (hotreload.datasource.drain-timeout) with "
					+ cut + " connection(s) still in use");
		}
		return new RetireReport(took, cut, leaks, null);
	}

	/**
	 * Threads of a closed pool still alive after a short wait, and connections it still
	 * holds.
	 */
	private static List<String> leftovers(HikariDataSource pool) throws InterruptedException {
		String prefix = pool.getPoolName() + ":";
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
		List<String> leaks;
		do {
			leaks = new ArrayList<>();
			for (Thread thread : Thread.getAllStackTraces().keySet()) {
				if (thread.isAlive() && thread.getName().startsWith(prefix)) {
					leaks.add("thread " + thread.getName());
				}
			}
			HikariPoolMXBean mx = pool.getHikariPoolMXBean();
			if (mx != null && mx.getTotalConnections() > 0) {
				leaks.add(mx.getTotalConnections() + " connection(s) of " + pool.getPoolName());
			}
			if (!leaks.isEmpty()) {
				Thread.sleep(POLL.toMillis());
			}
		}
		while (!leaks.isEmpty() && System.nanoTime() < deadline);
		return leaks;
	}

	private static HikariSettings settingsOf(HikariDataSource pool) {
		HikariConfig copy = new HikariConfig();
		pool.copyStateTo(copy);
		copy.setPoolName(pool.getPoolName());
		copy.validate();
		return HikariSettings.of(copy);
	}

	static String rootMessage(@Nullable Throwable ex) {
		if (ex == null) {
			return "unknown error";
		}
		StringBuilder message = new StringBuilder();
		Throwable cause = ex;
		String last = null;
		while (cause != null) {
			String text = cause.getMessage();
			if (text != null && !text.isBlank() && (last == null || !last.contains(text))) {
				if (!message.isEmpty()) {
					message.append(": ");
				}
				message.append(text.replace('\n', ' ').trim());
				last = text;
			}
			cause = (cause.getCause() != cause) ? cause.getCause() : null;
		}
		return message.isEmpty() ? ex.getClass().getSimpleName() : message.toString();
	}

	private static CustomizableThreadFactory daemon(String name) {
		CustomizableThreadFactory factory = new CustomizableThreadFactory(name);
		factory.setDaemon(true);
		return factory;
	}

	/**
	 * One pool and its generation.
	 */
	private record Generation(HikariDataSource pool, long number, HikariSettings settings) {

	}

	/**
	 * A new pool beside the live one.
	 */
	private final class NewPoolChange implements PreparedChange {

		private final Generation previous;

		private final Generation next;

		private volatile boolean committed;

		private volatile boolean rolledBack;

		NewPoolChange(Generation previous, Generation next) {
			this.previous = previous;
			this.next = next;
		}

		@Override
		public String description() {
			return "new pool " + this.next.pool().getPoolName() + " (" + maskUrl(this.next.pool().getJdbcUrl()) + ")";
		}

		@Override
		public long generation() {
			return this.next.number();
		}

		@Override
		public void commit() {
			if (!ReloadableDataSource.this.current.compareAndSet(this.previous, this.next)) {
				throw new IllegalStateException(
						"DataSource '" + ReloadableDataSource.this.name + "' changed while the new pool was prepared");
			}
			this.committed = true;
			serving(this.next.pool());
		}

		@Override
		public void rollback() {
			if (this.rolledBack) {
				return;
			}
			this.rolledBack = true;
			if (this.committed) {
				ReloadableDataSource.this.current.compareAndSet(this.next, this.previous);
				serving(this.previous.pool());
				this.committed = false;
				// connections may have been borrowed from it since the commit: let them
				// finish
				ReloadableDataSource.this.retire(this.next.pool());
			}
			else {
				this.next.pool().close();
			}
		}

		@Override
		public CompletableFuture<RetireReport> retire() {
			return ReloadableDataSource.this.retire(this.previous.pool());
		}

	}

	/**
	 * Pool sizing, timeouts or credentials changed on the live pool.
	 */
	private final class InPlaceChange implements PreparedChange {

		private final Generation previous;

		private final HikariSettings settings;

		private final List<String> runtime;

		private final boolean credentials;

		private volatile boolean committed;

		InPlaceChange(Generation previous, HikariSettings settings, List<String> runtime, boolean credentials) {
			this.previous = previous;
			this.settings = settings;
			this.runtime = runtime;
			this.credentials = credentials;
		}

		@Override
		public String description() {
			List<String> changed = new ArrayList<>(this.runtime);
			if (this.credentials) {
				changed.add("credentials");
			}
			return "in place on " + this.previous.pool().getPoolName() + " (" + String.join(", ", changed) + ")";
		}

		@Override
		public long generation() {
			return this.previous.number();
		}

		@Override
		public void commit() {
			apply(this.settings);
			ReloadableDataSource.this.current
				.set(new Generation(this.previous.pool(), this.previous.number(), this.settings));
			this.committed = true;
		}

		private void apply(HikariSettings target) {
			HikariDataSource pool = this.previous.pool();
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
			if (this.credentials) {
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

		@Override
		public void rollback() {
			if (this.committed) {
				apply(this.previous.settings());
				ReloadableDataSource.this.current.set(this.previous);
				this.committed = false;
			}
		}

	}

}

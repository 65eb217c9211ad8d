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

import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import javax.security.auth.callback.PasswordCallback;

import com.alibaba.druid.pool.DruidDataSource;
import com.alibaba.druid.util.JdbcUtils;
import dev.hotreload.resource.ConnectFailures;
import dev.hotreload.resource.CredentialsRejectedEvent;
import dev.hotreload.resource.EffectiveSettings;
import dev.hotreload.resource.ErrorMessages;
import dev.hotreload.resource.Generation;
import dev.hotreload.resource.Generations;
import dev.hotreload.resource.Generations.Snapshot;
import dev.hotreload.resource.InPlaceChange;
import dev.hotreload.resource.LoginTimeouts;
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
 * The reloadable resource of one {@link ReloadableDruidDataSource}. A change to the keys
 * of {@link DruidSettings} only (pool sizes, {@code maxWait}, timeouts) is applied to the
 * live pool through Druid's setters; any other change builds a new pool beside the live
 * one (see {@link DruidRecipe}), started and validated within the validation timeout (see
 * {@link DruidStarter}), swapped in atomically, and the old one drained and closed by the
 * core ({@link Generations}).
 *
 * @author hotreload authors
 */
final class DruidResource implements ReloadableResource {

	private final String name;

	private final String basePoolName;

	private final @Nullable DruidRecipe recipe;

	private final @Nullable SettingsTracker settings;

	private final Duration validationTimeout;

	private final DruidLifecycle lifecycle;

	private final Generations<DruidDataSource, DruidSettings> generations;

	private final ApplicationEventPublisher events;

	DruidResource(String name, DruidDataSource pool, @Nullable DruidRecipe recipe, @Nullable EffectiveSettings settings,
			Duration validationTimeout, Duration drainTimeout, ApplicationEventPublisher events) {
		this.name = name;
		this.events = events;
		if (pool.getName().equals("DataSource-" + System.identityHashCode(pool))) {
			// Druid's default name: name it after the bean, as its generations are
			pool.setName(name);
		}
		this.basePoolName = pool.getName();
		this.recipe = recipe;
		this.settings = (recipe != null && settings != null) ? new SettingsTracker(settings) : null;
		this.validationTimeout = validationTimeout;
		this.lifecycle = new DruidLifecycle(drainTimeout, validationTimeout);
		this.generations = new Generations<>(name, this.basePoolName, pool, DruidSettings.of(pool), this.lifecycle);
		ConnectFilter filter = ConnectFilter.of(pool);
		// already bound when the post-processor saw the pool before its initialization
		filter.bound(validationTimeout);
		filter.onCredentialsRejected((reason) -> credentialsRejected(pool, reason));
	}

	/**
	 * The server refused the credentials of a new connection: when it was one of the live
	 * pool's (not a candidate's, not a retiring pool's), the password may have changed on
	 * the server before it changed in the config, and the engine's rotation window reads
	 * the sources again.
	 */
	private void credentialsRejected(DruidDataSource pool, String reason) {
		if (this.generations.instance() == pool) {
			this.events.publishEvent(new CredentialsRejectedEvent(this, this.name, reason));
		}
	}

	Generations<DruidDataSource, DruidSettings> generations() {
		return this.generations;
	}

	@Override
	public String name() {
		return this.name;
	}

	@Override
	public String type() {
		return "druid";
	}

	@Override
	public @Nullable PreparedChange prepare(ReloadContext context) throws Exception {
		DruidRecipe recipe = this.recipe;
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
		Set<String> changed = settings.differences(next);
		return settings.prepare(context, next, () -> prepareCandidate(context, recipe, keys, changed));
	}

	private @Nullable PreparedChange prepareCandidate(ReloadContext context, DruidRecipe recipe, Binder keys,
			Set<String> changed) throws Exception {
		Snapshot<DruidDataSource, DruidSettings> live = this.generations.live();
		DruidDataSource candidate;
		DruidSettings target;
		try {
			candidate = recipe.build(keys, live.instance());
			target = DruidSettings.of(candidate);
			target.validate();
		}
		catch (RuntimeException ex) {
			throw invalid(ex);
		}
		if (!recipe.inPlace(changed)) {
			return rebuild(live, candidate, target, context.dryRun());
		}
		List<String> differences = target.differences(live.settings());
		if (differences.isEmpty()) {
			return null;
		}
		return new InPlaceChange<>(this.generations, live, target,
				"in place on " + live.instance().getName() + " (" + String.join(", ", differences) + ")",
				(pool, settings, current) -> settings.applyTo(pool, current));
	}

	private static IllegalArgumentException invalid(RuntimeException ex) {
		return new IllegalArgumentException("invalid Druid settings: " + ErrorMessages.of(ex), ex);
	}

	private PreparedChange rebuild(Snapshot<DruidDataSource, DruidSettings> live, DruidDataSource candidate,
			DruidSettings settings, boolean dryRun) throws Exception {
		long number = this.generations.nextNumber();
		candidate.setName(this.basePoolName + "-g" + number);
		long starting = System.nanoTime();
		DruidDataSource pool = new DruidStarter(this.validationTimeout).start(candidate,
				live.instance().getActiveCount() + live.instance().getWaitThreadCount(),
				ConnectFilter.candidate(this.validationTimeout, (reason) -> credentialsRejected(candidate, reason)));
		String description = NewGenerationChange.newPool(pool.getName(), SecretSanitizer.maskUrl(pool.getUrl()),
				pool.getPoolingCount() + pool.getActiveCount(), starting);
		if (dryRun) {
			pool.close();
		}
		Snapshot<DruidDataSource, DruidSettings> next = new Snapshot<>(new Generation<>(number, pool.getName(), pool),
				settings);
		return new NewGenerationChange<>(this.generations, live, next, description, this.lifecycle, (serving) -> {
		});
	}

	@Override
	public ResourceDescriptor describe() {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("reloadable", this.recipe != null);
		if (this.recipe != null) {
			details.put("settingsFrom", this.recipe.source());
		}
		ResourceDescriptor descriptor = this.generations.describe(type(), details,
				(live) -> poolDetails(live.instance()), DruidResource::poolDetails);
		if (this.settings != null) {
			this.settings.describe(descriptor.details());
		}
		return descriptor;
	}

	private static Map<String, Object> poolDetails(DruidDataSource pool) {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("name", pool.getName());
		details.put("url", SecretSanitizer.maskUrl(pool.getUrl()));
		details.put("username", pool.getUsername());
		if (!pool.isClosed()) {
			details.put("active", pool.getActiveCount());
			details.put("idle", pool.getPoolingCount());
			details.put("pending", pool.getWaitThreadCount());
			details.put("maxActive", pool.getMaxActive());
		}
		return details;
	}

	/**
	 * Close the live pool and every retiring one. Called when the application context
	 * closes. Idempotent.
	 */
	void close() {
		this.generations.shutdown();
	}

	/**
	 * How Druid pools retire: what they have borrowed, whether their server is gone or
	 * answers, how what is borrowed from a pool whose server is gone or silent is ended
	 * (its physical connections aborted: Druid's close leaves them to their borrowers),
	 * their threads (named after the pool's identity, such as
	 * {@code Druid-ConnectionPool-Create-1234}), and the connections still borrowed after
	 * the close, which Druid closes when they are given back.
	 */
	private record DruidLifecycle(Duration drainTimeout,
			Duration validationTimeout) implements PoolLifecycle<DruidDataSource> {

		/**
		 * Least time between two connections opened only to learn whether the server is
		 * reachable.
		 */
		private static final long PROBE_INTERVAL_MILLIS = 1000;

		@Override
		public String drainTimeoutProperty() {
			return "hotreload.datasource.drain-timeout";
		}

		@Override
		public int inUse(DruidDataSource pool) {
			return pool.getActiveCount();
		}

		/**
		 * Dead when Druid's own attempts to open a connection fail one after another
		 * ({@code failContinuous}) because the server cannot be reached, the last of them
		 * less than a second ago; when the last is older, a connection opened now makes
		 * sure (Druid records how it ends: a failure refreshes the last error, a success
		 * ends {@code failContinuous}).
		 */
		@Override
		public boolean isDead(DruidDataSource pool) {
			if (!unreachable(pool)) {
				return false;
			}
			if (System.currentTimeMillis() - pool.getLastCreateErrorTimeMillis() >= PROBE_INTERVAL_MILLIS) {
				try {
					JdbcUtils.close(pool.createPhysicalConnection().getPhysicalConnection());
				}
				catch (SQLException | RuntimeException ex) {
					// recorded by Druid as its last create error
				}
			}
			return unreachable(pool);
		}

		/**
		 * Whether a login with the pool's driver, URL, connection properties and
		 * credentials is answered within the validation timeout (bounded through the
		 * driver's own properties, see {@link LoginTimeouts}): the login is the answer,
		 * no query follows it, and a refused login answers too. {@code true} for a driver
		 * whose login timeouts are not known, so that the check is bounded. Opened on the
		 * driver, past the pool's filters and statistics.
		 */
		@Override
		public boolean answers(DruidDataSource pool) {
			String url = pool.getUrl();
			Driver driver = pool.getDriver();
			if (url == null || driver == null || !LoginTimeouts.known(url)) {
				return true;
			}
			Properties properties = loginProperties(pool);
			LoginTimeouts.add(properties, url, this.validationTimeout);
			try {
				Connection connection = driver.connect(url, properties);
				if (connection != null) {
					connection.close();
				}
				return true;
			}
			catch (SQLException | RuntimeException ex) {
				return !ConnectFailures.isUnreachable(ex);
			}
		}

		/**
		 * The properties of a physical connect of the pool, as Druid builds them: its
		 * connection properties, and its user name and password (or those of its
		 * callbacks).
		 */
		private static Properties loginProperties(DruidDataSource pool) {
			Properties properties = new Properties();
			if (pool.getConnectProperties() != null) {
				properties.putAll(pool.getConnectProperties());
			}
			String user = (pool.getUserCallback() != null) ? pool.getUserCallback().getName() : pool.getUsername();
			String password = pool.getPassword();
			PasswordCallback callback = pool.getPasswordCallback();
			if (callback != null && callback.getPassword() != null) {
				password = new String(callback.getPassword());
			}
			if (user != null && !user.isEmpty()) {
				properties.put("user", user);
			}
			if (password != null && !password.isEmpty()) {
				properties.put("password", password);
			}
			return properties;
		}

		@Override
		public void abandon(DruidDataSource pool) throws SQLException {
			ConnectFilter.of(pool).abortBorrowed();
		}

		private static boolean unreachable(DruidDataSource pool) {
			return pool.isFailContinuous() && ConnectFailures.isUnreachable(pool.getLastCreateError());
		}

		@Override
		public void close(DruidDataSource pool) {
			pool.close();
		}

		@Override
		public boolean ownsThread(Generation<DruidDataSource> generation, String threadName) {
			String identity = "-" + System.identityHashCode(generation.instance());
			return threadName.startsWith("Druid-ConnectionPool-") && threadName.endsWith(identity);
		}

		/**
		 * The connections still borrowed, unless the server is gone: Druid's close leaves
		 * them to their borrowers (and closes each when it is given back), and one to a
		 * server that is gone holds nothing there.
		 */
		@Override
		public List<String> leftovers(DruidDataSource pool) {
			int borrowed = pool.getActiveCount();
			return (borrowed > 0 && !unreachable(pool))
					? List.of(borrowed + " borrowed connection(s) of " + pool.getName()) : List.of();
		}

	}

}

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

package dev.hotreload.resource.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import dev.hotreload.resource.EffectiveSettings;
import dev.hotreload.resource.PreparedChange;
import dev.hotreload.resource.ReloadContext;
import dev.hotreload.resource.ReloadableResource;
import dev.hotreload.resource.ResourceDescriptor;
import dev.hotreload.resource.RetireReport;
import dev.hotreload.resource.SettingsTracker;
import dev.hotreload.support.SecretSanitizer;
import io.lettuce.core.resource.ClientResources;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.Binder;

/**
 * The reloadable resource of one {@link ReloadableRedisConnection}: when the settings it
 * was built from change, it connects the next generation beside the live one (a client
 * and connection of its own on the shared client resources), validates it, swaps it into
 * the connection's {@link ConnectionRouter}, and retires the previous one on a thread
 * named {@code hotreload-retire-<name>}: its commands are waited for up to the drain
 * timeout (not at all once it is disconnected from a dead server), then its client is
 * shut down and checked. A change of only the credentials is applied in place.
 *
 * @author hotreload authors
 */
final class RedisConnectionResource implements ReloadableResource {

	private static final Log logger = LogFactory.getLog(RedisConnectionResource.class);

	private static final String PREFIX = RedisConnectionSettings.PREFIX;

	private final String name;

	private final ClientResources resources;

	private final RedisConnectionSettings settings;

	private final Supplier<RedisTimeouts> timeouts;

	private final ConnectionRouter router;

	private final ConnectionListeners listeners;

	private final SettingsTracker effectiveSettings;

	private final List<ConnectionGeneration> retiring = new CopyOnWriteArrayList<>();

	/**
	 * The last generation number handed out, to a connection that serves or to a
	 * candidate that was rejected: never used twice.
	 */
	private final AtomicLong generations = new AtomicLong(1);

	RedisConnectionResource(String name, ClientResources resources, RedisConnectionSettings settings,
			Supplier<RedisTimeouts> timeouts, ConnectionRouter router, ConnectionListeners listeners,
			EffectiveSettings initial) {
		this.name = name;
		this.resources = resources;
		this.settings = settings;
		this.timeouts = timeouts;
		this.router = router;
		this.listeners = listeners;
		this.effectiveSettings = new SettingsTracker(initial);
	}

	/**
	 * Connect a generation to what {@code spring.data.redis.*} describe, validated.
	 * @param name the resource name
	 * @param settings reads the keys
	 * @param binder the binder over the (candidate) environment
	 * @param secrets masks the secrets of the environment in a failure's message
	 * @param resources the shared client resources
	 * @param number the generation number
	 * @param validationTimeout the time connecting and PING may take
	 * @param what what is connected, for the message, such as {@code new connection for}
	 * @return the connected generation
	 * @throws IllegalStateException if the keys are invalid or the connection fails
	 * validation
	 */
	static ConnectionGeneration connect(String name, RedisConnectionSettings settings, Binder binder,
			SecretSanitizer secrets, ClientResources resources, long number, Duration validationTimeout, String what) {
		RedisConnectionSettings.Target target;
		try {
			target = settings.read(binder);
		}
		catch (RuntimeException ex) {
			throw new IllegalStateException(
					"could not read " + PREFIX + ".*: " + RedisErrors.reason(ex, secrets) + "; fix the keys", ex);
		}
		try {
			return ConnectionGeneration.connect(name, number, target, resources, validationTimeout);
		}
		catch (Exception ex) {
			if (ex instanceof InterruptedException) {
				Thread.currentThread().interrupt();
			}
			throw new IllegalStateException(
					what + " " + target.description() + " failed validation: " + RedisErrors.reason(ex, secrets), ex);
		}
	}

	/**
	 * The inputs a connection built from the given environment is built from.
	 * @param binder the binder over the environment
	 * @return the settings
	 */
	static EffectiveSettings effectiveSettings(Binder binder) {
		return CredentialsChange.splitUrl(EffectiveSettings.of(binder, PREFIX), binder);
	}

	@Override
	public String name() {
		return this.name;
	}

	@Override
	public String type() {
		return "redis";
	}

	@Override
	public @Nullable PreparedChange prepare(ReloadContext context) throws Exception {
		EffectiveSettings next = effectiveSettings(context.binder());
		Set<String> changed = this.effectiveSettings.differences(next);
		return this.effectiveSettings.prepare(context, next, () -> prepareCandidate(context, changed));
	}

	private PreparedChange prepareCandidate(ReloadContext context, Set<String> changed) {
		if (this.router.isClosed()) {
			throw new IllegalStateException("Redis connection '" + this.name + "' is closed");
		}
		ConnectionGeneration current = this.router.live();
		Duration validation = this.timeouts.get().validation();
		if (CredentialsChange.onlyCredentials(changed)) {
			// checked on a connection of their own, closed once checked
			ConnectionGeneration check = connect(this.name, this.settings, context.binder(), context.secrets(),
					this.resources, current.number(), validation, "new credentials for");
			check.destroy(this.timeouts.get().drain());
			return new CredentialsChange(this.name + "-g" + current.number(), current.number(), changed,
					current.credentials(), check.credentials().resolveCredentialsNow(),
					() -> this.router.live() == current);
		}
		ConnectionGeneration candidate = connect(this.name, this.settings, context.binder(), context.secrets(),
				this.resources, this.generations.incrementAndGet(), validation, "new connection for");
		return new Change(current, candidate, changed);
	}

	@Override
	public ResourceDescriptor describe() {
		ResourceDescriptor descriptor = ClientGeneration.describe(this.name, this.router.live(),
				List.copyOf(this.retiring));
		this.effectiveSettings.describe(descriptor.details());
		return descriptor;
	}

	/**
	 * The live generation and those still retiring.
	 * @return the generations
	 */
	List<ConnectionGeneration> generations() {
		List<ConnectionGeneration> all = new ArrayList<>();
		all.add(this.router.live());
		all.addAll(this.retiring);
		return all;
	}

	/**
	 * Close every generation, once the router refuses commands.
	 */
	void closeAll() {
		Duration timeout = this.timeouts.get().drain();
		for (ConnectionGeneration generation : generations()) {
			try {
				generation.destroy(timeout);
			}
			catch (RuntimeException ex) {
				logger
					.warn("Closing Redis connection '" + this.name + "' " + generation + " failed: " + ex.getMessage());
			}
		}
	}

	private RetireReport retireGeneration(ConnectionGeneration old) {
		long start = System.nanoTime();
		Duration drainTimeout = this.timeouts.get().drain();
		// a disconnected connection has nothing in flight that could complete: closed at
		// once, its unwritten commands go to the live connection
		int cut = old.inFlight().drain(drainTimeout, old::isDead);
		this.listeners.leave(old.connection());
		String error = null;
		try {
			old.destroy(drainTimeout);
		}
		catch (RuntimeException ex) {
			error = "closing " + old + " failed: " + ex.getMessage();
		}
		List<String> leaks = new ArrayList<>();
		if (old.connection().isOpen()) {
			leaks.add("connection of " + this.name + " " + old + " still open");
		}
		this.retiring.remove(old);
		return new RetireReport(Duration.ofNanos(System.nanoTime() - start), cut, leaks, error);
	}

	private CompletableFuture<RetireReport> startRetiring(ConnectionGeneration old) {
		this.retiring.add(old);
		return ClientGeneration.retireInBackground(this.name, () -> retireGeneration(old));
	}

	/**
	 * A validated candidate generation.
	 */
	private final class Change implements PreparedChange {

		private final ConnectionGeneration previous;

		private final ConnectionGeneration candidate;

		private final Set<String> keys;

		private final AtomicBoolean committed = new AtomicBoolean();

		private final AtomicBoolean rolledBack = new AtomicBoolean();

		private final AtomicBoolean retired = new AtomicBoolean();

		Change(ConnectionGeneration previous, ConnectionGeneration candidate, Set<String> keys) {
			this.previous = previous;
			this.candidate = candidate;
			this.keys = keys;
		}

		@Override
		public String description() {
			List<String> names = this.keys.stream()
				.filter((key) -> key.startsWith(PREFIX + "."))
				.map((key) -> key.substring(PREFIX.length() + 1))
				.sorted()
				.toList();
			return "new connection " + name() + "-g" + this.candidate.number() + " for " + this.candidate.target()
					+ " (" + String.join(", ", names) + " changed)";
		}

		@Override
		public long generation() {
			return this.candidate.number();
		}

		@Override
		public void commit() {
			RedisConnectionResource.this.listeners.carryOver(this.candidate.connection());
			if (!RedisConnectionResource.this.router.swap(this.previous, this.candidate)) {
				throw new IllegalStateException("the live Redis connection of '" + name()
						+ "' changed while this reload was prepared; reload again");
			}
			this.committed.set(true);
		}

		@Override
		public void rollback() {
			if (!this.rolledBack.compareAndSet(false, true)) {
				return;
			}
			if (this.committed.get() && RedisConnectionResource.this.router.swap(this.candidate, this.previous)) {
				// commands may have been sent to the candidate since the commit
				startRetiring(this.candidate);
			}
			else {
				this.candidate.destroy(RedisConnectionResource.this.timeouts.get().drain());
			}
		}

		@Override
		public CompletableFuture<RetireReport> retire() {
			if (!this.committed.get() || this.rolledBack.get() || !this.retired.compareAndSet(false, true)) {
				return CompletableFuture.completedFuture(RetireReport.NOTHING);
			}
			return startRetiring(this.previous);
		}

	}

	@Override
	public String toString() {
		return "RedisConnectionResource '" + this.name + "' on " + this.router.live();
	}

}

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
import java.util.function.Supplier;

import dev.hotreload.resource.EffectiveSettings;
import dev.hotreload.resource.Generation;
import dev.hotreload.resource.Generations;
import dev.hotreload.resource.Generations.Snapshot;
import dev.hotreload.resource.NewGenerationChange;
import dev.hotreload.resource.PreparedChange;
import dev.hotreload.resource.ReloadContext;
import dev.hotreload.resource.ReloadableResource;
import dev.hotreload.resource.ResourceDescriptor;
import dev.hotreload.resource.RetireReport;
import dev.hotreload.resource.SettingsTracker;
import dev.hotreload.support.SecretSanitizer;
import io.lettuce.core.resource.ClientResources;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.Binder;

/**
 * The reloadable resource of one {@link ReloadableRedisConnection}: when the settings it
 * was built from change, it connects the next generation beside the live one (a client
 * and connection of its own on the shared client resources), validates it, swaps it in
 * for the connection's {@link ConnectionRouter}, and retires the previous one through the
 * resource core: its commands are waited for up to the drain timeout (not at all once it
 * is disconnected from a dead server), then its client is shut down and checked. A change
 * of only the credentials is applied in place.
 *
 * @author hotreload authors
 */
final class RedisConnectionResource implements ReloadableResource {

	private static final String PREFIX = RedisConnectionSettings.PREFIX;

	private final String name;

	private final ClientResources resources;

	private final RedisConnectionSettings settings;

	private final Supplier<RedisTimeouts> timeouts;

	private final ConnectionListeners listeners;

	private final SettingsTracker effectiveSettings;

	private final ConnectionLifecycle lifecycle;

	private final Generations<ConnectionGeneration, String> generations;

	/**
	 * Masks the secrets of the environment last reloaded from.
	 */
	private volatile SecretSanitizer secrets;

	RedisConnectionResource(String name, ClientResources resources, RedisConnectionSettings settings,
			Supplier<RedisTimeouts> timeouts, ConnectionGeneration first, ConnectionListeners listeners,
			EffectiveSettings initial, SecretSanitizer secrets) {
		this.name = name;
		this.resources = resources;
		this.settings = settings;
		this.timeouts = timeouts;
		this.listeners = listeners;
		this.effectiveSettings = new SettingsTracker(initial);
		this.secrets = secrets;
		this.lifecycle = new ConnectionLifecycle(name, timeouts, listeners);
		this.generations = new Generations<>(name, ClientGeneration.of(name, first), first.target(), this.lifecycle);
	}

	/**
	 * The generations, for the connection's router.
	 * @return the generations
	 */
	Generations<ConnectionGeneration, String> generations() {
		return this.generations;
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
		this.secrets = context.secrets();
		EffectiveSettings next = effectiveSettings(context.binder());
		Set<String> changed = this.effectiveSettings.differences(next);
		return this.effectiveSettings.prepare(context, next, () -> prepareCandidate(context, changed));
	}

	/**
	 * Masks the secrets of the environment the connection was built or last reloaded
	 * from.
	 * @return the sanitizer
	 */
	SecretSanitizer secrets() {
		return this.secrets;
	}

	private PreparedChange prepareCandidate(ReloadContext context, Set<String> changed) {
		Snapshot<ConnectionGeneration, String> live = this.generations.live();
		if (live.generation().inFlight().isClosed()) {
			throw new IllegalStateException("Redis connection '" + this.name + "' is closed");
		}
		ConnectionGeneration current = live.instance();
		Duration validation = this.timeouts.get().validation();
		if (CredentialsChange.onlyCredentials(changed)) {
			// checked on a connection of their own, closed once checked
			ConnectionGeneration check = connect(this.name, this.settings, context.binder(), context.secrets(),
					this.resources, current.number(), validation, "new credentials for");
			check.destroy(this.timeouts.get().drain());
			return new CredentialsChange(this.name + "-g" + current.number(), current.number(), changed,
					current.credentials(), check.credentials().resolveCredentialsNow(),
					() -> this.generations.instance() == current);
		}
		ConnectionGeneration candidate = connect(this.name, this.settings, context.binder(), context.secrets(),
				this.resources, this.generations.nextNumber(), validation, "new connection for");
		return new ListenersFirst(candidate,
				new NewGenerationChange<>(this.generations, live,
						new Snapshot<>(ClientGeneration.of(this.name, candidate), candidate.target()),
						description(candidate, changed), this.lifecycle, (serving) -> {
						}));
	}

	private String description(ConnectionGeneration candidate, Set<String> keys) {
		List<String> names = keys.stream()
			.filter((key) -> key.startsWith(PREFIX + "."))
			.map((key) -> key.substring(PREFIX.length() + 1))
			.sorted()
			.toList();
		return "new connection " + this.name + "-g" + candidate.number() + " for " + candidate.target() + " ("
				+ String.join(", ", names) + " changed)";
	}

	@Override
	public ResourceDescriptor describe() {
		ResourceDescriptor descriptor = ClientGeneration.describe(this.name, this.generations.instance(), retiring());
		this.effectiveSettings.describe(descriptor.details());
		return descriptor;
	}

	private List<ConnectionGeneration> retiring() {
		return this.generations.retiring().stream().map(Generation::instance).toList();
	}

	/**
	 * The live generation and those still retiring.
	 * @return the generations
	 */
	List<ConnectionGeneration> allGenerations() {
		List<ConnectionGeneration> all = new ArrayList<>();
		all.add(this.generations.instance());
		all.addAll(retiring());
		return all;
	}

	/**
	 * Close every generation, once the router refuses commands.
	 */
	void closeAll() {
		this.generations.shutdown();
	}

	@Override
	public String toString() {
		return "RedisConnectionResource '" + this.name + "' on " + this.generations.instance();
	}

	/**
	 * A new connection that is given the listeners and the timeout of the live one before
	 * it is swapped in, so that no push message or state change of it is missed.
	 */
	private final class ListenersFirst implements PreparedChange {

		private final ConnectionGeneration candidate;

		private final PreparedChange change;

		ListenersFirst(ConnectionGeneration candidate, PreparedChange change) {
			this.candidate = candidate;
			this.change = change;
		}

		@Override
		public String description() {
			return this.change.description();
		}

		@Override
		public long generation() {
			return this.change.generation();
		}

		@Override
		public void commit() throws Exception {
			RedisConnectionResource.this.listeners.carryOver(this.candidate.connection());
			this.change.commit();
		}

		@Override
		public void rollback() {
			this.change.rollback();
		}

		@Override
		public CompletableFuture<RetireReport> retire() {
			return this.change.retire();
		}

	}

	/**
	 * How a connection's generations retire: its commands are waited for up to the drain
	 * timeout (not at all once it is disconnected: its unwritten commands go to the live
	 * connection), then the listeners are taken off it, its client is shut down (not the
	 * shared client resources), and its connection checked to be closed.
	 */
	private static final class ConnectionLifecycle extends ClientLifecycle<ConnectionGeneration> {

		private final String name;

		private final ConnectionListeners listeners;

		ConnectionLifecycle(String name, Supplier<RedisTimeouts> timeouts, ConnectionListeners listeners) {
			super(name, timeouts);
			this.name = name;
			this.listeners = listeners;
		}

		@Override
		public void close(ConnectionGeneration generation) {
			this.listeners.leave(generation.connection());
			generation.destroy(drainTimeout());
		}

		@Override
		public List<String> leftovers(ConnectionGeneration generation) {
			return generation.connection().isOpen()
					? List.of("connection of " + this.name + " " + generation + " still open") : List.of();
		}

	}

}

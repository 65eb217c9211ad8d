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
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import dev.hotreload.resource.Candidates;
import dev.hotreload.resource.EffectiveSettings;
import dev.hotreload.resource.PreparedChange;
import dev.hotreload.resource.ReloadContext;
import dev.hotreload.resource.ReloadableResource;
import dev.hotreload.resource.ResourceDescriptor;
import dev.hotreload.resource.RetireReport;
import dev.hotreload.resource.SettingsTracker;
import dev.hotreload.support.SecretSanitizer;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.resource.ClientResources;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

/**
 * The reloadable resource of one {@link ReloadableRedisConnectionFactory}. When a key
 * under {@code spring.data.redis} changes it builds the next Lettuce factory beside the
 * live one, validates it (connect, authenticate, select the database, PING), swaps it in,
 * and retires the previous one on a thread named {@code hotreload-retire-<name>}: message
 * listener containers are restarted on the new factory, connections in use are waited for
 * up to the drain timeout, then the old factory is destroyed and checked for connections
 * and threads left behind.
 *
 * @author hotreload authors
 */
final class RedisReloadableResource implements ReloadableResource {

	private static final Log logger = LogFactory.getLog(RedisReloadableResource.class);

	private static final String PREFIX = "spring.data.redis";

	private final ReloadableRedisConnectionFactory factory;

	private final LettuceCandidateBuilder builder;

	private final Supplier<RedisTimeouts> timeouts;

	/**
	 * The shared native connection of each generation built by hotreload, recorded by its
	 * validation and checked to be closed after retirement.
	 */
	private final Map<RedisGeneration, StatefulConnection<?, ?>> sharedConnections = new ConcurrentHashMap<>();

	private final SettingsTracker settings;

	private final List<String> reactiveContainers;

	/**
	 * The last generation number handed out, to a client that serves or to a candidate
	 * that was rejected: never used twice.
	 */
	private final AtomicLong generations = new AtomicLong(1);

	RedisReloadableResource(ReloadableRedisConnectionFactory factory, ListableBeanFactory application, Binder binder,
			List<String> reactiveContainers, Supplier<RedisTimeouts> timeouts) {
		this.factory = factory;
		this.reactiveContainers = reactiveContainers;
		this.builder = new LettuceCandidateBuilder(application);
		this.timeouts = timeouts;
		this.settings = new SettingsTracker(this.builder.settings(binder));
	}

	@Override
	public String name() {
		return this.factory.getName();
	}

	@Override
	public String type() {
		return "redis";
	}

	@Override
	public @Nullable PreparedChange prepare(ReloadContext context) throws Exception {
		EffectiveSettings next = this.builder.settings(context.binder());
		Set<String> changed = this.settings.differences(next);
		return this.settings.prepare(context, next,
				() -> prepareCandidate(context.binder(), context.secrets(), changed));
	}

	private PreparedChange prepareCandidate(Binder binder, SecretSanitizer secrets, Set<String> changed)
			throws Exception {
		RedisGeneration live = this.factory.current();
		LiveRedisCredentials credentials = live.rotatableCredentials();
		if (credentials != null && CredentialsChange.onlyCredentials(changed)) {
			return prepareCredentials(binder, secrets, live, credentials, changed);
		}
		RedisGeneration candidate;
		try {
			candidate = this.builder.build(binder, name(), this.generations.incrementAndGet(), live.factory());
		}
		catch (RuntimeException ex) {
			throw new IllegalStateException("could not build a Lettuce client from spring.data.redis.*: "
					+ RedisErrors.reason(ex, secrets) + "; fix the keys and reload", ex);
		}
		StatefulConnection<?, ?> shared;
		try {
			shared = validate(candidate, this.timeouts.get().validation());
		}
		catch (Exception ex) {
			// validate destroyed the candidate (or will, once its connect gives up)
			throw new IllegalStateException(
					"new client for " + candidate.target() + " failed validation: " + RedisErrors.reason(ex, secrets),
					ex);
		}
		return new Change(live, candidate, shared, changed);
	}

	/**
	 * Check new credentials on a client of their own (connect, authenticate, PING), then
	 * prepare serving them from the live client.
	 */
	private PreparedChange prepareCredentials(Binder binder, SecretSanitizer secrets, RedisGeneration live,
			LiveRedisCredentials credentials, Set<String> changed) throws Exception {
		RedisGeneration check;
		try {
			// not a generation: it is closed once checked, whatever the outcome
			check = this.builder.build(binder, name() + "-credentials-check", live.number(), live.factory());
		}
		catch (RuntimeException ex) {
			throw new IllegalStateException("could not build a Lettuce client from spring.data.redis.*: "
					+ RedisErrors.reason(ex, secrets) + "; fix the keys and reload", ex);
		}
		try {
			validate(check, this.timeouts.get().validation());
		}
		catch (Exception ex) {
			throw new IllegalStateException("new credentials for " + live.target() + " failed validation: "
					+ RedisErrors.reason(ex, secrets) + "; the client keeps its credentials", ex);
		}
		LiveRedisCredentials checked = check.rotatableCredentials();
		check.destroy();
		if (checked == null) {
			throw new IllegalStateException("the new credentials of " + name() + " could not be read");
		}
		return new CredentialsChange(name() + "-g" + live.number(), live.number(), changed, credentials,
				checked.resolveCredentialsNow(), () -> this.factory.current() == live);
	}

	@Override
	public ResourceDescriptor describe() {
		ResourceDescriptor descriptor = ClientGeneration.describe(name(), this.factory.current(),
				this.factory.retiring());
		this.settings.describe(descriptor.details());
		return descriptor;
	}

	/**
	 * Connect, authenticate, select the database and PING, within the timeout.
	 * @return the candidate's shared native connection, if it shares one
	 */
	private @Nullable StatefulConnection<?, ?> validate(RedisGeneration candidate, Duration timeout) throws Exception {
		LettuceConnectionFactory factory = candidate.factory();
		try {
			return Candidates.startWithin("hotreload-validate-" + name(), timeout, () -> {
				try {
					return new Validated(pingOnce(factory));
				}
				catch (RuntimeException ex) {
					candidate.destroy();
					throw ex;
				}
			}, (validated) -> candidate.destroy(),
					// fail the pending connect now rather than at Lettuce's own timeouts
					() -> factory.getRequiredNativeClient().shutdownAsync(0, timeout.toMillis(), TimeUnit.MILLISECONDS))
				.shared();
		}
		catch (TimeoutException ex) {
			throw new TimeoutException("no answer to PING within hotreload.redis.validation-timeout (" + timeout + ")");
		}
	}

	/**
	 * A validated candidate's shared native connection, if it shares one.
	 */
	private record Validated(@Nullable StatefulConnection<?, ?> shared) {

	}

	private static @Nullable StatefulConnection<?, ?> pingOnce(LettuceConnectionFactory factory) {
		for (int attempt = 1;; attempt++) {
			try {
				return ping(factory);
			}
			catch (RuntimeException ex) {
				// Lettuce lost the reason: ask again, a few times, to report it
				if (!RedisErrors.isHandshakeRace(ex) || attempt == RedisErrors.HANDSHAKE_ATTEMPTS) {
					throw ex;
				}
			}
		}
	}

	private static @Nullable StatefulConnection<?, ?> ping(LettuceConnectionFactory factory) {
		if (factory.isClusterAware()) {
			try (RedisClusterConnection connection = factory.getClusterConnection()) {
				connection.ping();
				return null;
			}
		}
		try (RedisConnection connection = factory.getConnection()) {
			String pong = connection.ping();
			if (!"PONG".equalsIgnoreCase(pong)) {
				throw new IllegalStateException("PING answered " + pong);
			}
			if (factory.getShareNativeConnection()
					&& connection.getNativeConnection() instanceof RedisAsyncCommands<?, ?> commands) {
				return commands.getStatefulConnection();
			}
			return null;
		}
	}

	private RetireReport retireGeneration(RedisGeneration old, @Nullable StatefulConnection<?, ?> oldShared) {
		long start = System.nanoTime();
		List<String> errors = new ArrayList<>();
		moveListenerContainers(old, errors);
		if (!this.reactiveContainers.isEmpty()) {
			logger.warn("ReactiveRedisMessageListenerContainer bean(s) " + this.reactiveContainers
					+ " cannot be moved to the new Redis client of '" + name() + "': a subscription they made through "
					+ old + " ends with an error when that client is closed, at the latest at "
					+ "hotreload.redis.drain-timeout (" + this.timeouts.get().drain() + "); subscribe again on error "
					+ "(retry the receive() Flux) or use a RedisMessageListenerContainer, which is moved");
		}
		Duration drainTimeout = this.timeouts.get().drain();
		// a generation whose connections are all disconnected has nothing in flight that
		// could complete: closed at once, its unwritten commands go to the new client
		int cut = old.inFlight().drain(drainTimeout, old::isDead);
		List<String> leaks = new ArrayList<>();
		try {
			old.destroy();
		}
		catch (RuntimeException ex) {
			errors.add("destroying " + old + " failed: " + ex.getMessage());
		}
		if (oldShared != null && oldShared.isOpen()) {
			leaks.add("shared connection of " + name() + " " + old + " still open");
		}
		ClientResources owned = old.ownedResources();
		if (owned != null) {
			try {
				// bounded by the drain timeout too
				owned.shutdown(0, drainTimeout.toMillis(), TimeUnit.MILLISECONDS)
					.get(drainTimeout.toMillis(), TimeUnit.MILLISECONDS);
			}
			catch (Exception ex) {
				// reported below
			}
			if (!owned.eventExecutorGroup().isTerminated()) {
				leaks.add("Lettuce event loops of " + name() + " " + old);
			}
		}
		this.factory.retired(old);
		Duration duration = Duration.ofNanos(System.nanoTime() - start);
		return new RetireReport(duration, cut, leaks, errors.isEmpty() ? null : String.join("; ", errors));
	}

	/**
	 * Move the listener containers subscribed through the old generation to the current
	 * one: stop (unsubscribe), switch factory, start (subscribe again). Messages
	 * published in between are not received, as with any pub/sub reconnect.
	 */
	private void moveListenerContainers(RedisGeneration old, List<String> errors) {
		for (RedisMessageListenerContainer container : this.factory.listenerContainers()) {
			if (container.getConnectionFactory() != old.factory()) {
				continue;
			}
			try {
				boolean running = container.isRunning();
				// destroy() stops it and lets it be initialized again (its own default
				// executor is not closed by it)
				container.destroy();
				container.setConnectionFactory(this.factory.current().factory());
				container.afterPropertiesSet();
				if (running) {
					container.start();
				}
			}
			catch (Exception ex) {
				errors.add("moving " + container + " to the new client failed: " + ex.getMessage());
			}
		}
	}

	/**
	 * A validated candidate generation.
	 */
	private final class Change implements PreparedChange {

		private final RedisGeneration live;

		private final RedisGeneration candidate;

		private final @Nullable StatefulConnection<?, ?> candidateShared;

		private final Set<String> keys;

		private final AtomicBoolean committed = new AtomicBoolean();

		private final AtomicBoolean rolledBack = new AtomicBoolean();

		private final AtomicBoolean retired = new AtomicBoolean();

		Change(RedisGeneration live, RedisGeneration candidate, @Nullable StatefulConnection<?, ?> candidateShared,
				Set<String> keys) {
			this.live = live;
			this.candidate = candidate;
			this.candidateShared = candidateShared;
			this.keys = keys;
		}

		@Override
		public String description() {
			List<String> names = this.keys.stream()
				.map((key) -> key.startsWith(PREFIX + ".") ? key.substring(PREFIX.length() + 1) : key)
				.sorted()
				.toList();
			return "new client " + name() + "-g" + this.candidate.number() + " for " + this.candidate.target() + " ("
					+ String.join(", ", names) + " changed)";
		}

		@Override
		public long generation() {
			return this.candidate.number();
		}

		@Override
		public void commit() {
			if (!RedisReloadableResource.this.factory.swap(this.live, this.candidate)) {
				throw new IllegalStateException("the live Redis client of '" + name()
						+ "' changed while this reload was prepared; reload again");
			}
			this.committed.set(true);
			if (this.candidateShared != null) {
				RedisReloadableResource.this.sharedConnections.put(this.candidate, this.candidateShared);
			}
		}

		@Override
		public void rollback() {
			if (!this.rolledBack.compareAndSet(false, true)) {
				return;
			}
			if (this.committed.get() && RedisReloadableResource.this.factory.swap(this.candidate, this.live)) {
				// connections may have been taken from the candidate since the commit
				startRetiring(this.candidate, RedisReloadableResource.this.sharedConnections.remove(this.candidate));
			}
			else {
				this.candidate.destroy();
			}
		}

		@Override
		public CompletableFuture<RetireReport> retire() {
			if (!this.committed.get() || this.rolledBack.get() || !this.retired.compareAndSet(false, true)) {
				return CompletableFuture.completedFuture(RetireReport.NOTHING);
			}
			return startRetiring(this.live, RedisReloadableResource.this.sharedConnections.remove(this.live));
		}

	}

	private CompletableFuture<RetireReport> startRetiring(RedisGeneration old,
			@Nullable StatefulConnection<?, ?> oldShared) {
		this.factory.retiring(old);
		return ClientGeneration.retireInBackground(name(), () -> retireGeneration(old, oldShared));
	}

}

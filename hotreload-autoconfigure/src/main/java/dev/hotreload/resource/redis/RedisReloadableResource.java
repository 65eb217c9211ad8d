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
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import dev.hotreload.resource.Candidates;
import dev.hotreload.resource.EffectiveSettings;
import dev.hotreload.resource.Generations;
import dev.hotreload.resource.Generations.Snapshot;
import dev.hotreload.resource.NewGenerationChange;
import dev.hotreload.resource.PreparedChange;
import dev.hotreload.resource.ReloadContext;
import dev.hotreload.resource.ReloadableResource;
import dev.hotreload.resource.ResourceDescriptor;
import dev.hotreload.resource.SettingsTracker;
import dev.hotreload.support.SecretSanitizer;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The reloadable resource of one {@link ReloadableRedisConnectionFactory}. When a key
 * under {@code spring.data.redis} changes it builds the next Lettuce factory beside the
 * live one, validates it (connect, authenticate, select the database, PING), swaps it in,
 * and retires the previous one through the resource core, as {@link RedisClientLifecycle}
 * describes: message listener containers are restarted on the new factory, connections in
 * use are waited for up to the drain timeout, then the old factory is destroyed and
 * checked for connections and threads left behind.
 *
 * @author hotreload authors
 */
final class RedisReloadableResource implements ReloadableResource {

	private static final String PREFIX = "spring.data.redis";

	private final ReloadableRedisConnectionFactory factory;

	private final LettuceCandidateBuilder builder;

	private final Supplier<RedisTimeouts> timeouts;

	private final SettingsTracker settings;

	private final Generations<RedisGeneration, String> generations;

	RedisReloadableResource(ReloadableRedisConnectionFactory factory, ListableBeanFactory application, Binder binder,
			Supplier<RedisTimeouts> timeouts) {
		this.factory = factory;
		this.generations = factory.generations();
		this.builder = new LettuceCandidateBuilder(application);
		this.timeouts = timeouts;
		this.settings = new SettingsTracker(this.builder.settings(this.builder.keys(binder)));
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
		Binder keys = this.builder.keys(context.binder());
		EffectiveSettings next = this.builder.settings(keys);
		Set<String> changed = this.settings.differences(next);
		return this.settings.prepare(context, next, () -> prepareCandidate(keys, context.secrets(), changed));
	}

	private PreparedChange prepareCandidate(Binder binder, SecretSanitizer secrets, Set<String> changed)
			throws Exception {
		Snapshot<RedisGeneration, String> snapshot = this.generations.live();
		RedisGeneration live = snapshot.instance();
		LiveRedisCredentials credentials = live.rotatableCredentials();
		if (credentials != null && CredentialsChange.onlyCredentials(changed)) {
			return prepareCredentials(binder, secrets, live, credentials, changed);
		}
		RedisGeneration candidate;
		try {
			candidate = this.builder.build(binder, name(), this.generations.nextNumber(), live.factory());
		}
		catch (RuntimeException ex) {
			throw new IllegalStateException("could not build a Lettuce client from spring.data.redis.*: "
					+ RedisErrors.reason(ex, secrets) + "; fix the keys and reload", ex);
		}
		try {
			candidate.shared(validate(candidate, this.timeouts.get().validation()));
		}
		catch (Exception ex) {
			// validate destroyed the candidate (or will, once its connect gives up)
			throw new IllegalStateException(
					"new client for " + candidate.target() + " failed validation: " + RedisErrors.reason(ex, secrets),
					ex);
		}
		return new NewGenerationChange<>(this.generations, snapshot,
				new Snapshot<>(ClientGeneration.of(name(), candidate), candidate.target()),
				description(candidate, changed), this.factory.lifecycle(), this.factory::followRejections);
	}

	private String description(RedisGeneration candidate, Set<String> keys) {
		List<String> names = keys.stream()
			.map((key) -> key.startsWith(PREFIX + ".") ? key.substring(PREFIX.length() + 1) : key)
			.sorted()
			.toList();
		return "new client " + name() + "-g" + candidate.number() + " for " + candidate.target() + " ("
				+ String.join(", ", names) + " changed)";
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

}

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
import java.util.concurrent.atomic.AtomicBoolean;

import dev.hotreload.resource.InFlight;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.RedisSentinelConfiguration;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * One generation of a reloadable Redis connection factory: the Lettuce factory, what owns
 * it, and the number of connections it has handed out that are not closed yet.
 *
 * @author hotreload authors
 */
final class RedisGeneration implements ClientGeneration {

	private final long number;

	private final LettuceConnectionFactory factory;

	private final @Nullable ConfigurableApplicationContext owner;

	private final @Nullable ClientResources ownedResources;

	private final String target;

	private final InFlight inFlight = new InFlight();

	private final AtomicBoolean destroyed = new AtomicBoolean();

	private volatile @Nullable ConnectionHealth health;

	/**
	 * The shared native connection its validation opened, checked to be closed after
	 * retirement.
	 */
	private volatile @Nullable StatefulConnection<?, ?> shared;

	/**
	 * Create a generation.
	 * @param number the generation number, starting at 1
	 * @param factory the Lettuce factory
	 * @param owner the context that built the factory, closed to destroy it; {@code null}
	 * when the factory belongs to the application context
	 * @param ownedResources client resources created for this generation only, shut down
	 * with it; {@code null} when they are shared
	 */
	RedisGeneration(long number, LettuceConnectionFactory factory, @Nullable ConfigurableApplicationContext owner,
			@Nullable ClientResources ownedResources) {
		this.number = number;
		this.factory = factory;
		this.owner = owner;
		this.ownedResources = ownedResources;
		this.target = describeTarget(factory);
		followHealth();
	}

	/**
	 * Follow the connections of the factory's client, if it has one (it is started).
	 * Called again when the factory is started again, which builds a new client.
	 */
	void followHealth() {
		AbstractRedisClient client = this.factory.isRunning() ? this.factory.getNativeClient() : null;
		// a factory that initializes its shared connection eagerly has it connected
		int connected = (this.factory.getEagerInitialization() && this.factory.getShareNativeConnection()) ? 1 : 0;
		this.health = (client != null) ? ConnectionHealth.follow(client, connected) : null;
	}

	/**
	 * The state of the client's connections now, for {@link #neverWrittenSince(long)}.
	 * Two volatile reads.
	 * @return the state
	 */
	long healthState() {
		ConnectionHealth health = this.health;
		return (health != null) ? health.state() : ConnectionHealth.UNKNOWN;
	}

	/**
	 * Whether a command issued at the given state cannot have been written to a socket.
	 * @param state the state when it was issued
	 * @return whether it was never written
	 */
	boolean neverWrittenSince(long state) {
		ConnectionHealth health = this.health;
		return health != null && health.neverWrittenSince(state);
	}

	/**
	 * Whether no connection of the client is connected: nothing in flight on it can
	 * complete.
	 * @return whether the client is known dead
	 */
	@Override
	public boolean isDead() {
		ConnectionHealth health = this.health;
		return health != null && health.isDown();
	}

	/**
	 * Asks the server through the factory's client, when it is a standalone (or sentinel)
	 * {@link RedisClient}; a cluster client is not asked.
	 */
	@Override
	public boolean answers(String threadName, Duration timeout) {
		if (!(this.factory.getNativeClient() instanceof RedisClient client)) {
			return true;
		}
		return RedisProbe.answers(threadName, timeout, () -> client.connect(StringCodec.UTF8));
	}

	@Override
	public long number() {
		return this.number;
	}

	/**
	 * Record the shared native connection its validation opened.
	 * @param shared the connection, or {@code null} if it shares none
	 */
	void shared(@Nullable StatefulConnection<?, ?> shared) {
		this.shared = shared;
	}

	/**
	 * Whether the shared native connection its validation opened is still open.
	 * @return whether it is open
	 */
	boolean sharedConnectionOpen() {
		StatefulConnection<?, ?> shared = this.shared;
		return shared != null && shared.isOpen();
	}

	LettuceConnectionFactory factory() {
		return this.factory;
	}

	@Nullable ClientResources ownedResources() {
		return this.ownedResources;
	}

	/**
	 * Where the factory connects, such as {@code 127.0.0.1:6379/0}. Never a secret.
	 * @return the target
	 */
	@Override
	public String target() {
		return this.target;
	}

	/**
	 * Connections handed out and not closed yet.
	 * @return the count
	 */
	@Override
	public InFlight inFlight() {
		return this.inFlight;
	}

	/**
	 * Destroy the factory (and the client resources it owns). Idempotent.
	 */
	void destroy() {
		if (!this.destroyed.compareAndSet(false, true)) {
			return;
		}
		this.inFlight.closeNow();
		if (this.owner != null) {
			this.owner.close();
		}
		else {
			this.factory.destroy();
		}
	}

	/**
	 * The credentials of the factory's client when hotreload can rotate them in place:
	 * they are hotreload's live credentials and the client re-authenticates its open
	 * connections when they change.
	 * @return the credentials, or {@code null} if a credential change needs a new client
	 */
	@Nullable LiveRedisCredentials rotatableCredentials() {
		LettuceClientConfiguration configuration = this.factory.getClientConfiguration();
		boolean reauthenticates = configuration.getClientOptions()
			.map((options) -> options
				.getReauthenticateBehaviour() == ClientOptions.ReauthenticateBehavior.ON_NEW_CREDENTIALS)
			.orElse(false);
		if (!reauthenticates) {
			return null;
		}
		return configuration.getRedisCredentialsProviderFactory()
			.filter(LiveCredentialsProviderFactory.class::isInstance)
			.map((factory) -> ((LiveCredentialsProviderFactory) factory).credentials())
			.orElse(null);
	}

	boolean isDestroyed() {
		return this.destroyed.get();
	}

	private static String describeTarget(LettuceConnectionFactory factory) {
		RedisSentinelConfiguration sentinel = factory.getSentinelConfiguration();
		if (sentinel != null && factory.isRedisSentinelAware()) {
			String master = (sentinel.getMaster() != null) ? sentinel.getMaster().getName() : "?";
			return "sentinel " + master + "@" + sentinel.getSentinels() + "/" + sentinel.getDatabase();
		}
		RedisClusterConfiguration cluster = factory.getClusterConfiguration();
		if (cluster != null && factory.isClusterAware()) {
			return "cluster " + cluster.getClusterNodes();
		}
		RedisStandaloneConfiguration standalone = factory.getStandaloneConfiguration();
		return standalone.getHostName() + ":" + standalone.getPort() + "/" + standalone.getDatabase();
	}

	@Override
	public String toString() {
		return "generation " + this.number + " (" + this.target + ")";
	}

}

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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.hotreload.resource.Candidates;
import dev.hotreload.resource.InFlight;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCredentialsProvider;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;

/**
 * One generation of a {@link ReloadableRedisConnection}: a Lettuce client of its own (on
 * the shared client resources), its one connection, and the commands in flight on it.
 *
 * @author hotreload authors
 */
final class ConnectionGeneration implements ClientGeneration {

	private final long number;

	private final RedisClient client;

	private final StatefulRedisConnection<String, String> connection;

	private final String target;

	private final LiveRedisCredentials credentials;

	private final ConnectionHealth health;

	private final InFlight inFlight = new InFlight();

	private final AtomicBoolean destroyed = new AtomicBoolean();

	private ConnectionGeneration(long number, RedisClient client, StatefulRedisConnection<String, String> connection,
			String target, LiveRedisCredentials credentials, ConnectionHealth health) {
		this.number = number;
		this.client = client;
		this.connection = connection;
		this.target = target;
		this.credentials = credentials;
		this.health = health;
	}

	/**
	 * Connect, authenticate, select the database and PING, all within the timeout, on a
	 * thread of its own named {@code hotreload-validate-<name>}.
	 * @param name the resource name
	 * @param number the generation number
	 * @param target where and how to connect
	 * @param resources the client resources to share
	 * @param timeout the time the whole validation may take
	 * @return the connected generation
	 * @throws Exception Lettuce's reason, or a {@link TimeoutException}; the client is
	 * shut down then (a connect still pending at the timeout is failed at once, and a
	 * generation connected after it is closed)
	 */
	static ConnectionGeneration connect(String name, long number, RedisConnectionSettings.Target target,
			ClientResources resources, Duration timeout) throws Exception {
		// credentials that a rotation changes in place: the connection re-authenticates
		LiveRedisCredentials credentials = new LiveRedisCredentials(
				((RedisCredentialsProvider.ImmediateRedisCredentialsProvider) target.uri().getCredentialsProvider())
					.resolveCredentialsNow());
		target.uri().setCredentialsProvider(credentials);
		RedisClient client = RedisClient.create(resources, target.uri());
		client.setOptions(target.options()
			.mutate()
			.reauthenticateBehavior(ClientOptions.ReauthenticateBehavior.ON_NEW_CREDENTIALS)
			.build());
		// followed before the client connects, so the counts are exact
		ConnectionHealth health = ConnectionHealth.follow(client, 0);
		try {
			return Candidates.startWithin("hotreload-validate-" + name, timeout, () -> {
				try {
					StatefulRedisConnection<String, String> connection = connect(client, target);
					String pong = connection.sync().ping();
					if (!"PONG".equalsIgnoreCase(pong)) {
						throw new IllegalStateException("PING answered " + pong);
					}
					return new ConnectionGeneration(number, client, connection, target.description(), credentials,
							health);
				}
				catch (Exception ex) {
					client.shutdown(0, timeout.toMillis(), TimeUnit.MILLISECONDS);
					throw ex;
				}
			}, (late) -> late.destroy(timeout),
					// fail the pending connect now rather than at Lettuce's own timeouts
					() -> client.shutdownAsync(0, timeout.toMillis(), TimeUnit.MILLISECONDS));
		}
		catch (TimeoutException ex) {
			throw new TimeoutException("no answer to PING within hotreload.redis.validation-timeout (" + timeout + ")");
		}
	}

	private static StatefulRedisConnection<String, String> connect(RedisClient client,
			RedisConnectionSettings.Target target) throws Exception {
		for (int attempt = 1;; attempt++) {
			try {
				return client.connectAsync(StringCodec.UTF8, target.uri()).get();
			}
			catch (ExecutionException ex) {
				// Lettuce lost the handshake's reason (the channel closed before its
				// connect listener ran, as can happen on a busy machine): ask again, a
				// few times, to report it
				if (!RedisErrors.isHandshakeRace(ex) || attempt == RedisErrors.HANDSHAKE_ATTEMPTS) {
					throw (ex.getCause() instanceof Exception cause) ? cause : ex;
				}
			}
		}
	}

	@Override
	public long number() {
		return this.number;
	}

	@Override
	public String target() {
		return this.target;
	}

	@Override
	public InFlight inFlight() {
		return this.inFlight;
	}

	StatefulRedisConnection<String, String> connection() {
		return this.connection;
	}

	/**
	 * The credentials the connection authenticates with, which a rotation changes in
	 * place.
	 * @return the credentials
	 */
	LiveRedisCredentials credentials() {
		return this.credentials;
	}

	/**
	 * The state of the connection now, for {@link #neverWrittenSince(long)}. Two volatile
	 * reads.
	 * @return the state
	 */
	long healthState() {
		return this.health.state();
	}

	/**
	 * Whether a command issued at the given state cannot have been written to a socket:
	 * the connection was disconnected then and has not been connected since.
	 * @param state the state when it was issued
	 * @return whether it was never written
	 */
	boolean neverWrittenSince(long state) {
		return this.health.neverWrittenSince(state);
	}

	@Override
	public boolean answers(String threadName, Duration timeout) {
		return RedisProbe.answers(threadName, timeout, () -> this.client.connect(StringCodec.UTF8));
	}

	/**
	 * Whether the connection is disconnected: nothing in flight on it can complete.
	 * @return whether it is known dead
	 */
	@Override
	public boolean isDead() {
		return this.health.isDown();
	}

	/**
	 * Close the connection and shut the client down (not the shared client resources).
	 * Idempotent.
	 * @param timeout the time the shutdown may take
	 */
	void destroy(Duration timeout) {
		if (!this.destroyed.compareAndSet(false, true)) {
			return;
		}
		this.inFlight.closeNow();
		try {
			this.connection.close();
		}
		finally {
			this.client.shutdown(0, timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
	}

	@Override
	public String toString() {
		return "generation " + this.number + " (" + this.target + ")";
	}

}

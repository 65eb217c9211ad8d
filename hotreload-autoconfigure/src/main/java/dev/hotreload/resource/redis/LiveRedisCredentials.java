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

import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

import io.lettuce.core.RedisCredentials;
import io.lettuce.core.RedisCredentialsProvider;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * The credentials a Lettuce client authenticates with, read for every new connection and
 * streamed to the open ones: with
 * {@link io.lettuce.core.ClientOptions.ReauthenticateBehavior#ON_NEW_CREDENTIALS} each
 * open connection sends {@code AUTH} with the credentials {@link #set set} here (deferred
 * to the end of a {@code MULTI}), so a rotation needs no new client and no reconnect.
 * Only credentials emitted after a connection was activated are sent to it; the ones it
 * was activated with are those {@link #resolveCredentialsNow()} returned then.
 *
 * @author hotreload authors
 */
final class LiveRedisCredentials implements RedisCredentialsProvider.ImmediateRedisCredentialsProvider {

	private final AtomicReference<RedisCredentials> current;

	private final Sinks.Many<RedisCredentials> changes = Sinks.many().multicast().directBestEffort();

	LiveRedisCredentials(RedisCredentials initial) {
		this.current = new AtomicReference<>(copy(initial));
	}

	/**
	 * Credentials from a user name and a password, as Spring Data Redis applies them: a
	 * user name without a password authenticates with an empty one.
	 * @param username the user name, or {@code null}
	 * @param password the password, or {@code null}
	 * @return the credentials
	 */
	static RedisCredentials of(@Nullable String username, char @Nullable [] password) {
		boolean user = username != null && !username.isEmpty();
		if (user) {
			return RedisCredentials.just(username, (password != null) ? password : new char[0]);
		}
		return RedisCredentials.just(null, password);
	}

	@Override
	public RedisCredentials resolveCredentialsNow() {
		return this.current.get();
	}

	@Override
	public boolean supportsStreaming() {
		return true;
	}

	@Override
	public Flux<RedisCredentials> credentials() {
		return this.changes.asFlux();
	}

	/**
	 * Serve other credentials: new connections authenticate with them, and each open
	 * connection whose client re-authenticates on new credentials sends {@code AUTH} with
	 * them. Credentials without a password are not sent to open connections (there is no
	 * {@code AUTH} without one; the connections stay authenticated as they are).
	 * @param credentials the credentials
	 */
	synchronized void set(RedisCredentials credentials) {
		RedisCredentials next = copy(credentials);
		this.current.set(next);
		if (next.hasPassword()) {
			this.changes.tryEmitNext(next);
		}
	}

	/**
	 * Whether two credentials are equal.
	 * @param one some credentials
	 * @param other other credentials
	 * @return whether user name and password are equal
	 */
	static boolean same(RedisCredentials one, RedisCredentials other) {
		return Objects.equals(one.getUsername(), other.getUsername())
				&& Arrays.equals(one.getPassword(), other.getPassword());
	}

	private static RedisCredentials copy(RedisCredentials credentials) {
		char[] password = credentials.getPassword();
		return RedisCredentials.just(credentials.getUsername(), (password != null) ? password.clone() : null);
	}

	@Override
	public String toString() {
		RedisCredentials credentials = this.current.get();
		return "LiveRedisCredentials for "
				+ (credentials.hasUsername() ? "user " + credentials.getUsername() : "the default user")
				+ (credentials.hasPassword() ? " with a password" : " without a password");
	}

}

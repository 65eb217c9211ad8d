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

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

import dev.hotreload.resource.ReloadableResource;
import dev.hotreload.support.SecretSanitizer;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.push.PushListener;
import io.lettuce.core.api.reactive.RedisReactiveCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.protocol.RedisCommand;
import io.lettuce.core.resource.ClientResources;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.ApplicationEventPublisher;

/**
 * A {@code StatefulRedisConnection<String, String>} that follows changes of
 * {@code spring.data.redis.*}, for applications that use lettuce-core without Spring Data
 * Redis. Each generation is a Lettuce client and connection of its own on shared client
 * resources; a change builds the next one beside the live one, validates it (connect,
 * authenticate, select the database, PING), and swaps it in (its
 * {@linkplain #reloadableResource() reloadable resource} does).
 * <p>
 * {@link #sync()}, {@link #async()} and {@link #reactive()} send each command to the live
 * generation and count it until it completes (a reactive command from its subscription to
 * its end), so a retiring generation is closed only once its commands are done. From
 * {@code MULTI} or {@code WATCH} to {@code EXEC}, {@code DISCARD} or {@code UNWATCH}, and
 * while {@code setAutoFlushCommands(false)} holds, every command goes to the generation
 * that started it: a transaction or a manual flush never spans two servers. As with any
 * shared Lettuce connection, commands of other threads issued meanwhile join that
 * transaction; guard a transaction on a shared connection (a lock) or use a dedicated
 * connection.
 *
 * @author hotreload authors
 */
public final class ReloadableRedisConnection implements StatefulRedisConnection<String, String> {

	private final String name;

	private final ClientResources resources;

	private final ConnectionRouter router;

	private final ConnectionListeners listeners = new ConnectionListeners();

	private final RedisConnectionResource resource;

	private final RedisCommands<String, String> sync;

	private final RedisAsyncCommands<String, String> async;

	private final RedisReactiveCommands<String, String> reactive;

	private final CredentialRejections rejections;

	private ReloadableRedisConnection(String name, ClientResources resources, RedisConnectionSettings settings,
			Supplier<RedisTimeouts> timeouts, ConnectionGeneration first, Binder binder, SecretSanitizer secrets,
			@Nullable ApplicationEventPublisher publisher) {
		this.name = name;
		this.resources = resources;
		this.resource = new RedisConnectionResource(name, resources, settings, timeouts, first, this.listeners,
				RedisConnectionResource.effectiveSettings(binder), secrets);
		this.router = new ConnectionRouter(name, this.resource.generations());
		// every generation's client runs on these resources
		this.rejections = new CredentialRejections(name, this, publisher, this.resource::secrets);
		this.rejections.follow(resources);
		this.sync = commands(RedisCommands.class, StatefulRedisConnection::sync, false);
		this.async = commands(RedisAsyncCommands.class, StatefulRedisConnection::async, false);
		this.reactive = commands(RedisReactiveCommands.class, StatefulRedisConnection::reactive, true);
	}

	/**
	 * Connect to what {@code spring.data.redis.*} describe.
	 * @param name the resource (and bean) name
	 * @param binder the binder over the environment
	 * @param secrets masks the environment's secrets in a failure's message
	 * @param resources the client resources every generation shares
	 * @param sslBundles the SSL bundles {@code spring.data.redis.ssl.bundle} may name
	 * @param validationTimeout time a new connection is given to answer PING, read at
	 * each reload
	 * @param drainTimeout time a retired connection is given for its commands, read at
	 * each reload
	 * @param publisher publishes a
	 * {@link dev.hotreload.resource.CredentialsRejectedEvent} when the server refuses the
	 * credentials of a reconnect, {@code null} to publish none
	 * @return the connection, validated
	 * @throws IllegalStateException if the keys are invalid or the first connection fails
	 * validation
	 */
	public static ReloadableRedisConnection connect(String name, Binder binder, SecretSanitizer secrets,
			ClientResources resources, @Nullable SslBundles sslBundles, Supplier<Duration> validationTimeout,
			Supplier<Duration> drainTimeout, @Nullable ApplicationEventPublisher publisher) {
		RedisConnectionSettings settings = new RedisConnectionSettings(sslBundles);
		Supplier<RedisTimeouts> timeouts = () -> new RedisTimeouts(validationTimeout.get(), drainTimeout.get());
		ConnectionGeneration first = RedisConnectionResource.connect(name, settings, binder, secrets, resources, 1,
				timeouts.get().validation(), "new connection for");
		return new ReloadableRedisConnection(name, resources, settings, timeouts, first, binder, secrets, publisher);
	}

	/**
	 * The resource that reloads this connection, to be registered with the reload engine
	 * (as a bean).
	 * @return the resource
	 */
	public ReloadableResource reloadableResource() {
		return this.resource;
	}

	/**
	 * The live generation's number, 1 at startup.
	 * @return the generation
	 */
	public long getGeneration() {
		return this.router.live().number();
	}

	@Override
	public boolean isMulti() {
		return this.router.routed().connection().isMulti();
	}

	@Override
	public RedisCommands<String, String> sync() {
		return this.sync;
	}

	@Override
	public RedisAsyncCommands<String, String> async() {
		return this.async;
	}

	@Override
	public RedisReactiveCommands<String, String> reactive() {
		return this.reactive;
	}

	@Override
	public void addListener(PushListener listener) {
		this.listeners.add(listener);
		this.router.live().connection().addListener(listener);
	}

	@Override
	public void removeListener(PushListener listener) {
		this.listeners.remove(listener);
		this.resource.allGenerations().forEach((generation) -> generation.connection().removeListener(listener));
	}

	@Override
	public void addListener(RedisConnectionStateListener listener) {
		this.listeners.add(listener);
		this.router.live().connection().addListener(listener);
	}

	@Override
	public void removeListener(RedisConnectionStateListener listener) {
		this.listeners.remove(listener);
		this.resource.allGenerations().forEach((generation) -> generation.connection().removeListener(listener));
	}

	@Override
	public void setTimeout(Duration timeout) {
		this.listeners.timeout(timeout);
		this.router.live().connection().setTimeout(timeout);
	}

	@Override
	public Duration getTimeout() {
		return this.router.live().connection().getTimeout();
	}

	@Override
	public <T> RedisCommand<String, String, T> dispatch(RedisCommand<String, String, T> command) {
		return this.router.dispatch(command);
	}

	@Override
	public Collection<RedisCommand<String, String, ?>> dispatch(
			Collection<? extends RedisCommand<String, String, ?>> commands) {
		return this.router.dispatch(commands);
	}

	/**
	 * Close every generation. The connection cannot be used afterwards. Idempotent.
	 */
	@Override
	public void close() {
		if (this.router.close()) {
			this.rejections.close();
			this.resource.closeAll();
		}
	}

	@Override
	public CompletableFuture<Void> closeAsync() {
		close();
		return CompletableFuture.completedFuture(null);
	}

	@Override
	public boolean isOpen() {
		return !this.router.isClosed() && this.router.live().connection().isOpen();
	}

	@Override
	public ClientOptions getOptions() {
		return this.router.live().connection().getOptions();
	}

	@Override
	public ClientResources getResources() {
		return this.resources;
	}

	@Override
	@Deprecated
	@SuppressWarnings("deprecation")
	public void reset() {
		this.router.live().connection().reset();
	}

	@Override
	public void setAutoFlushCommands(boolean autoFlush) {
		this.router.setAutoFlushCommands(autoFlush);
	}

	@Override
	public void flushCommands() {
		this.router.flushCommands();
	}

	@Override
	public String toString() {
		return "ReloadableRedisConnection '" + this.name + "' on " + this.router.live();
	}

	private <T> T commands(Class<T> type, Function<StatefulRedisConnection<String, String>, Object> api,
			boolean deferred) {
		return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] { type },
				new Commands(type, api, deferred)));
	}

	/**
	 * The sync, async or reactive command API: each call is routed to a generation.
	 */
	private final class Commands implements InvocationHandler {

		private final Class<?> type;

		private final Function<StatefulRedisConnection<String, String>, Object> api;

		private final boolean deferred;

		Commands(Class<?> type, Function<StatefulRedisConnection<String, String>, Object> api, boolean deferred) {
			this.type = type;
			this.api = api;
			this.deferred = deferred;
		}

		@Override
		public @Nullable Object invoke(Object proxy, Method method, @Nullable Object @Nullable [] args)
				throws Throwable {
			int count = (args != null) ? args.length : 0;
			switch (method.getName()) {
				case "equals":
					if (count == 1) {
						return proxy == args[0];
					}
					break;
				case "hashCode":
					if (count == 0) {
						return System.identityHashCode(proxy);
					}
					break;
				case "toString":
					if (count == 0) {
						return this.type.getSimpleName() + " of " + ReloadableRedisConnection.this;
					}
					break;
				case "getStatefulConnection":
					return ReloadableRedisConnection.this;
				case "isOpen":
					return isOpen();
				case "setAutoFlushCommands":
					setAutoFlushCommands((Boolean) args[0]);
					return null;
				case "flushCommands":
					flushCommands();
					return null;
				default:
					break;
			}
			if (this.deferred && method.getReturnType() == Mono.class) {
				return Mono.defer(() -> (Mono<?>) publisher(method, args));
			}
			if (this.deferred && method.getReturnType() == Flux.class) {
				return Flux.defer(() -> (Flux<?>) publisher(method, args));
			}
			return ReloadableRedisConnection.this.router.route(method, args, this.api);
		}

		private Object publisher(Method method, @Nullable Object @Nullable [] args) {
			return ReloadableRedisConnection.this.router.publisher(method, args, this.api);
		}

	}

}

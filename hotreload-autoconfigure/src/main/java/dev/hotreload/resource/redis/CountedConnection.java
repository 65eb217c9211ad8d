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
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.data.redis.connection.ReactiveRedisClusterConnection;
import org.springframework.data.redis.connection.ReactiveRedisConnection;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * A connection handed out by a {@link ReloadableRedisConnectionFactory}: the connection
 * of one generation's factory, counted as in use until it is closed ({@code close()}, or
 * the completion of a reactive connection's {@code closeLater()}). Everything else is
 * passed to the connection unchanged, so a transaction, a pipeline or a
 * {@code SessionCallback} runs to its end on the generation it started on.
 * <p>
 * A command that failed on a generation a reload replaced, and that was never written to
 * its server (issued while no connection of the generation was connected, none connected
 * since), is sent again through a connection of the live generation: the caller sees its
 * result instead of the failure. For a reactive connection, that is a command subscribed
 * while no connection was connected, which failed before emitting anything (see
 * {@link MovedReactiveCommands}).
 *
 * @author hotreload authors
 */
final class CountedConnection implements InvocationHandler {

	/**
	 * Calls that are not moved to the next generation: they start or use state of the
	 * connection (a transaction, a pipeline, a subscription, a database, a cursor).
	 */
	private static final Set<String> STATEFUL = Set.of("multi", "exec", "discard", "watch", "unwatch", "openPipeline",
			"closePipeline", "select", "subscribe", "pSubscribe", "sSubscribe", "getSubscription",
			"getNativeConnection", "scan", "hScan", "sScan", "zScan");

	private final Object target;

	private final RedisGeneration generation;

	private final @Nullable ReloadableRedisConnectionFactory movesTo;

	private final AtomicBoolean released = new AtomicBoolean();

	private CountedConnection(Object target, RedisGeneration generation,
			@Nullable ReloadableRedisConnectionFactory movesTo) {
		this.target = target;
		this.generation = generation;
		this.movesTo = movesTo;
	}

	/**
	 * Wrap a connection acquired from (and already counted by) a generation.
	 * @param <T> the connection type
	 * @param type the connection type
	 * @param target the connection
	 * @param generation the generation it belongs to
	 * @param factory the factory that handed it out, which a command never written to the
	 * generation's dead server is sent to again
	 * @return the wrapped connection
	 */
	static <T> T wrap(Class<T> type, T target, RedisGeneration generation, ReloadableRedisConnectionFactory factory) {
		Class<?>[] interfaces = ClassUtils.getAllInterfaces(target);
		ClassLoader classLoader = target.getClass().getClassLoader();
		// the commands of a plain and of a reactive connection are moved, not those of a
		// reactive cluster connection (which a cluster-aware factory hands out for a
		// reactive one): a cluster command belongs to a node
		ReloadableRedisConnectionFactory movesTo = (type == RedisConnection.class
				|| (type == ReactiveRedisConnection.class && !(target instanceof ReactiveRedisClusterConnection)))
						? factory : null;
		return type
			.cast(Proxy.newProxyInstance(classLoader, interfaces, new CountedConnection(target, generation, movesTo)));
	}

	@Override
	public @Nullable Object invoke(Object proxy, Method method, @Nullable Object[] args) throws Throwable {
		boolean noArgs = (args == null || args.length == 0);
		switch (method.getName()) {
			case "equals":
				return (args != null && args.length == 1 && proxy == args[0]);
			case "hashCode":
				if (noArgs) {
					return System.identityHashCode(proxy);
				}
				break;
			case "toString":
				if (noArgs) {
					return this.target + " of " + this.generation;
				}
				break;
			case "close":
				if (noArgs) {
					try {
						return call(method, args);
					}
					finally {
						release();
					}
				}
				break;
			case "closeLater":
				if (noArgs) {
					Object result;
					try {
						result = call(method, args);
					}
					catch (Throwable ex) {
						release();
						throw ex;
					}
					return (result instanceof Mono<?> mono) ? mono.doFinally((signal) -> release()) : result;
				}
				break;
			default:
		}
		if (this.movesTo == null) {
			return call(method, args);
		}
		if (this.target instanceof ReactiveRedisConnection) {
			return reactive(method, args);
		}
		long state = this.generation.healthState();
		try {
			return call(method, args);
		}
		catch (Throwable ex) {
			if (!movable(method, state)) {
				throw ex;
			}
			return callAgain(this.movesTo, method, args);
		}
	}

	/**
	 * A call of a reactive connection: its command objects ({@code stringCommands()} and
	 * the like, but {@code pubSubCommands()}) and its own commands ({@code ping()}) are
	 * moved when they fail unwritten.
	 */
	private @Nullable Object reactive(Method method, @Nullable Object[] args) throws Throwable {
		Object result = call(method, args);
		if (result == null || method.getName().equals("pubSubCommands")) {
			return result;
		}
		if (method.getParameterCount() == 0 && method.getReturnType().isInterface()
				&& method.getName().endsWith("Commands")) {
			return MovedReactiveCommands.wrap(method.getReturnType(), result,
					(connection) -> ReflectionUtils.invokeMethod(method, connection), this);
		}
		return movable(result, (connection) -> issue(method, connection, args));
	}

	/**
	 * A publisher of a reactive command that, when it fails unwritten on a generation a
	 * reload replaced and has emitted nothing, issues the command again on a reactive
	 * connection of the live generation and publishes that instead. The connection's
	 * state is read at subscription, before the command can be written.
	 * @param result what the command returned
	 * @param again issues the same command on another connection
	 * @return the publisher, or the result as it is when it is not a publisher
	 */
	@Nullable Object movable(@Nullable Object result, ReactiveCall again) {
		ReloadableRedisConnectionFactory movesTo = this.movesTo;
		if (movesTo == null) {
			return result;
		}
		if (result instanceof Mono<?> mono) {
			Mono<Object> command = Mono.from(mono);
			return Mono.defer(() -> {
				long state = this.generation.healthState();
				return command.onErrorResume((ex) -> movable(state)
						? Mono.usingWhen(Mono.fromSupplier(movesTo::getReactiveConnection),
								(connection) -> Mono.from(again.issue(connection)), ReactiveRedisConnection::closeLater)
						: Mono.error(ex));
			});
		}
		if (result instanceof Flux<?> flux) {
			Flux<Object> command = Flux.from(flux);
			return Flux.defer(() -> {
				long state = this.generation.healthState();
				AtomicBoolean emitted = new AtomicBoolean();
				return command.doOnNext((value) -> emitted.set(true))
					.onErrorResume((ex) -> !emitted.get() && movable(state)
							? Flux.usingWhen(Mono.fromSupplier(movesTo::getReactiveConnection), again::issue,
									ReactiveRedisConnection::closeLater)
							: Flux.error(ex));
			});
		}
		return result;
	}

	/**
	 * Whether a command issued at the given state can be issued again on the live
	 * generation: a reload replaced this one, and the command was never written.
	 */
	private boolean movable(long state) {
		return this.movesTo != null && this.movesTo.current() != this.generation
				&& this.generation.neverWrittenSince(state);
	}

	/**
	 * Issue a reactive command again.
	 * @param method the command
	 * @param target what to issue it on: another connection, or its command object
	 * @param args the command's arguments
	 * @return the command's publisher, or one of its failure
	 */
	@SuppressWarnings("unchecked")
	static Publisher<Object> issue(Method method, @Nullable Object target, @Nullable Object[] args) {
		try {
			Object result = method.invoke(target, args);
			return (result instanceof Publisher<?> publisher) ? (Publisher<Object>) publisher
					: Mono.justOrEmpty(result);
		}
		catch (InvocationTargetException ex) {
			return Mono.error(ex.getTargetException());
		}
		catch (IllegalAccessException | IllegalArgumentException | NullPointerException ex) {
			return Mono.error(ex);
		}
	}

	/**
	 * Issues a reactive command on a connection of the live generation.
	 */
	@FunctionalInterface
	interface ReactiveCall {

		Publisher<Object> issue(ReactiveRedisConnection connection);

	}

	/**
	 * Whether a call that failed can be made again on the live generation: a reload
	 * replaced its generation, the call was issued while no connection of that generation
	 * was connected and none has been since (so it was never written to a socket: Lettuce
	 * failed it at once with the connection's last error, or the reload cut it from the
	 * buffer when it closed the dead client), and neither the call nor the connection
	 * holds state.
	 */
	private boolean movable(Method method, long state) {
		if (!movable(state) || STATEFUL.contains(method.getName())) {
			return false;
		}
		try {
			RedisConnection connection = (RedisConnection) this.target;
			return !connection.isQueueing() && !connection.isPipelined() && !connection.isSubscribed();
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

	private static @Nullable Object callAgain(ReloadableRedisConnectionFactory factory, Method method,
			@Nullable Object[] args) throws Throwable {
		try (RedisConnection moved = factory.getConnection()) {
			return method.invoke(moved, args);
		}
		catch (InvocationTargetException ex) {
			throw ex.getTargetException();
		}
	}

	private @Nullable Object call(Method method, @Nullable Object[] args) throws Throwable {
		try {
			return method.invoke(this.target, args);
		}
		catch (InvocationTargetException ex) {
			throw ex.getTargetException();
		}
	}

	private void release() {
		if (this.released.compareAndSet(false, true)) {
			this.generation.inFlight().release();
		}
	}

}

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

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import dev.hotreload.resource.Generations;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.protocol.RedisCommand;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Routes the commands of a {@link ReloadableRedisConnection} to a generation and counts
 * them until they are done: to the live generation, or, from {@code MULTI} or
 * {@code WATCH} to {@code EXEC}, {@code DISCARD} or {@code UNWATCH} and while
 * {@code setAutoFlushCommands(false)} holds, to the generation that started them (the
 * pin); a SCAN cursor goes back to the generation that issued it. A command issued while
 * its generation was disconnected, and never written, is sent to the live generation when
 * it fails after a reload replaced its own.
 *
 * @author hotreload authors
 */
final class ConnectionRouter {

	private final String name;

	private final Generations<ConnectionGeneration, String> generations;

	private final AtomicReference<@Nullable Pin> pin = new AtomicReference<>();

	private final AtomicBoolean closed = new AtomicBoolean();

	private final ScanCursors scanCursors;

	ConnectionRouter(String name, Generations<ConnectionGeneration, String> generations) {
		this.name = name;
		this.generations = generations;
		this.scanCursors = new ScanCursors(name);
	}

	/**
	 * The live generation.
	 * @return the generation
	 */
	ConnectionGeneration live() {
		return this.generations.instance();
	}

	/**
	 * Refuse commands from now on.
	 * @return whether it was open until now
	 */
	boolean close() {
		return this.closed.compareAndSet(false, true);
	}

	boolean isClosed() {
		return this.closed.get();
	}

	/**
	 * Dispatch a command to the routed generation, counted until it is done.
	 * @param <T> the result type
	 * @param command the command
	 * @return the dispatched command
	 */
	<T> RedisCommand<String, String, T> dispatch(RedisCommand<String, String, T> command) {
		ConnectionGeneration generation = acquire();
		RedisCommand<String, String, T> dispatched;
		try {
			dispatched = generation.connection().dispatch(command);
		}
		catch (RuntimeException | Error ex) {
			generation.inFlight().release();
			throw ex;
		}
		releaseWhenDone(generation, dispatched);
		return dispatched;
	}

	/**
	 * Dispatch commands to the routed generation, counted until they are done.
	 * @param commands the commands
	 * @return the dispatched commands
	 */
	Collection<RedisCommand<String, String, ?>> dispatch(
			Collection<? extends RedisCommand<String, String, ?>> commands) {
		ConnectionGeneration generation = acquire();
		Collection<RedisCommand<String, String, ?>> dispatched;
		try {
			dispatched = generation.connection().dispatch(commands);
		}
		catch (RuntimeException | Error ex) {
			generation.inFlight().release();
			throw ex;
		}
		List<CompletableFuture<?>> stages = new ArrayList<>();
		for (RedisCommand<String, String, ?> each : dispatched) {
			if (each instanceof CompletionStage<?> stage) {
				stages.add(stage.toCompletableFuture());
			}
		}
		CompletableFuture.allOf(stages.toArray(CompletableFuture[]::new))
			.whenComplete((result, ex) -> generation.inFlight().release());
		return dispatched;
	}

	/**
	 * Hold the routed generation while commands are queued by hand, or flush and let it
	 * go.
	 * @param autoFlush whether commands are flushed as they are issued
	 */
	void setAutoFlushCommands(boolean autoFlush) {
		if (!autoFlush) {
			ConnectionGeneration generation = acquire();
			try {
				pin(generation, false, true);
				generation.connection().setAutoFlushCommands(false);
			}
			finally {
				generation.inFlight().release();
			}
			return;
		}
		ConnectionGeneration generation = routed();
		generation.connection().setAutoFlushCommands(true);
		unpin(generation, false, true);
	}

	/**
	 * Flush the commands queued on the routed generation.
	 */
	void flushCommands() {
		routed().connection().flushCommands();
	}

	/**
	 * The generation a command goes to now, counted: the pinned one, if a transaction or
	 * a manual flush holds one, else the live one.
	 */
	ConnectionGeneration acquire() {
		for (;;) {
			Pin current = this.pin.get();
			if (current != null) {
				if (current.generation().inFlight().acquire()) {
					return current.generation();
				}
				// cut at the drain timeout: the transaction is over
				this.pin.compareAndSet(current, null);
				continue;
			}
			try {
				return this.generations.acquire().instance();
			}
			catch (IllegalStateException ex) {
				throw new RedisException("Redis connection '" + this.name + "' is closed");
			}
		}
	}

	/**
	 * The generation a command would go to now, not counted.
	 */
	ConnectionGeneration routed() {
		Pin current = this.pin.get();
		return (current != null) ? current.generation() : live();
	}

	private void pin(ConnectionGeneration generation, boolean transaction, boolean manualFlush) {
		for (;;) {
			Pin current = this.pin.get();
			if (current == null) {
				if (!generation.inFlight().acquire()) {
					return;
				}
				if (this.pin.compareAndSet(null, new Pin(generation, transaction, manualFlush))) {
					return;
				}
				generation.inFlight().release();
				continue;
			}
			if (current.generation() != generation) {
				return;
			}
			Pin next = new Pin(generation, current.transaction() || transaction, current.manualFlush() || manualFlush);
			if (next.equals(current) || this.pin.compareAndSet(current, next)) {
				return;
			}
		}
	}

	private void unpin(ConnectionGeneration generation, boolean transaction, boolean manualFlush) {
		for (;;) {
			Pin current = this.pin.get();
			if (current == null || current.generation() != generation) {
				return;
			}
			boolean stillTransaction = current.transaction() && !transaction;
			boolean stillManualFlush = current.manualFlush() && !manualFlush;
			Pin next = (stillTransaction || stillManualFlush) ? new Pin(generation, stillTransaction, stillManualFlush)
					: null;
			if (this.pin.compareAndSet(current, next)) {
				if (next == null) {
					generation.inFlight().release();
				}
				return;
			}
		}
	}

	/**
	 * Send a command to the routed generation, keeping it counted until the command is
	 * done.
	 */
	@Nullable Object route(Method method, @Nullable Object @Nullable [] args,
			Function<StatefulRedisConnection<String, String>, Object> api) throws Throwable {
		ConnectionGeneration issuer = this.scanCursors.issuer(args);
		ConnectionGeneration generation = (issuer != null) ? this.scanCursors.acquire(issuer) : acquire();
		boolean handedOver = false;
		try {
			Step step = Step.of(method.getName());
			boolean scan = method.getName().endsWith("scan");
			// a plain command issued while the connection is disconnected may be moved to
			// the next connection if a reload closes this one before it is written
			long state = (step == Step.NONE && !scan && this.pin.get() == null) ? generation.healthState()
					: ConnectionHealth.UNKNOWN;
			if (step == Step.BEGIN) {
				pin(generation, true, false);
			}
			Object result;
			try {
				result = method.invoke(api.apply(generation.connection()), args);
			}
			catch (InvocationTargetException ex) {
				if (step != Step.NONE && !generation.connection().isMulti()) {
					unpin(generation, true, false);
				}
				if (movable(generation, state)) {
					return route(method, args, api);
				}
				throw ex.getTargetException();
			}
			if (step == Step.END || (step == Step.UNWATCH && !generation.connection().isMulti())) {
				unpin(generation, true, false);
			}
			if (result instanceof Mono<?> mono) {
				handedOver = true;
				Mono<Object> counted = Mono.<Object>from(mono).doFinally((signal) -> generation.inFlight().release());
				if (ConnectionHealth.isDown(state)) {
					counted = counted.onErrorResume((ex) -> movable(generation, state)
							? Mono.defer(() -> Mono.from(publisher(method, args, api))) : Mono.error(ex));
				}
				return scan ? counted.doOnNext((value) -> this.scanCursors.issued(value, generation)) : counted;
			}
			if (result instanceof Flux<?> flux) {
				handedOver = true;
				Flux<Object> counted = Flux.<Object>from(flux).doFinally((signal) -> generation.inFlight().release());
				if (ConnectionHealth.isDown(state)) {
					counted = counted.onErrorResume((ex) -> movable(generation, state)
							? Flux.defer(() -> Flux.from(publisher(method, args, api))) : Flux.error(ex));
				}
				return counted;
			}
			if (scan && result instanceof CompletionStage<?> stage) {
				stage.thenAccept((value) -> this.scanCursors.issued(value, generation));
			}
			else if (scan) {
				this.scanCursors.issued(result, generation);
			}
			handedOver = releaseWhenDone(generation, result);
			if (ConnectionHealth.isDown(state) && result instanceof CompletionStage<?> stage) {
				return movable(stage, generation, state, () -> route(method, args, api));
			}
			return result;
		}
		finally {
			if (!handedOver) {
				generation.inFlight().release();
			}
		}
	}

	/**
	 * Whether a command that failed on a generation can be sent to the live one: a reload
	 * replaced that generation, and the command was issued while its connection was
	 * disconnected and not connected since, so it was never written to a socket (Lettuce
	 * failed it at once with the connection's last error, or the reload cut it from the
	 * buffer when it closed the dead connection).
	 */
	private boolean movable(ConnectionGeneration generation, long state) {
		return !this.closed.get() && live() != generation && generation.neverWrittenSince(state);
	}

	/**
	 * The future of an async command issued while the connection was disconnected: if a
	 * reload cuts it unwritten, its result is that of the same command on the live
	 * connection.
	 */
	private RedisFuture<Object> movable(CompletionStage<?> stage, ConnectionGeneration generation, long state,
			Again again) {
		MovedFuture<Object> moved = new MovedFuture<>();
		stage.whenComplete((value, failure) -> {
			if (failure == null) {
				moved.complete(value);
				return;
			}
			if (!movable(generation, state)) {
				moved.completeExceptionally(failure);
				return;
			}
			try {
				((CompletionStage<?>) again.issue()).whenComplete((result, error) -> {
					if (error != null) {
						moved.completeExceptionally(error);
					}
					else {
						moved.complete(result);
					}
				});
			}
			catch (Throwable ex) {
				moved.completeExceptionally(ex);
			}
		});
		return moved;
	}

	/**
	 * Route a reactive command at subscription, so that a publisher subscribed late (or
	 * again) goes to the generation live then.
	 */
	@SuppressWarnings("unchecked")
	Publisher<Object> publisher(Method method, @Nullable Object @Nullable [] args,
			Function<StatefulRedisConnection<String, String>, Object> api) {
		try {
			Object result = route(method, args, api);
			return (result != null) ? (Publisher<Object>) result : Mono.empty();
		}
		catch (Throwable ex) {
			return (method.getReturnType() == Flux.class) ? Flux.error(ex) : Mono.error(ex);
		}
	}

	private static boolean releaseWhenDone(ConnectionGeneration generation, @Nullable Object result) {
		if (result instanceof CompletionStage<?> stage) {
			stage.whenComplete((value, ex) -> generation.inFlight().release());
			return true;
		}
		return false;
	}

	/**
	 * Issues a command again.
	 */
	@FunctionalInterface
	private interface Again {

		@Nullable Object issue() throws Throwable;

	}

	/**
	 * What a command does to the pin.
	 */
	private enum Step {

		/** Starts holding the generation: MULTI, WATCH. */
		BEGIN,

		/** Ends a transaction: EXEC, DISCARD. */
		END,

		/** Ends a WATCH when outside MULTI. */
		UNWATCH,

		/** Anything else. */
		NONE;

		static Step of(String method) {
			return switch (method) {
				case "multi", "watch" -> BEGIN;
				case "exec", "discard" -> END;
				case "unwatch" -> UNWATCH;
				default -> NONE;
			};
		}

	}

	/**
	 * The generation every command goes to while a transaction or a manual flush holds
	 * it.
	 *
	 * @param generation the generation held
	 * @param transaction whether a MULTI or WATCH holds it
	 * @param manualFlush whether {@code setAutoFlushCommands(false)} holds it
	 */
	private record Pin(ConnectionGeneration generation, boolean transaction, boolean manualFlush) {

	}

}

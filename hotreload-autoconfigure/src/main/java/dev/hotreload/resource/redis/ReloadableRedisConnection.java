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
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;

import dev.hotreload.resource.EffectiveSettings;
import dev.hotreload.resource.PreparedChange;
import dev.hotreload.resource.ReloadContext;
import dev.hotreload.resource.ReloadableResource;
import dev.hotreload.resource.ResourceDescriptor;
import dev.hotreload.resource.RetireReport;
import dev.hotreload.resource.SettingsTracker;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.push.PushListener;
import io.lettuce.core.api.reactive.RedisReactiveCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.protocol.RedisCommand;
import io.lettuce.core.resource.ClientResources;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.ssl.SslBundles;

/**
 * A {@code StatefulRedisConnection<String, String>} that follows changes of
 * {@code spring.data.redis.*}, for applications that use lettuce-core without Spring Data
 * Redis. Each generation is a Lettuce client and connection of its own on shared client
 * resources; a change builds the next one beside the live one, validates it (connect,
 * authenticate, select the database, PING), and swaps it in.
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
public final class ReloadableRedisConnection implements StatefulRedisConnection<String, String>, ReloadableResource {

	private static final Log logger = LogFactory.getLog(ReloadableRedisConnection.class);

	private static final String PREFIX = RedisConnectionSettings.PREFIX;

	private final String name;

	private final ClientResources resources;

	private final RedisConnectionSettings settings;

	private final Supplier<RedisTimeouts> timeouts;

	private final AtomicReference<ConnectionGeneration> live;

	private final AtomicReference<@Nullable Pin> pin = new AtomicReference<>();

	private final List<ConnectionGeneration> retiring = new CopyOnWriteArrayList<>();

	private final List<PushListener> pushListeners = new CopyOnWriteArrayList<>();

	private final List<RedisConnectionStateListener> stateListeners = new CopyOnWriteArrayList<>();

	private final AtomicBoolean closed = new AtomicBoolean();

	private final SettingsTracker effectiveSettings;

	/**
	 * The generation that issued each unfinished SCAN cursor handed out, held weakly.
	 */
	private final Map<ScanCursor, ConnectionGeneration> scanCursors = Collections.synchronizedMap(new WeakHashMap<>());

	/**
	 * The last generation number handed out, to a connection that serves or to a
	 * candidate that was rejected: never used twice.
	 */
	private final AtomicLong generations = new AtomicLong(1);

	private volatile @Nullable Duration timeout;

	private final RedisCommands<String, String> sync;

	private final RedisAsyncCommands<String, String> async;

	private final RedisReactiveCommands<String, String> reactive;

	private ReloadableRedisConnection(String name, ClientResources resources, RedisConnectionSettings settings,
			Supplier<RedisTimeouts> timeouts, ConnectionGeneration first, EffectiveSettings initial) {
		this.name = name;
		this.effectiveSettings = new SettingsTracker(initial);
		this.resources = resources;
		this.settings = settings;
		this.timeouts = timeouts;
		this.live = new AtomicReference<>(first);
		this.sync = commands(RedisCommands.class, StatefulRedisConnection::sync, false);
		this.async = commands(RedisAsyncCommands.class, StatefulRedisConnection::async, false);
		this.reactive = commands(RedisReactiveCommands.class, StatefulRedisConnection::reactive, true);
	}

	/**
	 * Connect to what {@code spring.data.redis.*} describe.
	 * @param name the resource (and bean) name
	 * @param binder the binder over the environment
	 * @param resources the client resources every generation shares
	 * @param sslBundles the SSL bundles {@code spring.data.redis.ssl.bundle} may name
	 * @param timeouts the validation and drain timeouts, read at each reload
	 * @return the connection, validated
	 * @throws IllegalStateException if the keys are invalid or the first connection fails
	 * validation
	 */
	public static ReloadableRedisConnection connect(String name, Binder binder, ClientResources resources,
			@Nullable SslBundles sslBundles, Supplier<Duration> validationTimeout, Supplier<Duration> drainTimeout) {
		RedisConnectionSettings settings = new RedisConnectionSettings(sslBundles);
		Supplier<RedisTimeouts> timeouts = () -> new RedisTimeouts(validationTimeout.get(), drainTimeout.get());
		ConnectionGeneration first = connect(settings, binder, resources, 1, timeouts.get().validation(),
				"new connection for ");
		return new ReloadableRedisConnection(name, resources, settings, timeouts, first, effectiveSettings(binder));
	}

	private static ConnectionGeneration connect(RedisConnectionSettings settings, Binder binder,
			ClientResources resources, long number, Duration validationTimeout, String what) {
		RedisConnectionSettings.Target target;
		try {
			target = settings.read(binder);
		}
		catch (RuntimeException ex) {
			throw new IllegalStateException("could not read " + PREFIX + ".*: "
					+ RedisErrors.reason(ex, RedisErrors.secrets(binder)) + "; fix the keys", ex);
		}
		try {
			return ConnectionGeneration.connect(number, target, resources, validationTimeout);
		}
		catch (Exception ex) {
			if (ex instanceof InterruptedException) {
				Thread.currentThread().interrupt();
			}
			throw new IllegalStateException(what + target.description() + " failed validation: "
					+ RedisErrors.reason(ex, RedisErrors.secrets(binder)), ex);
		}
	}

	// StatefulRedisConnection

	@Override
	public boolean isMulti() {
		return routed().connection().isMulti();
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
		this.pushListeners.add(listener);
		this.live.get().connection().addListener(listener);
	}

	@Override
	public void removeListener(PushListener listener) {
		this.pushListeners.remove(listener);
		generations().forEach((generation) -> generation.connection().removeListener(listener));
	}

	@Override
	public void addListener(RedisConnectionStateListener listener) {
		this.stateListeners.add(listener);
		this.live.get().connection().addListener(listener);
	}

	@Override
	public void removeListener(RedisConnectionStateListener listener) {
		this.stateListeners.remove(listener);
		generations().forEach((generation) -> generation.connection().removeListener(listener));
	}

	@Override
	public void setTimeout(Duration timeout) {
		this.timeout = timeout;
		this.live.get().connection().setTimeout(timeout);
	}

	@Override
	public Duration getTimeout() {
		return this.live.get().connection().getTimeout();
	}

	@Override
	public <T> RedisCommand<String, String, T> dispatch(RedisCommand<String, String, T> command) {
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

	@Override
	public Collection<RedisCommand<String, String, ?>> dispatch(
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
	 * Close every generation. The connection cannot be used afterwards. Idempotent.
	 */
	@Override
	public void close() {
		if (!this.closed.compareAndSet(false, true)) {
			return;
		}
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

	@Override
	public CompletableFuture<Void> closeAsync() {
		close();
		return CompletableFuture.completedFuture(null);
	}

	@Override
	public boolean isOpen() {
		return !this.closed.get() && this.live.get().connection().isOpen();
	}

	@Override
	public ClientOptions getOptions() {
		return this.live.get().connection().getOptions();
	}

	@Override
	public ClientResources getResources() {
		return this.resources;
	}

	@Override
	@Deprecated
	@SuppressWarnings("deprecation")
	public void reset() {
		this.live.get().connection().reset();
	}

	@Override
	public void setAutoFlushCommands(boolean autoFlush) {
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

	@Override
	public void flushCommands() {
		routed().connection().flushCommands();
	}

	// ReloadableResource

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

	private static EffectiveSettings effectiveSettings(Binder binder) {
		return CredentialsChange.splitUrl(EffectiveSettings.of(binder, PREFIX), binder);
	}

	private PreparedChange prepareCandidate(ReloadContext context, Set<String> changed) {
		if (this.closed.get()) {
			throw new IllegalStateException("Redis connection '" + this.name + "' is closed");
		}
		ConnectionGeneration current = this.live.get();
		if (CredentialsChange.onlyCredentials(changed)) {
			// checked on a connection of their own, closed once checked
			ConnectionGeneration check = connect(this.settings, context.binder(), this.resources, current.number(),
					this.timeouts.get().validation(), "new credentials for ");
			check.destroy(this.timeouts.get().drain());
			return new CredentialsChange(this.name + "-g" + current.number(), current.number(), changed,
					current.credentials(), check.credentials().resolveCredentialsNow(),
					() -> this.live.get() == current);
		}
		ConnectionGeneration candidate = connect(this.settings, context.binder(), this.resources,
				this.generations.incrementAndGet(), this.timeouts.get().validation(), "new connection for ");
		return new Change(current, candidate, changed);
	}

	@Override
	public ResourceDescriptor describe() {
		ResourceDescriptor descriptor = ClientGeneration.describe(this.name, this.live.get(),
				List.copyOf(this.retiring));
		this.effectiveSettings.describe(descriptor.details());
		return descriptor;
	}

	/**
	 * The live generation's number, 1 at startup.
	 * @return the generation
	 */
	public long getGeneration() {
		return this.live.get().number();
	}

	@Override
	public String toString() {
		return "ReloadableRedisConnection '" + this.name + "' on " + this.live.get();
	}

	// routing

	/**
	 * The generation a command goes to now, counted: the pinned one, if a transaction or
	 * a manual flush holds one, else the live one.
	 */
	private ConnectionGeneration acquire() {
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
			ConnectionGeneration generation = this.live.get();
			if (generation.inFlight().acquire()) {
				return generation;
			}
			if (this.closed.get()) {
				throw new RedisException("Redis connection '" + this.name + "' is closed");
			}
			// read just before a swap and closed since: the next read sees its successor
		}
	}

	/**
	 * The generation a command would go to now, not counted.
	 */
	private ConnectionGeneration routed() {
		Pin current = this.pin.get();
		return (current != null) ? current.generation() : this.live.get();
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
	private @Nullable Object route(Method method, @Nullable Object @Nullable [] args,
			Function<StatefulRedisConnection<String, String>, Object> api) throws Throwable {
		ConnectionGeneration issuer = scanCursorIssuer(args);
		ConnectionGeneration generation = (issuer != null) ? acquireForCursor(issuer) : acquire();
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
				return scan ? counted.doOnNext((value) -> issued(value, generation)) : counted;
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
				stage.thenAccept((value) -> issued(value, generation));
			}
			else if (scan) {
				issued(result, generation);
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
		return !this.closed.get() && this.live.get() != generation && generation.neverWrittenSince(state);
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
	 * The generation that issued the SCAN, HSCAN, SSCAN or ZSCAN cursor among the
	 * arguments, if any: a cursor is only meaningful to the server that issued it.
	 */
	private @Nullable ConnectionGeneration scanCursorIssuer(@Nullable Object @Nullable [] args) {
		if (args != null) {
			for (Object arg : args) {
				if (arg instanceof ScanCursor cursor) {
					return this.scanCursors.get(cursor);
				}
			}
		}
		return null;
	}

	/**
	 * Send a command that continues an iteration to the generation that issued its cursor
	 * while that one is open, and fail it clearly once it is closed: sent to the next
	 * server, the cursor would miss keys or return some twice.
	 */
	private ConnectionGeneration acquireForCursor(ConnectionGeneration issuer) {
		if (issuer.inFlight().acquire()) {
			return issuer;
		}
		throw new RedisException("The SCAN cursor was issued by Redis connection '" + this.name + "' generation "
				+ issuer.number() + " (" + issuer.target() + "), which a reload has replaced and closed; restart the "
				+ "iteration from ScanCursor.INITIAL");
	}

	private void issued(@Nullable Object result, ConnectionGeneration generation) {
		if (result instanceof ScanCursor cursor && !cursor.isFinished()) {
			this.scanCursors.put(cursor, generation);
		}
	}

	/**
	 * Route a reactive command at subscription, so that a publisher subscribed late (or
	 * again) goes to the generation live then.
	 */
	@SuppressWarnings("unchecked")
	private Publisher<Object> publisher(Method method, @Nullable Object @Nullable [] args,
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

	private List<ConnectionGeneration> generations() {
		List<ConnectionGeneration> all = new ArrayList<>();
		all.add(this.live.get());
		all.addAll(this.retiring);
		return all;
	}

	private <T> T commands(Class<T> type, Function<StatefulRedisConnection<String, String>, Object> api,
			boolean deferred) {
		return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] { type },
				new Commands(type, api, deferred)));
	}

	// retirement

	private RetireReport retireGeneration(ConnectionGeneration old) {
		long start = System.nanoTime();
		Duration drainTimeout = this.timeouts.get().drain();
		// a disconnected connection has nothing in flight that could complete: closed at
		// once, its unwritten commands go to the live connection
		int cut = old.inFlight().drain(drainTimeout, old::isDead);
		this.pushListeners.forEach(old.connection()::removeListener);
		this.stateListeners.forEach(old.connection()::removeListener);
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
			return route(method, args, this.api);
		}

		private Object publisher(Method method, @Nullable Object @Nullable [] args) {
			return ReloadableRedisConnection.this.publisher(method, args, this.api);
		}

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
			StatefulRedisConnection<String, String> connection = this.candidate.connection();
			Duration timeout = ReloadableRedisConnection.this.timeout;
			if (timeout != null) {
				connection.setTimeout(timeout);
			}
			ReloadableRedisConnection.this.pushListeners.forEach(connection::addListener);
			ReloadableRedisConnection.this.stateListeners.forEach(connection::addListener);
			if (!ReloadableRedisConnection.this.live.compareAndSet(this.previous, this.candidate)) {
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
			if (this.committed.get()
					&& ReloadableRedisConnection.this.live.compareAndSet(this.candidate, this.previous)) {
				// commands may have been sent to the candidate since the commit
				startRetiring(this.candidate);
			}
			else {
				this.candidate.destroy(ReloadableRedisConnection.this.timeouts.get().drain());
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

}

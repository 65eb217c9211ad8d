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

package dev.hotreload.engine;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import dev.hotreload.history.HistoryEntry;
import dev.hotreload.history.ReloadHistory;
import dev.hotreload.resource.ReloadableResource;
import dev.hotreload.source.ConfigSource;
import dev.hotreload.support.SecretSanitizer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.cloud.context.scope.refresh.RefreshScope;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * Runs reloads, one at a time, on a single thread named {@code hotreload-engine}: it
 * serializes, coalesces and records them, and leaves each step to a stage of the pipeline
 * (see {@link Reload}): {@link ChangeSetReader} (read, digest, parse, diff), the
 * {@link ReloadGuard guards}, {@link ResourceTransaction} (prepare all, commit all, roll
 * back in reverse, retire), {@link EnvironmentUpdate} (property sources, rebind, refresh
 * scope) and {@link ReloadRecorder} (history, log, listeners, observation).
 * <p>
 * Requests that arrive while a reload runs are coalesced: requests for the same sources
 * share one pending follow-up reload, which reads the newest content when it starts, or
 * applies the content pushed with the newest of them (a Nacos listener delivers it). A
 * reload's id is given when it is submitted. Pushed changes may wait a random jitter;
 * manual ones never do. Closing the application context waits, up to the shutdown
 * timeout, for the reload that runs.
 * <p>
 * Every error text (a parser's, a driver's) passes through a {@link SecretSanitizer} that
 * knows the credential-like values of the live and the new config before it reaches the
 * history, the log, the listeners or the observation.
 *
 * @author hotreload authors
 */
public final class ReloadEngine implements DisposableBean, ApplicationListener<ContextClosedEvent> {

	private static final Log logger = LogFactory.getLog(ReloadEngine.class);

	private final ApplicationContext context;

	private final ConfigurableEnvironment environment;

	private final Supplier<List<ConfigSource>> sources;

	private final Supplier<List<ReloadableResource>> resources;

	private final Supplier<List<ReloadListener>> listeners;

	private final Supplier<@Nullable RefreshScope> refreshScope;

	private volatile ReloadObservation.Factory observations = (request) -> ReloadObservation.NOOP;

	private final ReloadHistory history;

	private final Supplier<List<ReloadGuard>> guards;

	private volatile Supplier<List<DerivedPropertySource>> derivedSources = List::of;

	private final EnvironmentUpdate environmentUpdate;

	private final BindingSources bindingSources = new BindingSources();

	private final ReloadRecorder recorder;

	private final Duration jitter;

	private final ThreadPoolExecutor executor;

	private final ExecutorService preparer;

	private final Map<CoalescingKey, Queued> pending = new HashMap<>();

	private final Set<Long> unfinished = ConcurrentHashMap.newKeySet();

	private final SourceObservations observed = new SourceObservations();

	private volatile @Nullable Thread engineThread;

	private volatile boolean closing;

	private volatile Duration shutdownTimeout = Duration.ofSeconds(10);

	public ReloadEngine(ApplicationContext context, ConfigurableEnvironment environment,
			Supplier<List<ConfigSource>> sources, Supplier<List<ReloadableResource>> resources,
			Supplier<List<ReloadListener>> listeners, Supplier<@Nullable RefreshScope> refreshScope,
			ReloadHistory history, Supplier<List<ReloadGuard>> guards, Duration jitter) {
		this.context = context;
		this.environment = environment;
		this.sources = sources;
		this.resources = resources;
		this.listeners = listeners;
		this.refreshScope = refreshScope;
		this.history = history;
		this.guards = guards;
		this.environmentUpdate = new EnvironmentUpdate(context, environment, refreshScope, this);
		this.recorder = new ReloadRecorder(history, listeners, this.observed, this::liveSecrets);
		this.jitter = jitter;
		CustomizableThreadFactory threadFactory = new CustomizableThreadFactory("hotreload-engine");
		threadFactory.setDaemon(true);
		CustomizableThreadFactory prepareThreads = new CustomizableThreadFactory("hotreload-prepare-");
		prepareThreads.setDaemon(true);
		this.preparer = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
				prepareThreads);
		this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
				(runnable) -> {
					Thread thread = threadFactory.newThread(runnable);
					this.engineThread = thread;
					return thread;
				});
	}

	/**
	 * Submit a reload. Returns at once; the reload runs on the engine's thread.
	 * @param request the request
	 * @return a future that completes with the reload's history entry
	 */
	public CompletableFuture<HistoryEntry> submit(ReloadRequest request) {
		return start(request).result();
	}

	/**
	 * Submit a reload and return its id with its future, so that a caller that stops
	 * waiting can still tell which history entry will hold its outcome. Returns at once;
	 * the reload runs on the engine's thread.
	 * @param request the request
	 * @return the pending reload
	 */
	public PendingReload start(ReloadRequest request) {
		Queued queued;
		boolean delayed = request.trigger().isPush() && !this.jitter.isZero();
		// a manual reload never joins a push that waits for its jitter
		CoalescingKey key = new CoalescingKey(request.sources(), delayed);
		synchronized (this.pending) {
			if (request.isCoalescable()) {
				Queued waiting = this.pending.get(key);
				if (waiting != null) {
					logger.debug("Coalescing reload request for " + Reload.describeSources(key.sources())
							+ " with a pending one");
					// the newest request wins: it carries the newest pushed content
					waiting.latest().set(request);
					return waiting.reload();
				}
			}
			queued = new Queued(new PendingReload(this.history.nextId(), new CompletableFuture<>()),
					new AtomicReference<>(request), key);
			if (request.isCoalescable()) {
				this.pending.put(key, queued);
			}
		}
		PendingReload reload = queued.reload();
		this.unfinished.add(reload.id());
		reload.result().whenComplete((entry, failure) -> this.unfinished.remove(reload.id()));
		Runnable task = () -> run(queued);
		try {
			long delay = delayed ? ThreadLocalRandom.current().nextLong(this.jitter.toMillis() + 1) : 0;
			if (delay > 0) {
				CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS, this.executor).execute(task);
			}
			else {
				this.executor.execute(task);
			}
		}
		catch (RuntimeException ex) {
			synchronized (this.pending) {
				this.pending.remove(key, queued);
			}
			reload.result().completeExceptionally(ex);
		}
		return reload;
	}

	/**
	 * Whether the reload with the given id was submitted and has not completed yet.
	 * @param id the reload's id
	 * @return whether it is waiting or running
	 */
	public boolean isPending(long id) {
		return this.unfinished.contains(id);
	}

	/**
	 * Set how long closing the application context waits for a reload that runs.
	 * @param shutdownTimeout the time to wait
	 */
	public void setShutdownTimeout(Duration shutdownTimeout) {
		this.shutdownTimeout = shutdownTimeout;
	}

	/**
	 * Derive the given property sources again from each candidate environment.
	 * @param derivedSources the derived property sources
	 */
	public void setDerivedSources(Supplier<List<DerivedPropertySource>> derivedSources) {
		this.derivedSources = derivedSources;
	}

	/**
	 * Observe every reload with the given factory.
	 * @param observations the factory
	 */
	public void setObservations(ReloadObservation.Factory observations) {
		this.observations = observations;
	}

	/**
	 * Return the sources and the content last applied from each.
	 * @return the sources
	 */
	public List<SourceState> sources() {
		return this.observed.states(this.sources.get(), this.environment);
	}

	/**
	 * Return the names of the sources, without asking each for its status.
	 * @return the source names
	 */
	public Set<String> sourceNames() {
		return this.sources.get().stream().map(ConfigSource::name).collect(Collectors.toSet());
	}

	/**
	 * Whether the current thread is the engine's.
	 * @return whether called from a reload
	 */
	public boolean isEngineThread() {
		return Thread.currentThread() == this.engineThread;
	}

	private void run(Queued queued) {
		PendingReload pending = queued.reload();
		CompletableFuture<HistoryEntry> future = pending.result();
		ReloadRequest request;
		synchronized (this.pending) {
			request = queued.latest().get();
			this.pending.remove(queued.key(), queued);
		}
		if (this.closing) {
			future.completeExceptionally(new IllegalStateException("The application context is closing"));
			return;
		}
		Reload reload;
		HistoryEntry entry;
		try {
			reload = new Reload(this, request, pending.id());
			entry = reload.run();
		}
		catch (Throwable ex) {
			if (this.context instanceof ConfigurableApplicationContext configurable && !configurable.isActive()) {
				logger.debug("Reload abandoned: the application context is closing");
			}
			else {
				logger.error("Reload failed unexpectedly; the previous configuration keeps serving",
						liveSecrets().sanitize(ex));
			}
			future.completeExceptionally(liveSecrets().sanitize(ex));
			return;
		}
		HistoryEntry recorded = entry;
		try {
			recorded = this.recorder.record(reload, entry);
		}
		finally {
			future.complete(recorded);
			// what a commit replaced retires whatever failed above
			reload.retireCommitted(this.recorder);
		}
	}

	/**
	 * A sanitizer that knows the secrets of the live environment.
	 */
	SecretSanitizer liveSecrets() {
		SecretSanitizer secrets = SecretSanitizer.of(this.environment.getPropertySources(),
				this.environment::resolvePlaceholders);
		for (DerivedPropertySource derived : this.derivedSources.get()) {
			// every derived value is a secret: a plain value of a cipher
			if (this.environment.getPropertySources()
				.get(derived.name()) instanceof EnumerablePropertySource<?> enumerable) {
				secrets = secrets.with(SecretSanitizer.ofValues(Arrays.stream(enumerable.getPropertyNames())
					.map(enumerable::getProperty)
					.filter(Objects::nonNull)
					.map(Object::toString)
					.toList()));
			}
		}
		return secrets;
	}

	ReloadObservation startObservation(ReloadRequest request) {
		try {
			return this.observations.start(request);
		}
		catch (RuntimeException ex) {
			logger.warn("Starting the reload's observation failed", ex);
			return ReloadObservation.NOOP;
		}
	}

	// What the stages of a reload use

	ConfigurableEnvironment environment() {
		return this.environment;
	}

	List<ConfigSource> configSources() {
		return this.sources.get();
	}

	List<ReloadableResource> resources() {
		return this.resources.get();
	}

	List<ReloadGuard> guards() {
		return this.guards.get();
	}

	List<DerivedPropertySource> derivedSources() {
		return this.derivedSources.get();
	}

	ExecutorService preparer() {
		return this.preparer;
	}

	EnvironmentUpdate environmentUpdate() {
		return this.environmentUpdate;
	}

	BindingSources bindingSources() {
		return this.bindingSources;
	}

	boolean isClosing() {
		return this.closing;
	}

	@Override
	public void onApplicationEvent(ContextClosedEvent event) {
		if (event.getApplicationContext() == this.context) {
			shutdown();
		}
	}

	@Override
	public void destroy() {
		shutdown();
	}

	/**
	 * Stop taking reloads and wait, up to the shutdown timeout, for the one that runs: it
	 * applies nothing once the context is closing and closes its candidates, before the
	 * resources are closed with the context.
	 */
	private void shutdown() {
		this.closing = true;
		this.executor.shutdown();
		try {
			if (!this.executor.awaitTermination(this.shutdownTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
				logger.warn("A reload still ran " + this.shutdownTimeout.toMillis()
						+ " ms (hotreload.shutdown-timeout) after the application context began to close; interrupting it");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.executor.shutdownNow();
		this.preparer.shutdownNow();
	}

	/**
	 * A reload waiting to run and the newest request coalesced into it.
	 */
	private record Queued(PendingReload reload, AtomicReference<ReloadRequest> latest, CoalescingKey key) {

	}

	/**
	 * What requests must share to be coalesced into one reload: the same sources, and the
	 * same wait before they run.
	 */
	private record CoalescingKey(List<String> sources, boolean delayed) {

	}

}

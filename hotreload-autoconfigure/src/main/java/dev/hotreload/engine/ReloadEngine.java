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

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import dev.hotreload.guard.VersionGuard;
import dev.hotreload.history.ChangeType;
import dev.hotreload.history.ChangedKey;
import dev.hotreload.history.HistoryEntry;
import dev.hotreload.history.ReloadHistory;
import dev.hotreload.history.ReloadOutcome;
import dev.hotreload.history.ResourceResult;
import dev.hotreload.history.ResourceResult.State;
import dev.hotreload.resource.PreparedChange;
import dev.hotreload.resource.ReloadContext;
import dev.hotreload.resource.ReloadableResource;
import dev.hotreload.resource.RetireReport;
import dev.hotreload.source.ConfigContent;
import dev.hotreload.source.ConfigParser;
import dev.hotreload.source.ConfigSource;
import dev.hotreload.source.SourcePropertySource;
import dev.hotreload.support.SecretSanitizer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.boot.origin.OriginTrackedValue;
import org.springframework.cloud.context.properties.ConfigurationPropertiesBeans;
import org.springframework.cloud.context.properties.ConfigurationPropertiesRebinder;
import org.springframework.cloud.context.scope.refresh.RefreshScope;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.util.StringUtils;

/**
 * Runs reloads, one at a time, on a single thread named {@code hotreload-engine}.
 * <p>
 * A reload reads the requested sources, digests their bytes (equal to the live digest:
 * {@link ReloadOutcome#NO_CHANGE}), parses them, diffs them against the live keys, checks
 * the version guard, prepares every affected resource against a candidate environment,
 * then commits: the sources' property sources are replaced, every prepared resource
 * swaps, an {@link HotReloadEnvironmentChangeEvent} rebinds
 * {@code @ConfigurationProperties} beans and {@code @RefreshScope} beans are refreshed.
 * If any resource fails to prepare, nothing is committed. Old resource instances retire
 * in the background; the history entry is updated when they are closed.
 * <p>
 * Requests that arrive while a reload runs are coalesced: requests for the same sources
 * share one pending follow-up reload, which reads the newest content when it starts, or
 * applies the content pushed with the newest of them (a Nacos listener delivers it). A
 * reload's id is given when it is submitted.
 * <p>
 * A source that suddenly becomes empty or keeps fewer than half of its live keys may have
 * been caught mid-write: it is read again after its {@link ConfigSource#settleTime()
 * quiet period} and applied only if it stays so. Every error text (a parser's, a
 * driver's) passes through a {@link SecretSanitizer} that knows the credential-like
 * values of the live and the new config before it reaches the history, the log, the
 * listeners or the observation; the log line names at most five changed keys and a count.
 *
 * @author hotreload authors
 */
public final class ReloadEngine implements DisposableBean, ApplicationListener<ContextClosedEvent> {

	private static final Log logger = LogFactory.getLog(ReloadEngine.class);

	private static final String CONFIGURATION_PROPERTIES_SOURCE = "configurationProperties";

	/**
	 * How many times a source that suddenly loses most of its keys is read again.
	 */
	private static final int CONFIRM_ATTEMPTS = 3;

	private final ApplicationContext context;

	private final ConfigurableEnvironment environment;

	private final Supplier<List<ConfigSource>> sources;

	private final Supplier<List<ReloadableResource>> resources;

	private final Supplier<List<ReloadListener>> listeners;

	private final Supplier<@Nullable RefreshScope> refreshScope;

	private volatile ReloadObservation.Factory observations = (request) -> ReloadObservation.NOOP;

	private final ReloadHistory history;

	private final VersionGuard versionGuard;

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
			ReloadHistory history, VersionGuard versionGuard, Duration jitter) {
		this.context = context;
		this.environment = environment;
		this.sources = sources;
		this.resources = resources;
		this.listeners = listeners;
		this.refreshScope = refreshScope;
		this.history = history;
		this.versionGuard = versionGuard;
		this.jitter = jitter;
		CustomizableThreadFactory threadFactory = new CustomizableThreadFactory("hotreload-engine");
		threadFactory.setDaemon(true);
		CustomizableThreadFactory prepareThreads = new CustomizableThreadFactory("hotreload-prepare-");
		prepareThreads.setDaemon(true);
		this.preparer = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS,
				new java.util.concurrent.SynchronousQueue<>(), prepareThreads);
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
					logger.debug(
							"Coalescing reload request for " + describeSources(key.sources()) + " with a pending one");
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
		List<SourceState> states = new ArrayList<>();
		for (ConfigSource source : this.sources.get()) {
			SourcePropertySource live = livePropertySource(source);
			states.add(new SourceState(source.name(), source.location(), source.format(),
					(live != null) ? live.getDigest() : null, (live != null) ? live.getLastModified() : null,
					(live != null) ? live.getPropertyNames().length : 0, source.status(), current(source, live),
					this.observed.lastRejection(source.name())));
		}
		return states;
	}

	/**
	 * What the source holds now if it can tell cheaply, else what a reload last read.
	 */
	private SourceState.@Nullable Current current(ConfigSource source, @Nullable SourcePropertySource live) {
		SourceState.Current read = this.observed.current(source.name());
		ConfigContent now;
		try {
			now = source.peek().orElse(null);
		}
		catch (RuntimeException ex) {
			now = null;
		}
		if (now == null) {
			return read;
		}
		String digest = ConfigParser.sha256(now.bytes());
		Integer keys = (!now.exists()) ? Integer.valueOf(0)
				: (live != null && digest.equals(live.getDigest())) ? Integer.valueOf(live.getPropertyNames().length)
						: (read != null && digest.equals(read.digest())) ? read.keys() : null;
		return new SourceState.Current(digest, keys, now.exists(), Instant.now());
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
			reload = new Reload(request, pending.id());
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
		AtomicReference<HistoryEntry> recorded = new AtomicReference<>(entry);
		try {
			quietly("recording reload #" + entry.id() + " in the history",
					() -> recorded.set(this.history.record(entry)));
			quietly("recording what reload #" + entry.id() + " read",
					() -> this.observed.reloaded(entry, reload.readSources));
			log(entry);
			notifyListeners((listener) -> listener.reloaded(entry));
			quietly("stopping the observation of reload #" + entry.id(), () -> reload.observation.stop(entry));
		}
		finally {
			future.complete(recorded.get());
			// what a commit replaced retires whatever failed above
			reload.toRetire.forEach(reload::retire);
		}
	}

	private void quietly(String what, Runnable action) {
		try {
			action.run();
		}
		catch (RuntimeException ex) {
			logger.warn(StringUtils.capitalize(what) + " failed", liveSecrets().sanitize(ex));
		}
	}

	/**
	 * Rebind, each on its own, the {@code @ConfigurationProperties} beans the changed
	 * keys can affect (see {@link AffectedBeans}), tell the application's
	 * {@code EnvironmentChangeEvent} listeners, and refresh the refresh scope, each
	 * whatever the others did, so that one failing bean neither keeps the others on their
	 * old values nor skips the refresh. The whole refresh scope is refreshed: which keys
	 * a scoped bean reads ({@code @Value}, the {@code Environment}) cannot be told.
	 * @return what failed, naming each bean, or {@code null}
	 */
	private @Nullable String rebindAndRefresh(Set<String> keys, SecretSanitizer secrets) {
		List<String> failures = new ArrayList<>();
		ConfigurationPropertiesRebinder rebinder = this.context.getBeanProvider(ConfigurationPropertiesRebinder.class)
			.getIfAvailable();
		ConfigurationPropertiesBeans beans = this.context.getBeanProvider(ConfigurationPropertiesBeans.class)
			.getIfAvailable();
		boolean rebound = rebinder != null && beans != null;
		if (rebound) {
			for (String name : AffectedBeans.select(this.context, beans.getBeanNames(), keys)) {
				try {
					rebinder.rebind(name);
				}
				catch (RuntimeException ex) {
					failures.add("@ConfigurationProperties bean '" + name + "': " + mostSpecificMessage(ex));
				}
			}
		}
		try {
			// from the engine when it rebound the beans itself, so that Spring Cloud's
			// rebinder does not rebind them again (and stop at the first that fails)
			this.context.publishEvent((rebound ? new HotReloadEnvironmentChangeEvent((Object) this, keys)
					: new HotReloadEnvironmentChangeEvent(this.context, keys)));
		}
		catch (RuntimeException ex) {
			failures.add("EnvironmentChangeEvent listener: " + mostSpecificMessage(ex));
		}
		RefreshScope refreshScope = this.refreshScope.get();
		if (refreshScope != null) {
			try {
				refreshScope.refreshAll();
			}
			catch (RuntimeException ex) {
				failures.add("@RefreshScope: " + mostSpecificMessage(ex));
			}
		}
		if (failures.isEmpty()) {
			return null;
		}
		// the environment and the resources already serve the change: keep it
		String error = secrets
			.sanitize("Applied, but rebinding @ConfigurationProperties or refreshing @RefreshScope beans failed: "
					+ String.join("; ", failures) + "; beans that failed keep their previous values");
		logger.warn(error);
		return error;
	}

	private void log(HistoryEntry entry) {
		String digest = (entry.digest() != null) ? entry.digest().substring(0, 8) : "-";
		String keys = entry.changedKeys().isEmpty() ? "no keys changed" : entry.changedKeyCount() + " keys changed ["
				+ KeyList.describe(entry.changedKeys().stream().map(ChangedKey::key).toList(), entry.changedKeyCount())
				+ "]";
		String line = "Reload #" + entry.id() + " " + entry.outcome() + " from " + entry.source() + " (trigger "
				+ entry.trigger() + ", digest " + digest + ", " + keys + ") in " + entry.durationMs() + " ms "
				+ entry.phases() + ((entry.error() != null) ? ": " + entry.error() : "");
		switch (entry.outcome()) {
			case APPLIED, NO_CHANGE, VALIDATED -> logger.info(line);
			default -> logger.warn(line);
		}
	}

	private void notifyListeners(java.util.function.Consumer<ReloadListener> action) {
		for (ReloadListener listener : this.listeners.get()) {
			try {
				action.accept(listener);
			}
			catch (RuntimeException ex) {
				logger.warn("Reload listener " + listener + " failed", liveSecrets().sanitize(ex));
			}
		}
	}

	private @Nullable SourcePropertySource livePropertySource(ConfigSource source) {
		PropertySource<?> propertySource = this.environment.getPropertySources().get(source.propertySourceName());
		return (propertySource instanceof SourcePropertySource live) ? live : null;
	}

	/**
	 * A sanitizer that knows the secrets of the live environment.
	 */
	private SecretSanitizer liveSecrets() {
		return SecretSanitizer.of(this.environment.getPropertySources(), this.environment::resolvePlaceholders);
	}

	private static String describeSources(List<String> names) {
		return names.isEmpty() ? "all sources" : String.join(", ", names);
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
	 * One reload, run on the engine's thread.
	 */
	private final class Reload {

		private final ReloadRequest request;

		private final long id;

		private final Instant timestamp = Instant.now();

		private final long start = System.nanoTime();

		private long phaseStart = this.start;

		private final Map<String, Long> phases = new LinkedHashMap<>();

		private String sourceName;

		private @Nullable String digest;

		private @Nullable String previousDigest;

		private List<ChangedKey> changedKeys = List.of();

		private final List<ResourceResult> resourceResults = new ArrayList<>();

		private final Map<ReloadableResource, PreparedChange> toRetire = new LinkedHashMap<>();

		private final ReloadObservation observation;

		/**
		 * Knows the secrets of the live environment and, once read, of the new content:
		 * every error of this reload passes through it.
		 */
		private SecretSanitizer secrets;

		/**
		 * What this reload read from each source, for the endpoint.
		 */
		private final Map<String, SourceState.Current> readSources = new LinkedHashMap<>();

		/**
		 * Sources whose content is gone (a deleted data-id).
		 */
		private final List<String> deleted = new ArrayList<>();

		Reload(ReloadRequest request, long id) {
			this.request = request;
			this.secrets = liveSecrets();
			this.observation = startObservation(request);
			this.id = id;
			this.sourceName = (request.externalKeys() != null) ? "spring-cloud" : describeSources(request.sources());
		}

		HistoryEntry run() {
			if (this.request.externalKeys() != null) {
				return followExternalChange(this.request.externalKeys());
			}
			List<ConfigSource> selected = selectSources();
			if (selected == null) {
				return entry(ReloadOutcome.REJECTED, "Unknown source '" + String.join(", ", this.request.sources())
						+ "'; known sources: " + knownSources());
			}
			if (selected.isEmpty()) {
				return entry(ReloadOutcome.NO_CHANGE, null);
			}
			this.sourceName = selected.stream().map(ConfigSource::name).collect(Collectors.joining(", "));
			// Read and digest
			Map<ConfigSource, ConfigContent> contents = new LinkedHashMap<>();
			Map<ConfigSource, String> digests = new LinkedHashMap<>();
			for (ConfigSource source : selected) {
				try {
					ConfigContent content = (this.request.content() != null && selected.size() == 1)
							? this.request.content() : source.read();
					contents.put(source, content);
					digests.put(source, ConfigParser.sha256(content.bytes()));
					this.secrets = this.secrets.with(SecretSanitizer.ofContent(content.bytes()));
					read(source, content, null);
				}
				catch (Exception ex) {
					return entry(ReloadOutcome.REJECTED, "Could not read " + source.name() + " (" + source.location()
							+ "): " + message(ex) + "; the previous configuration keeps serving");
				}
			}
			phase("read");
			if (selected.size() == 1) {
				ConfigSource only = selected.get(0);
				this.digest = digests.get(only);
				SourcePropertySource live = livePropertySource(only);
				this.previousDigest = (live != null) ? live.getDigest() : null;
			}
			String expected = this.request.expectedDigest();
			if (expected != null) {
				if (selected.size() != 1) {
					return entry(ReloadOutcome.REJECTED,
							"expectedDigest needs a single source; name one with 'source'");
				}
				if (!expected.equalsIgnoreCase(Objects.requireNonNull(this.digest))) {
					return entry(ReloadOutcome.REJECTED,
							"Content of " + this.sourceName + " has digest " + this.digest + ", not the expected "
									+ expected + "; re-read the source and retry with its current digest");
				}
			}
			Map<ConfigSource, String> changed = new LinkedHashMap<>();
			digests.forEach((source, digest) -> {
				SourcePropertySource live = livePropertySource(source);
				if (live == null || !digest.equals(live.getDigest())) {
					changed.put(source, digest);
				}
			});
			if (changed.isEmpty()) {
				return entry(ReloadOutcome.NO_CHANGE, null);
			}
			if (changed.size() == 1 && selected.size() > 1) {
				ConfigSource only = changed.keySet().iterator().next();
				this.sourceName = only.name();
				this.digest = changed.get(only);
				SourcePropertySource live = livePropertySource(only);
				this.previousDigest = (live != null) ? live.getDigest() : null;
			}
			// Parse and diff
			Map<String, SourcePropertySource> replacements = new LinkedHashMap<>();
			Set<String> keys = new LinkedHashSet<>();
			for (Map.Entry<ConfigSource, String> change : changed.entrySet()) {
				ConfigSource source = change.getKey();
				ConfigContent content = contents.get(source);
				String digest = change.getValue();
				SourcePropertySource live = livePropertySource(source);
				Map<String, Object> properties;
				try {
					properties = ConfigParser.parse(source.name(), source.format(), content.bytes());
					read(source, content, properties.size());
					// A source that suddenly becomes empty or loses most of its keys may
					// be
					// caught mid-write: applied only if it stays so after its quiet
					// period
					for (int attempt = 0; attempt < CONFIRM_ATTEMPTS && expected == null
							&& losesMostKeys(live, properties); attempt++) {
						ConfigContent again = confirm(source);
						String againDigest = ConfigParser.sha256(again.bytes());
						if (againDigest.equals(digest)) {
							break;
						}
						logger.debug("Content of " + source.name() + " changed while it was being read; using the"
								+ " newer content");
						content = again;
						digest = againDigest;
						this.secrets = this.secrets.with(SecretSanitizer.ofContent(content.bytes()));
						read(source, content, null);
						properties = ConfigParser.parse(source.name(), source.format(), content.bytes());
						read(source, content, properties.size());
					}
				}
				catch (ConfigParser.InvalidConfigException ex) {
					return entry(ReloadOutcome.REJECTED,
							ex.getMessage() + "; the previous configuration keeps serving");
				}
				catch (IOException ex) {
					return entry(ReloadOutcome.REJECTED, "Could not read " + source.name() + " (" + source.location()
							+ "): " + message(ex) + "; the previous configuration keeps serving");
				}
				if (changed.size() == 1) {
					this.digest = digest;
				}
				if (live != null && digest.equals(live.getDigest())) {
					// read again, it is back to the live content
					continue;
				}
				if (!content.exists()) {
					this.deleted.add(source.describe());
				}
				SourcePropertySource replacement = new SourcePropertySource(source, properties, digest,
						content.lastModified());
				replacements.put(replacement.getName(), replacement);
				diff(live, replacement, keys);
			}
			if (replacements.isEmpty()) {
				return entry(ReloadOutcome.NO_CHANGE, null);
			}
			MutablePropertySources candidate = candidatePropertySources(replacements);
			PropertySourcesPlaceholdersResolver placeholders = new PropertySourcesPlaceholdersResolver(candidate);
			this.secrets = this.secrets.with(SecretSanitizer.of(replacements.values(), (value) -> {
				Object resolved = placeholders.resolvePlaceholders(value);
				return (resolved != null) ? resolved.toString() : null;
			}));
			this.changedKeys = effectiveChanges(keys, candidate);
			phase("parse");
			// Guard
			for (SourcePropertySource replacement : replacements.values()) {
				Object requirement = replacement.getProperty(VersionGuard.REQUIRE_VERSION_PROPERTY);
				VersionGuard.Verdict verdict = ReloadEngine.this.versionGuard
					.check((requirement != null) ? requirement.toString() : null);
				if (!verdict.accepted()) {
					return entry(ReloadOutcome.VERSION_MISMATCH,
							verdict.reason() + "; nothing was applied from " + replacement.getSourceName());
				}
			}
			phase("guard");
			Set<String> changedNames = this.changedKeys.stream()
				.map(ChangedKey::key)
				.collect(Collectors.toCollection(LinkedHashSet::new));
			Binder binder = new Binder(ConfigurationPropertySources.from(candidate),
					new PropertySourcesPlaceholdersResolver(candidate),
					ApplicationConversionService.getSharedInstance());
			ReloadContext reloadContext = new ReloadContext(binder, changedNames, this.request.trigger(),
					this.request.dryRun(), false, this.secrets);
			return prepareAndCommit(reloadContext, () -> {
				MutablePropertySources live = ReloadEngine.this.environment.getPropertySources();
				Map<String, @Nullable PropertySource<?>> previous = new LinkedHashMap<>();
				for (SourcePropertySource replacement : replacements.values()) {
					previous.put(replacement.getName(), live.get(replacement.getName()));
					SourcePropertySource.addToEnvironment(live, replacement);
				}
				return () -> previous.forEach((name, propertySource) -> {
					if (propertySource != null) {
						live.replace(name, propertySource);
					}
					else {
						live.remove(name);
					}
				});
			}, changedNames);
		}

		private HistoryEntry followExternalChange(Set<String> keys) {
			this.changedKeys = keys.stream().sorted().map((key) -> {
				Object value = ReloadEngine.this.environment.getProperty(key);
				return new ChangedKey(key, (value != null) ? ChangeType.MODIFIED : ChangeType.REMOVED, null, value);
			}).toList();
			phase("read");
			Binder binder = Binder.get(ReloadEngine.this.environment);
			ReloadContext reloadContext = new ReloadContext(binder, keys, this.request.trigger(), false, true,
					this.secrets);
			// Spring Cloud already changed the environment and rebound beans: only the
			// resources follow.
			return prepareAndCommit(reloadContext, () -> () -> {
			}, Set.of());
		}

		private HistoryEntry prepareAndCommit(ReloadContext reloadContext, EnvironmentSwap environmentSwap,
				Set<String> eventKeys) {
			List<ReloadableResource> resources = ReloadEngine.this.resources.get();
			Map<ReloadableResource, PreparedChange> prepared = new LinkedHashMap<>();
			List<CompletableFuture<@Nullable PreparedChange>> preparing = prepareAll(resources, reloadContext);
			ReloadableResource failed = null;
			String reason = null;
			for (int i = 0; i < resources.size(); i++) {
				ReloadableResource resource = resources.get(i);
				try {
					PreparedChange change = preparing.get(i).join();
					if (change != null) {
						prepared.put(resource, change);
						this.resourceResults.add(ResourceResult.of(resource.name(), resource.type(),
								change.description(), change.generation(), State.VALIDATED, null));
					}
				}
				catch (RuntimeException ex) {
					String message = message(ex);
					this.resourceResults.add(ResourceResult.of(resource.name(), resource.type(), "validate",
							resource.describe().generation(), State.FAILED, message));
					if (failed == null) {
						failed = resource;
						reason = message;
					}
				}
			}
			if (failed != null) {
				discard(prepared);
				phase("validate");
				return entry(ReloadOutcome.REJECTED,
						"Rejected change to " + describeKeys() + " from " + this.sourceName + ": " + deletedNote()
								+ failed.type() + " resource '" + failed.name() + "': " + reason
								+ "; the previous configuration keeps serving");
			}
			phase("validate");
			if (this.request.dryRun()) {
				discard(prepared);
				markAll(State.VALIDATED);
				return entry(ReloadOutcome.VALIDATED, null);
			}
			if (this.request.externalKeys() != null && this.changedKeys.isEmpty()) {
				return entry(ReloadOutcome.NO_CHANGE, null);
			}
			if (ReloadEngine.this.closing) {
				discard(prepared);
				return entry(ReloadOutcome.REJECTED,
						"The application context is closing; nothing of this change was applied");
			}
			// Commit: environment first, then every resource; undo all on failure
			Runnable restoreEnvironment = environmentSwap.apply();
			List<PreparedChange> committed = new ArrayList<>();
			for (Map.Entry<ReloadableResource, PreparedChange> change : prepared.entrySet()) {
				try {
					change.getValue().commit();
					committed.add(change.getValue());
				}
				catch (Exception ex) {
					List<String> failedRollbacks = new ArrayList<>();
					for (int i = committed.size() - 1; i >= 0; i--) {
						if (!rollbackQuietly(committed.get(i))) {
							failedRollbacks.add(committed.get(i).description());
						}
					}
					prepared.values().forEach(ReloadEngine.this::rollbackQuietly);
					restoreEnvironment.run();
					markAll(State.ROLLED_BACK);
					if (!failedRollbacks.isEmpty()) {
						markRollbackFailures(prepared, failedRollbacks);
					}
					phase("swap");
					return entry(ReloadOutcome.ROLLED_BACK,
							"Could not swap " + change.getKey().type() + " resource '" + change.getKey().name() + "': "
									+ message(ex) + "; every change of this reload was undone");
				}
			}
			for (int i = 0; i < this.resourceResults.size(); i++) {
				this.resourceResults.set(i, this.resourceResults.get(i).withState(State.RETIRING));
			}
			// committed: whatever happens from here, the old instances retire
			this.toRetire.putAll(prepared);
			String beansError = eventKeys.isEmpty() ? null : rebindAndRefresh(eventKeys, this.secrets);
			phase("swap");
			return entry(ReloadOutcome.APPLIED, beansError);
		}

		private void retire(ReloadableResource resource, PreparedChange change) {
			CompletableFuture<RetireReport> retiring;
			try {
				retiring = change.retire();
			}
			catch (RuntimeException ex) {
				retiring = CompletableFuture.failedFuture(ex);
			}
			long id = this.id;
			ReloadObservation child = this.observation.retire(resource.name());
			retiring.whenComplete((report, failure) -> {
				RetireReport result = (report != null) ? report
						: new RetireReport(Duration.ZERO, 0, List.of(), "retire failed: " + message(failure));
				retired(id, resource, result, child, this.secrets);
			});
		}

		private void markRollbackFailures(Map<ReloadableResource, PreparedChange> prepared, List<String> failed) {
			prepared.forEach((resource, change) -> {
				if (failed.contains(change.description())) {
					this.resourceResults.replaceAll((result) -> result.name().equals(resource.name())
							? new ResourceResult(result.name(), result.type(), result.action(), result.generation(),
									State.ROLLBACK_FAILED, null, 0, List.of(), "rollback failed; restart the instance")
							: result);
				}
			});
		}

		private void markAll(State state) {
			this.resourceResults.replaceAll((result) -> result.withState(state));
		}

		private void discard(Map<ReloadableResource, PreparedChange> prepared) {
			prepared.values().forEach(ReloadEngine.this::rollbackQuietly);
			for (int i = 0; i < this.resourceResults.size(); i++) {
				ResourceResult result = this.resourceResults.get(i);
				if (result.state() == State.VALIDATED && !this.request.dryRun()) {
					this.resourceResults.set(i, result.withState(State.DISCARDED));
				}
			}
		}

		private @Nullable List<ConfigSource> selectSources() {
			List<ConfigSource> all = ReloadEngine.this.sources.get();
			if (this.request.sources().isEmpty()) {
				return all;
			}
			List<ConfigSource> selected = new ArrayList<>();
			for (String name : this.request.sources()) {
				ConfigSource match = all.stream()
					.filter((source) -> source.name().equals(name))
					.findFirst()
					.orElse(null);
				if (match == null) {
					return null;
				}
				selected.add(match);
			}
			return selected;
		}

		private String knownSources() {
			List<ConfigSource> all = ReloadEngine.this.sources.get();
			return all.isEmpty() ? "none" : all.stream().map(ConfigSource::name).collect(Collectors.joining(", "));
		}

		private String describeKeys() {
			if (this.changedKeys.isEmpty()) {
				return "no keys";
			}
			List<String> names = this.changedKeys.stream().map(ChangedKey::key).toList();
			return KeyList.describe(names, names.size());
		}

		private String deletedNote() {
			return this.deleted.isEmpty() ? "" : String.join(", ", this.deleted) + " was deleted; ";
		}

		/**
		 * Wait for the source's quiet period and read it again.
		 */
		private ConfigContent confirm(ConfigSource source) throws IOException {
			Duration quiet = source.settleTime();
			if (!quiet.isZero() && !quiet.isNegative()) {
				try {
					Thread.sleep(quiet.toMillis());
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					throw new java.io.InterruptedIOException(
							"interrupted while waiting for " + source.name() + " to settle");
				}
			}
			return source.read();
		}

		private void read(ConfigSource source, ConfigContent content, @Nullable Integer keys) {
			String digest = ConfigParser.sha256(content.bytes());
			SourcePropertySource live = livePropertySource(source);
			Integer count = (keys == null && live != null && digest.equals(live.getDigest()))
					? Integer.valueOf(live.getPropertyNames().length) : keys;
			this.readSources.put(source.name(),
					new SourceState.Current(digest, count, content.exists(), Instant.now()));
		}

		private void phase(String name) {
			long now = System.nanoTime();
			this.phases.merge(name, TimeUnit.NANOSECONDS.toMillis(now - this.phaseStart), Long::sum);
			this.phaseStart = now;
			try {
				this.observation.phase(name);
			}
			catch (RuntimeException ex) {
				logger.warn("Recording phase '" + name + "' of reload #" + this.id + " in its observation failed",
						this.secrets.sanitize(ex));
			}
		}

		private HistoryEntry entry(ReloadOutcome outcome, @Nullable String error) {
			long duration = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - this.start);
			List<ResourceResult> results = this.resourceResults.stream()
				.map((result) -> (result.error() != null) ? result.withError(this.secrets.sanitize(result.error()))
						: result)
				.toList();
			return new HistoryEntry(this.id, this.timestamp, this.request.trigger().toString(), this.sourceName,
					outcome, this.request.dryRun(), this.digest, this.previousDigest, this.changedKeys, this.phases,
					duration, results, this.secrets.sanitize(error));
		}

	}

	/**
	 * Prepare every resource at once, so that a change to a DataSource and a Redis client
	 * takes as long as the slower of the two. Each resource bounds its own validation
	 * with its timeout.
	 */
	private List<CompletableFuture<@Nullable PreparedChange>> prepareAll(List<ReloadableResource> resources,
			ReloadContext context) {
		List<CompletableFuture<@Nullable PreparedChange>> futures = new ArrayList<>(resources.size());
		for (ReloadableResource resource : resources) {
			Supplier<@Nullable PreparedChange> prepare = () -> {
				try {
					return resource.prepare(context);
				}
				catch (Exception ex) {
					throw new java.util.concurrent.CompletionException(ex);
				}
			};
			futures.add(
					(resources.size() == 1) ? CompletableFuture.completedFuture(null).thenApply((none) -> prepare.get())
							: CompletableFuture.supplyAsync(prepare, this.preparer));
		}
		CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).exceptionally((ex) -> null).join();
		return futures;
	}

	private ReloadObservation startObservation(ReloadRequest request) {
		try {
			return this.observations.start(request);
		}
		catch (RuntimeException ex) {
			logger.warn("Starting the reload's observation failed", ex);
			return ReloadObservation.NOOP;
		}
	}

	private void retired(long id, ReloadableResource resource, RetireReport report, ReloadObservation observation,
			SecretSanitizer secrets) {
		this.history
			.update(id,
					(entry) -> entry.withResource(resource.name(),
							(result) -> (report == RetireReport.NOTHING) ? result.withState(State.APPLIED)
									: result.retired(report.duration().toMillis(), report.connectionsCut(),
											report.leaks(), secrets.sanitize(report.error()))))
			.ifPresent((entry) -> entry.resources()
				.stream()
				.filter((result) -> result.name().equals(resource.name()))
				.findFirst()
				.ifPresent((result) -> {
					if (!report.isClean()) {
						logger
							.warn("Retired " + resource.type() + " resource '" + resource.name() + "' of reload #" + id
									+ " uncleanly: " + report.connectionsCut() + " connections cut at the drain timeout"
									+ (report.leaks().isEmpty() ? "" : ", leaked " + report.leaks())
									+ ((report.error() != null) ? ", " + secrets.sanitize(report.error()) : ""));
					}
					notifyListeners((listener) -> listener.retired(entry, result));
					observation.stop(entry);
				}));
	}

	private MutablePropertySources candidatePropertySources(Map<String, SourcePropertySource> replacements) {
		MutablePropertySources candidate = new MutablePropertySources();
		for (PropertySource<?> propertySource : this.environment.getPropertySources()) {
			if (CONFIGURATION_PROPERTIES_SOURCE.equals(propertySource.getName())) {
				continue;
			}
			PropertySource<?> replacement = replacements.get(propertySource.getName());
			candidate.addLast((replacement != null) ? replacement : propertySource);
		}
		for (SourcePropertySource replacement : replacements.values()) {
			if (!candidate.contains(replacement.getName())) {
				SourcePropertySource.addToEnvironment(candidate, replacement);
			}
		}
		return candidate;
	}

	/**
	 * Add the keys a source's new content adds, changes or removes. Their recorded values
	 * are the effective ones (see {@link #effectiveChanges}), so a key overridden by a
	 * higher source is still listed: its value did not change, but its source did.
	 */
	private static void diff(@Nullable SourcePropertySource live, SourcePropertySource replacement, Set<String> keys) {
		Map<String, Object> before = (live != null) ? live.getSource() : Map.of();
		Map<String, Object> after = replacement.getSource();
		after.forEach((key, value) -> {
			if (!Objects.equals(unwrap(before.get(key)), unwrap(value))) {
				keys.add(key);
			}
		});
		before.keySet().stream().filter((key) -> !after.containsKey(key)).forEach(keys::add);
	}

	private List<ChangedKey> effectiveChanges(Set<String> keys, MutablePropertySources candidate) {
		List<ChangedKey> result = new ArrayList<>();
		for (String key : keys) {
			Object before = lookup(this.environment.getPropertySources(), key);
			Object after = lookup(candidate, key);
			ChangeType type = (before == null) ? ChangeType.ADDED
					: (after == null) ? ChangeType.REMOVED : ChangeType.MODIFIED;
			result.add(new ChangedKey(key, type, before, after));
		}
		result.sort((a, b) -> a.key().compareTo(b.key()));
		return result;
	}

	private static @Nullable Object lookup(Iterable<PropertySource<?>> propertySources, String key) {
		for (PropertySource<?> propertySource : propertySources) {
			if (!CONFIGURATION_PROPERTIES_SOURCE.equals(propertySource.getName())) {
				Object value = propertySource.getProperty(key);
				if (value != null) {
					return unwrap(value);
				}
			}
		}
		return null;
	}

	private static @Nullable Object unwrap(@Nullable Object value) {
		return (value instanceof OriginTrackedValue tracked) ? tracked.getValue() : value;
	}

	private boolean rollbackQuietly(PreparedChange change) {
		try {
			change.rollback();
			return true;
		}
		catch (RuntimeException ex) {
			logger.warn("Rolling back '" + change.description() + "' failed", liveSecrets().sanitize(ex));
			return false;
		}
	}

	/**
	 * The message of the most specific cause, which says why binding failed rather than
	 * that it did.
	 */
	private static String mostSpecificMessage(Throwable ex) {
		return message(NestedExceptionUtils.getMostSpecificCause(ex));
	}

	/**
	 * Whether new content leaves a source with none, or fewer than half, of its live
	 * keys.
	 */
	private static boolean losesMostKeys(@Nullable SourcePropertySource live, Map<String, Object> properties) {
		int before = (live != null) ? live.getPropertyNames().length : 0;
		return before > 0 && properties.size() * 2 < before;
	}

	private static String message(@Nullable Throwable ex) {
		if (ex == null) {
			return "unknown error";
		}
		Throwable cause = ex;
		while (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
			cause = cause.getCause();
		}
		String message = cause.getMessage();
		return (message != null && !message.isBlank()) ? message.replace('\n', ' ').trim()
				: cause.getClass().getSimpleName();
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

	/**
	 * Applies the candidate property sources to the live environment and returns how to
	 * undo it.
	 */
	@FunctionalInterface
	private interface EnvironmentSwap {

		Runnable apply();

	}

}

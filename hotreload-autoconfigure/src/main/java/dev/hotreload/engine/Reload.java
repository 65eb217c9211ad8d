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
import java.io.InterruptedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import dev.hotreload.history.ChangeType;
import dev.hotreload.history.ChangedKey;
import dev.hotreload.history.HistoryEntry;
import dev.hotreload.history.ReloadOutcome;
import dev.hotreload.history.ResourceResult;
import dev.hotreload.history.ResourceResult.State;
import dev.hotreload.resource.ErrorMessages;
import dev.hotreload.resource.ReloadContext;
import dev.hotreload.source.ConfigContent;
import dev.hotreload.source.ConfigSource;
import dev.hotreload.source.SourcePropertySource;
import dev.hotreload.support.SecretSanitizer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.Binder;

/**
 * One reload, run on the engine's thread through the stages of the pipeline: a
 * {@link ChangeSetReader} reads the request into a {@link ChangeSet}, the
 * {@link ReloadGuard guards} check it, a {@link ResourceTransaction} prepares every
 * affected resource against the candidate environment and commits them together with the
 * {@link EnvironmentUpdate}, which then rebinds and refreshes beans. Holds what the
 * reload learns on the way (digests, changed keys, resource results, phase times, the
 * secrets to keep out of every message) for its history entry.
 * <p>
 * Content read before it settled (a file just replaced, see
 * {@link ConfigContent#settled()}) is used at once, so that its quiet period passes while
 * the resources are prepared; the reload applies it, or records why it refused it, only
 * once its source confirms it still holds that content. Otherwise the candidates are
 * discarded and the reload starts again from the sources, read once they settle.
 *
 * @author hotreload authors
 */
final class Reload {

	private static final Log logger = LogFactory.getLog(ReloadEngine.class);

	private final ReloadEngine engine;

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

	private final List<ResourceResult> results = new ArrayList<>();

	private final ReloadObservation observation;

	private ResourceTransaction transaction;

	private SecretSanitizer secrets;

	private final Map<String, SourceState.Current> read = new LinkedHashMap<>();

	private final List<String> deleted = new ArrayList<>();

	private final Map<ConfigSource, ConfigContent> unconfirmed = new LinkedHashMap<>();

	private boolean readsSources;

	Reload(ReloadEngine engine, ReloadRequest request, long id) {
		this.engine = engine;
		this.request = request;
		this.id = id;
		this.secrets = engine.liveSecrets();
		this.observation = engine.startObservation(request);
		this.transaction = new ResourceTransaction(engine.resources(), engine.preparer(), this);
		ReloadRequest.ExternalChange external = request.external();
		this.sourceName = (external != null) ? external.source() : describeSources(request.sources());
	}

	HistoryEntry run() {
		try {
			return attempt();
		}
		catch (Unsettled ex) {
			if (this.engine.isClosing() || Thread.currentThread().isInterrupted()) {
				return entry(ReloadOutcome.REJECTED, "Stopped while waiting for " + this.sourceName
						+ " to settle: the application context is closing; nothing of this change was applied");
			}
			logger.debug("Content of " + this.sourceName + " changed before it settled; reading it again once it does");
			this.readsSources = true;
			this.results.clear();
			this.deleted.clear();
			this.read.clear();
			this.changedKeys = List.of();
			setDigests(null, null);
			this.transaction = new ResourceTransaction(this.engine.resources(), this.engine.preparer(), this);
			try {
				return attempt();
			}
			catch (Unsettled again) {
				// only a source whose settled read is not settled
				return entry(ReloadOutcome.REJECTED, "Content of " + this.sourceName
						+ " kept changing before it settled; the previous configuration keeps serving");
			}
		}
	}

	private HistoryEntry attempt() throws Unsettled {
		try {
			ReloadRequest.ExternalChange external = this.request.external();
			HistoryEntry entry = (external != null) ? followExternalChange(external.keys()) : readAndApply();
			// an outcome reached without preparing anything (no change) is confirmed too
			if (!settled()) {
				throw new Unsettled();
			}
			return entry;
		}
		catch (RefusedChange ex) {
			if (!settled()) {
				throw new Unsettled();
			}
			return entry(ex.outcome(), ex.getMessage());
		}
	}

	private HistoryEntry readAndApply() throws RefusedChange, Unsettled {
		List<ConfigSource> selected = selectSources();
		if (selected.isEmpty()) {
			return entry(ReloadOutcome.NO_CHANGE, null);
		}
		this.sourceName = selected.stream().map(ConfigSource::name).collect(Collectors.joining(", "));
		ChangeSet changes = new ChangeSetReader(this, this.engine.environment(), this.engine.derivedSources())
			.read(selected);
		if (changes == null) {
			return entry(ReloadOutcome.NO_CHANGE, null);
		}
		for (SourcePropertySource replacement : changes.replacements().values()) {
			for (ReloadGuard guard : this.engine.guards()) {
				ReloadGuard.Refusal refusal = guard.review(replacement);
				if (refusal != null) {
					throw new RefusedChange(refusal.outcome(),
							refusal.reason() + "; nothing was applied from " + replacement.getSourceName());
				}
			}
		}
		phase("guard");
		Set<String> changedNames = this.changedKeys.stream()
			.map(ChangedKey::key)
			.collect(Collectors.toCollection(LinkedHashSet::new));
		Binder binder = this.engine.bindingSources().binder(changes.candidate());
		ReloadContext context = new ReloadContext(binder, changedNames, this.request.trigger(), this.request.dryRun(),
				false, this.secrets);
		EnvironmentUpdate environment = this.engine.environmentUpdate();
		return prepareAndCommit(context, () -> environment.apply(changes), changedNames);
	}

	/**
	 * The source already changed the environment and rebound beans (Spring Cloud's
	 * refresh): only the resources follow.
	 */
	private HistoryEntry followExternalChange(Set<String> keys) throws RefusedChange, Unsettled {
		this.changedKeys = keys.stream().sorted().map((key) -> {
			Object value = this.engine.environment().getProperty(key);
			return new ChangedKey(key, (value != null) ? ChangeType.MODIFIED : ChangeType.REMOVED, null, value);
		}).toList();
		phase("read");
		ReloadContext context = new ReloadContext(Binder.get(this.engine.environment()), keys, this.request.trigger(),
				false, true, this.secrets);
		return prepareAndCommit(context, () -> () -> {
		}, Set.of());
	}

	private HistoryEntry prepareAndCommit(ReloadContext context, EnvironmentSwap environmentSwap, Set<String> eventKeys)
			throws RefusedChange, Unsettled {
		String failure = this.transaction.prepare(context);
		phase("validate");
		if (!settled()) {
			if (failure == null) {
				// a failure has discarded them already
				this.transaction.discard();
			}
			throw new Unsettled();
		}
		if (failure != null) {
			throw RefusedChange.rejected("Rejected change to " + describeKeys() + " from " + this.sourceName + ": "
					+ deletedNote() + failure + "; the previous configuration keeps serving");
		}
		if (this.request.dryRun()) {
			this.transaction.discard();
			this.transaction.markAll(State.VALIDATED);
			return entry(ReloadOutcome.VALIDATED, null);
		}
		if (this.request.external() != null && this.changedKeys.isEmpty()) {
			return entry(ReloadOutcome.NO_CHANGE, null);
		}
		if (this.engine.isClosing()) {
			this.transaction.discard();
			throw RefusedChange.rejected("The application context is closing; nothing of this change was applied");
		}
		// commit: environment first, then every resource; undo all on failure
		String swapFailure = this.transaction.commit(environmentSwap.apply());
		if (swapFailure != null) {
			phase("swap");
			throw new RefusedChange(ReloadOutcome.ROLLED_BACK,
					"Could not swap " + swapFailure + "; every change of this reload was undone");
		}
		// the resources serve the change from here; the beans follow
		phase("swap");
		String beansError = null;
		if (!eventKeys.isEmpty()) {
			beansError = this.engine.environmentUpdate().rebindAndRefresh(eventKeys, this.secrets);
			phase("rebind");
		}
		return entry(ReloadOutcome.APPLIED, beansError);
	}

	/**
	 * Wait for the content read before it settled to settle (the validation took part of
	 * the quiet period, if not all of it), and tell whether every source still holds it.
	 */
	private boolean settled() {
		if (this.unconfirmed.isEmpty()) {
			return true;
		}
		try {
			for (Map.Entry<ConfigSource, ConfigContent> read : this.unconfirmed.entrySet()) {
				if (!read.getKey().stillHolds(read.getValue())) {
					return false;
				}
			}
			return true;
		}
		catch (InterruptedIOException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
		catch (IOException | RuntimeException ex) {
			// read again, which reports why it cannot be
			logger.debug("Confirming the content read from " + this.sourceName + " failed", this.secrets.sanitize(ex));
			return false;
		}
		finally {
			this.unconfirmed.clear();
			phase("settle");
		}
	}

	private List<ConfigSource> selectSources() throws RefusedChange {
		List<ConfigSource> all = this.engine.configSources();
		if (this.request.sources().isEmpty()) {
			return all;
		}
		List<ConfigSource> selected = new ArrayList<>();
		for (String name : this.request.sources()) {
			ConfigSource match = all.stream().filter((source) -> source.name().equals(name)).findFirst().orElse(null);
			if (match == null) {
				String known = all.isEmpty() ? "none"
						: all.stream().map(ConfigSource::name).collect(Collectors.joining(", "));
				throw RefusedChange.rejected(
						"Unknown source '" + String.join(", ", this.request.sources()) + "'; known sources: " + known);
			}
			selected.add(match);
		}
		return selected;
	}

	/**
	 * Retire what the commit replaced; runs whatever happened after the commit.
	 * @param recorder records each retirement
	 */
	void retireCommitted(ReloadRecorder recorder) {
		this.transaction.retireCommitted(recorder);
	}

	void phase(String name) {
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
		List<ResourceResult> sanitized = this.results.stream()
			.map((result) -> (result.error() != null) ? result.withError(this.secrets.sanitize(result.error()))
					: result)
			.toList();
		return new HistoryEntry(this.id, this.timestamp, this.request.trigger().toString(), this.sourceName, outcome,
				this.request.dryRun(), this.digest, this.previousDigest, this.changedKeys, this.phases, duration,
				sanitized, this.secrets.sanitize(error));
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

	static String describeSources(List<String> names) {
		return names.isEmpty() ? "all sources" : String.join(", ", names);
	}

	/**
	 * The reason of a failure (see {@link ErrorMessages}), past the wrapper of an
	 * asynchronous step.
	 */
	static String message(@Nullable Throwable ex) {
		Throwable cause = ex;
		while (cause instanceof CompletionException && cause.getCause() != null) {
			cause = cause.getCause();
		}
		return ErrorMessages.of(cause);
	}

	// What the stages learn and keep

	ReloadRequest request() {
		return this.request;
	}

	long id() {
		return this.id;
	}

	ReloadObservation observation() {
		return this.observation;
	}

	SecretSanitizer secrets() {
		return this.secrets;
	}

	void learnSecrets(SecretSanitizer more) {
		this.secrets = this.secrets.with(more);
	}

	List<ResourceResult> results() {
		return this.results;
	}

	Map<String, SourceState.Current> read() {
		return this.read;
	}

	void observed(String source, SourceState.Current current) {
		this.read.put(source, current);
	}

	String sourceName() {
		return this.sourceName;
	}

	void setSourceName(String sourceName) {
		this.sourceName = sourceName;
	}

	@Nullable String digest() {
		return this.digest;
	}

	@Nullable String previousDigest() {
		return this.previousDigest;
	}

	void setDigests(@Nullable String digest, @Nullable String previousDigest) {
		this.digest = digest;
		this.previousDigest = previousDigest;
	}

	void setChangedKeys(List<ChangedKey> changedKeys) {
		this.changedKeys = changedKeys;
	}

	void deleted(String source) {
		this.deleted.add(source);
	}

	/**
	 * Whether the sources are read, even when the request carries pushed content: the
	 * pushed content did not settle.
	 */
	boolean readsSources() {
		return this.readsSources;
	}

	/**
	 * Use content read from a source before it settled, to be confirmed before the reload
	 * ends; content that settled takes its place.
	 */
	void confirmLater(ConfigSource source, ConfigContent content) {
		if (content.settled()) {
			this.unconfirmed.remove(source);
		}
		else {
			this.unconfirmed.put(source, content);
		}
	}

	/**
	 * Content read before it settled changed before it did.
	 */
	private static final class Unsettled extends Exception {

		Unsettled() {
			super(null, null, false, false);
		}

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

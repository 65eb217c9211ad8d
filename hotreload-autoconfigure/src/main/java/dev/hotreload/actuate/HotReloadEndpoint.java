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

package dev.hotreload.actuate;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import dev.hotreload.engine.PendingReload;
import dev.hotreload.engine.ReloadEngine;
import dev.hotreload.engine.ReloadRequest;
import dev.hotreload.engine.SourceState;
import dev.hotreload.history.ChangedKey;
import dev.hotreload.history.HistoryEntry;
import dev.hotreload.history.ReloadHistory;
import dev.hotreload.history.ReloadOutcome;
import dev.hotreload.resource.ReloadableResource;
import dev.hotreload.resource.ResourceDescriptor;
import dev.hotreload.source.ReloadTrigger;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.Sanitizer;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * {@code /actuator/hotreload}: the running build, the sources and the digest of the
 * content last applied from each, the live resources and the reload history. Each part
 * can be read alone ({@code sources}, {@code resources}, {@code history}), and one reload
 * by its id ({@code history/{id}}). A write re-reads the sources and runs a reload; over
 * HTTP, {@link HotReloadEndpointWebExtension} answers with a status that follows its
 * outcome.
 * <p>
 * Values of changed keys are shown as {@code management.endpoint.hotreload.show-values}
 * allows, like {@code /actuator/env}; keys that look like credentials are masked even
 * then.
 *
 * @author hotreload authors
 */
@Endpoint(id = "hotreload")
public class HotReloadEndpoint {

	private static final SanitizingFunction CREDENTIALS = SanitizingFunction.sanitizeValue().ifLikelyCredential();

	private final ReloadEngine engine;

	private final ReloadHistory history;

	private final Supplier<List<ReloadableResource>> resources;

	private final Supplier<BuildDescriptor> build;

	private final Sanitizer sanitizer;

	private final Show showValues;

	private final Set<String> roles;

	private final Duration timeout;

	public HotReloadEndpoint(ReloadEngine engine, ReloadHistory history, Supplier<List<ReloadableResource>> resources,
			Supplier<BuildDescriptor> build, Iterable<SanitizingFunction> sanitizingFunctions, Show showValues,
			Set<String> roles, Duration timeout) {
		this.engine = engine;
		this.history = history;
		this.resources = resources;
		this.build = build;
		this.sanitizer = new Sanitizer(withCredentialMasking(sanitizingFunctions));
		this.showValues = showValues;
		this.roles = Set.copyOf(roles);
		this.timeout = timeout;
	}

	private static List<SanitizingFunction> withCredentialMasking(Iterable<SanitizingFunction> functions) {
		List<SanitizingFunction> all = new java.util.ArrayList<>();
		all.add(CREDENTIALS);
		all.add(CredentialUrls.MASK);
		functions.forEach(all::add);
		return all;
	}

	@ReadOperation
	public HotReloadDescriptor hotreload(SecurityContext securityContext) {
		boolean showUnsanitized = this.showValues.isShown(securityContext, this.roles);
		List<ResourceDescriptor> resources = this.resources.get().stream().map(ReloadableResource::describe).toList();
		List<HistoryEntry> entries = this.history.entries()
			.stream()
			.map((entry) -> sanitize(entry, showUnsanitized))
			.toList();
		return new HotReloadDescriptor(this.build.get(), this.engine.sources(), resources, entries);
	}

	/**
	 * Read one part of the status: {@code sources}, {@code resources} or {@code history}.
	 * @param part the part's name
	 * @param securityContext the caller, to decide whether values are shown
	 * @return the part, or {@code null} if there is no part by that name
	 */
	@ReadOperation
	public @Nullable OperationResponseBody part(@Selector String part, SecurityContext securityContext) {
		return switch (part) {
			case "sources" -> new SourcesDescriptor(this.engine.sources());
			case "resources" ->
				new ResourcesDescriptor(this.resources.get().stream().map(ReloadableResource::describe).toList());
			case "history" -> new HistoryDescriptor(this.history.entries()
				.stream()
				.map((entry) -> sanitize(entry, this.showValues.isShown(securityContext, this.roles)))
				.toList());
			default -> null;
		};
	}

	/**
	 * Read one reload of the history: {@code history/{id}}.
	 * @param part must be {@code history}
	 * @param id the reload's id
	 * @param securityContext the caller, to decide whether values are shown
	 * @return the entry, or {@code null} if the history holds no such reload
	 */
	@ReadOperation
	public @Nullable HistoryEntry historyEntry(@Selector String part, @Selector long id,
			SecurityContext securityContext) {
		if (!"history".equals(part)) {
			return null;
		}
		return this.history.entries()
			.stream()
			.filter((entry) -> entry.id() == id)
			.findFirst()
			.map((entry) -> sanitize(entry, this.showValues.isShown(securityContext, this.roles)))
			.orElse(null);
	}

	@WriteOperation
	public HistoryEntry reload(@Nullable String source, @Nullable Boolean dryRun, @Nullable String expectedDigest,
			SecurityContext securityContext) {
		Result result = reloadAndWait(source, dryRun, expectedDigest, securityContext);
		if (result instanceof Result.Completed completed) {
			return completed.entry();
		}
		throw new IllegalStateException(((Result.StillRunning) result).running().message());
	}

	/**
	 * Run a reload and wait for it up to {@code hotreload.request-timeout}.
	 */
	Result reloadAndWait(@Nullable String source, @Nullable Boolean dryRun, @Nullable String expectedDigest,
			SecurityContext securityContext) {
		String name = (source != null && !source.isBlank()) ? source.trim() : null;
		ReloadRequest request = new ReloadRequest((name != null) ? List.of(name) : List.of(), ReloadTrigger.MANUAL,
				Boolean.TRUE.equals(dryRun),
				(expectedDigest != null && !expectedDigest.isBlank()) ? expectedDigest.trim() : null, null);
		PendingReload pending = this.engine.start(request);
		try {
			HistoryEntry entry = pending.result().get(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
			boolean unknownSource = entry.outcome() == ReloadOutcome.REJECTED && name != null
					&& !this.engine.sourceNames().contains(name);
			return new Result.Completed(sanitize(entry, this.showValues.isShown(securityContext, this.roles)),
					unknownSource);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for reload #" + pending.id(), ex);
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException("Reload #" + pending.id() + " failed: " + ex.getCause().getMessage(),
					ex.getCause());
		}
		catch (TimeoutException ex) {
			return new Result.StillRunning(new RunningReload(pending.id(), "RUNNING",
					"Reload #" + pending.id() + " did not complete within " + this.timeout
							+ " (hotreload.request-timeout); it goes on, read its outcome at history/" + pending.id()));
		}
	}

	/**
	 * Whether the reload with the given id was submitted and has not completed yet.
	 */
	boolean isRunning(long id) {
		return this.engine.isPending(id);
	}

	private HistoryEntry sanitize(HistoryEntry entry, boolean showUnsanitized) {
		List<ChangedKey> keys = entry.changedKeys()
			.stream()
			.map((key) -> new ChangedKey(key.key(), key.change(),
					sanitize(key.key(), key.previousValue(), showUnsanitized),
					sanitize(key.key(), key.value(), showUnsanitized)))
			.toList();
		return new HistoryEntry(entry.id(), entry.timestamp(), entry.trigger(), entry.source(), entry.outcome(),
				entry.dryRun(), entry.digest(), entry.previousDigest(), keys, entry.phases(), entry.durationMs(),
				entry.resources(), entry.error(), entry.changedKeyCount());
	}

	private @Nullable Object sanitize(String key, @Nullable Object value, boolean showUnsanitized) {
		return this.sanitizer.sanitize(new SanitizableData(null, key, value), showUnsanitized);
	}

	/**
	 * What {@code GET /actuator/hotreload} returns.
	 *
	 * @param build the running build
	 * @param sources the config sources
	 * @param resources the reloadable resources
	 * @param history the reloads, newest first
	 */
	public record HotReloadDescriptor(BuildDescriptor build, List<SourceState> sources,
			List<ResourceDescriptor> resources, List<HistoryEntry> history) implements OperationResponseBody {

	}

	/**
	 * What {@code GET /actuator/hotreload/sources} returns.
	 *
	 * @param sources the config sources and the content last applied from each
	 */
	public record SourcesDescriptor(List<SourceState> sources) implements OperationResponseBody {

	}

	/**
	 * What {@code GET /actuator/hotreload/resources} returns.
	 *
	 * @param resources the reloadable resources
	 */
	public record ResourcesDescriptor(List<ResourceDescriptor> resources) implements OperationResponseBody {

	}

	/**
	 * What {@code GET /actuator/hotreload/history} returns.
	 *
	 * @param history the reloads, newest first
	 */
	public record HistoryDescriptor(List<HistoryEntry> history) implements OperationResponseBody {

	}

	/**
	 * A reload that was still running when the request stopped waiting for it.
	 *
	 * @param id the id its history entry will carry
	 * @param state always {@code RUNNING}
	 * @param message what happened and where to read the outcome
	 */
	public record RunningReload(long id, String state, String message) implements OperationResponseBody {

	}

	/**
	 * How a reload requested through the endpoint ended, as far as the request saw it.
	 */
	sealed interface Result {

		/**
		 * The reload completed.
		 *
		 * @param entry its sanitized history entry
		 * @param unknownSource whether the request named a source that does not exist
		 */
		record Completed(HistoryEntry entry, boolean unknownSource) implements Result {

		}

		/**
		 * The request stopped waiting before the reload completed.
		 *
		 * @param running what to tell the caller
		 */
		record StillRunning(RunningReload running) implements Result {

		}

	}

}

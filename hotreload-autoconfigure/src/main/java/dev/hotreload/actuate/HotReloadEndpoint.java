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

import dev.hotreload.engine.ReloadEngine;
import dev.hotreload.engine.ReloadRequest;
import dev.hotreload.engine.ReloadTrigger;
import dev.hotreload.engine.SourceState;
import dev.hotreload.history.ChangedKey;
import dev.hotreload.history.HistoryEntry;
import dev.hotreload.history.ReloadHistory;
import dev.hotreload.resource.ReloadableResource;
import dev.hotreload.resource.ResourceDescriptor;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.Sanitizer;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * {@code /actuator/hotreload}: the running build, the sources and the digest of the
 * content last applied from each, the live resources and the reload history. A write
 * re-reads the sources and runs a reload.
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

	@WriteOperation
	public HistoryEntry reload(@Nullable String source, @Nullable Boolean dryRun, @Nullable String expectedDigest,
			SecurityContext securityContext) {
		List<String> sources = (source != null && !source.isBlank()) ? List.of(source.trim()) : List.of();
		ReloadRequest request = new ReloadRequest(sources, ReloadTrigger.MANUAL, Boolean.TRUE.equals(dryRun),
				(expectedDigest != null && !expectedDigest.isBlank()) ? expectedDigest.trim() : null, null);
		try {
			HistoryEntry entry = this.engine.submit(request).get(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
			return sanitize(entry, this.showValues.isShown(securityContext, this.roles));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for the reload", ex);
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException("Reload failed: " + ex.getCause().getMessage(), ex.getCause());
		}
		catch (TimeoutException ex) {
			throw new IllegalStateException("Reload did not complete within " + this.timeout
					+ " (hotreload.request-timeout); it goes on and its outcome will show in the history");
		}
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

}

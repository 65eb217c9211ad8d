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

package dev.hotreload.history;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import org.jspecify.annotations.Nullable;

/**
 * One reload, as recorded in the history.
 *
 * @param id increasing id
 * @param timestamp when the reload started
 * @param trigger what asked for it: {@code file}, {@code nacos}, {@code manual},
 * {@code spring-cloud}
 * @param source the source(s) read
 * @param outcome how it ended
 * @param dryRun whether it only validated
 * @param digest SHA-256 of the content read
 * @param previousDigest SHA-256 of the content live before
 * @param changedKeys the keys that changed
 * @param phases duration of each phase in milliseconds
 * @param durationMs total duration in milliseconds
 * @param resources what happened to each affected resource
 * @param error why the change was not applied, in a sentence a person can act on
 * @param changedKeyCount how many keys changed in all: {@code changedKeys} may hold only
 * the first of them (see {@link #withChangedKeysLimit(int)})
 * @author hotreload authors
 */
public record HistoryEntry(long id, Instant timestamp, String trigger, String source, ReloadOutcome outcome,
		boolean dryRun, @Nullable String digest, @Nullable String previousDigest, List<ChangedKey> changedKeys,
		Map<String, Long> phases, long durationMs, List<ResourceResult> resources, @Nullable String error,
		int changedKeyCount) {

	public HistoryEntry {
		changedKeys = List.copyOf(changedKeys);
		phases = Collections.unmodifiableMap(new LinkedHashMap<>(phases));
		resources = List.copyOf(resources);
		changedKeyCount = Math.max(changedKeyCount, changedKeys.size());
	}

	/**
	 * An entry whose changed keys are all listed.
	 * @param id increasing id
	 * @param timestamp when the reload started
	 * @param trigger what asked for it
	 * @param source the source(s) read
	 * @param outcome how it ended
	 * @param dryRun whether it only validated
	 * @param digest SHA-256 of the content read
	 * @param previousDigest SHA-256 of the content live before
	 * @param changedKeys the keys that changed
	 * @param phases duration of each phase in milliseconds
	 * @param durationMs total duration in milliseconds
	 * @param resources what happened to each affected resource
	 * @param error why the change was not applied
	 */
	public HistoryEntry(long id, Instant timestamp, String trigger, String source, ReloadOutcome outcome,
			boolean dryRun, @Nullable String digest, @Nullable String previousDigest, List<ChangedKey> changedKeys,
			Map<String, Long> phases, long durationMs, List<ResourceResult> resources, @Nullable String error) {
		this(id, timestamp, trigger, source, outcome, dryRun, digest, previousDigest, changedKeys, phases, durationMs,
				resources, error, changedKeys.size());
	}

	/**
	 * Return a copy that lists at most the given number of changed keys;
	 * {@link #changedKeyCount()} still counts them all.
	 * @param limit the most keys to list
	 * @return the copy, or this entry if it lists no more
	 */
	public HistoryEntry withChangedKeysLimit(int limit) {
		if (this.changedKeys.size() <= limit) {
			return this;
		}
		return new HistoryEntry(this.id, this.timestamp, this.trigger, this.source, this.outcome, this.dryRun,
				this.digest, this.previousDigest, this.changedKeys.subList(0, Math.max(0, limit)), this.phases,
				this.durationMs, this.resources, this.error, this.changedKeyCount);
	}

	/**
	 * Return a copy with one resource's result replaced.
	 * @param name the resource name
	 * @param update the update
	 * @return the updated entry
	 */
	public HistoryEntry withResource(String name, UnaryOperator<ResourceResult> update) {
		List<ResourceResult> updated = new ArrayList<>(this.resources.size());
		for (ResourceResult result : this.resources) {
			updated.add(result.name().equals(name) ? update.apply(result) : result);
		}
		return new HistoryEntry(this.id, this.timestamp, this.trigger, this.source, this.outcome, this.dryRun,
				this.digest, this.previousDigest, this.changedKeys, this.phases, this.durationMs, updated, this.error,
				this.changedKeyCount);
	}

	/**
	 * Return a copy without the values of changed keys, as written to the history file.
	 * @return a copy without values
	 */
	public HistoryEntry withoutValues() {
		return new HistoryEntry(this.id, this.timestamp, this.trigger, this.source, this.outcome, this.dryRun,
				this.digest, this.previousDigest, this.changedKeys.stream().map(ChangedKey::withoutValues).toList(),
				this.phases, this.durationMs, this.resources, this.error, this.changedKeyCount);
	}

}

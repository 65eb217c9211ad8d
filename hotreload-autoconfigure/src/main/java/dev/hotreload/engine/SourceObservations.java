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

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.hotreload.history.HistoryEntry;
import dev.hotreload.history.ReloadOutcome;
import org.jspecify.annotations.Nullable;

/**
 * What each source held when a reload last read it, and why its last change was rejected,
 * so that the endpoint can show what is on disk or in Nacos beside what is live.
 *
 * @author hotreload authors
 */
final class SourceObservations {

	private final Map<String, SourceState.Current> current = new ConcurrentHashMap<>();

	private final Map<String, SourceState.Rejection> rejections = new ConcurrentHashMap<>();

	/**
	 * A reload ended.
	 * @param entry its (sanitized) history entry
	 * @param read what it read from each source
	 */
	void reloaded(HistoryEntry entry, Map<String, SourceState.Current> read) {
		this.current.putAll(read);
		if (entry.dryRun()) {
			return;
		}
		for (String name : read.keySet()) {
			if (entry.outcome() == ReloadOutcome.APPLIED || entry.outcome() == ReloadOutcome.NO_CHANGE) {
				// applied, or back to the live content
				this.rejections.remove(name);
			}
			else if (entry.error() != null && (entry.source().equals(name) || read.size() == 1)) {
				this.rejections.put(name, new SourceState.Rejection(entry.id(), entry.timestamp(),
						entry.outcome().name(), entry.error()));
			}
		}
	}

	SourceState.@Nullable Current current(String name) {
		return this.current.get(name);
	}

	SourceState.@Nullable Rejection lastRejection(String name) {
		return this.rejections.get(name);
	}

}

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

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.hotreload.history.HistoryEntry;
import dev.hotreload.history.ReloadOutcome;
import dev.hotreload.source.ConfigContent;
import dev.hotreload.source.ConfigParser;
import dev.hotreload.source.ConfigSource;
import dev.hotreload.source.SourcePropertySource;
import org.jspecify.annotations.Nullable;

import org.springframework.core.env.ConfigurableEnvironment;

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

	/**
	 * The state of each source: what is live, what it holds now if it can tell cheaply
	 * (else what a reload last read), and why its last change was rejected.
	 * @param sources the sources
	 * @param environment the live environment
	 * @return the states
	 */
	List<SourceState> states(List<ConfigSource> sources, ConfigurableEnvironment environment) {
		List<SourceState> states = new ArrayList<>();
		for (ConfigSource source : sources) {
			SourcePropertySource live = ChangeSetReader.livePropertySource(environment, source);
			states.add(new SourceState(source.name(), source.location(), source.format(),
					(live != null) ? live.getDigest() : null, (live != null) ? live.getLastModified() : null,
					(live != null) ? live.getPropertyNames().length : 0, source.status(), now(source, live),
					this.rejections.get(source.name())));
		}
		return states;
	}

	private SourceState.@Nullable Current now(ConfigSource source, @Nullable SourcePropertySource live) {
		SourceState.Current read = this.current.get(source.name());
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

}

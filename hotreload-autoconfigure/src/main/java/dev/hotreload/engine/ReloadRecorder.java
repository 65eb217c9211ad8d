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

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

import dev.hotreload.history.ChangedKey;
import dev.hotreload.history.HistoryEntry;
import dev.hotreload.history.ReloadHistory;
import dev.hotreload.history.ResourceResult.State;
import dev.hotreload.resource.ReloadableResource;
import dev.hotreload.resource.RetireReport;
import dev.hotreload.support.SecretSanitizer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.util.StringUtils;

/**
 * The last stage of a reload: records its entry in the history, logs one line, tells the
 * {@link ReloadListener listeners} and stops its observation, and later records how each
 * old instance retired. None of these may undo or skip what was committed: each failure
 * is logged and the next step runs.
 *
 * @author hotreload authors
 */
final class ReloadRecorder {

	/**
	 * The stages log under the engine's category, which users filter on.
	 */
	private static final Log logger = LogFactory.getLog(ReloadEngine.class);

	private final ReloadHistory history;

	private final Supplier<List<ReloadListener>> listeners;

	private final SourceObservations observed;

	private final Supplier<SecretSanitizer> liveSecrets;

	ReloadRecorder(ReloadHistory history, Supplier<List<ReloadListener>> listeners, SourceObservations observed,
			Supplier<SecretSanitizer> liveSecrets) {
		this.history = history;
		this.listeners = listeners;
		this.observed = observed;
		this.liveSecrets = liveSecrets;
	}

	/**
	 * Record a finished reload.
	 * @param reload the reload
	 * @param entry its entry
	 * @return the entry as the history keeps it
	 */
	HistoryEntry record(Reload reload, HistoryEntry entry) {
		HistoryEntry[] recorded = { entry };
		quietly("recording reload #" + entry.id() + " in the history", () -> recorded[0] = this.history.record(entry));
		quietly("recording what reload #" + entry.id() + " read", () -> this.observed.reloaded(entry, reload.read()));
		log(entry);
		notifyListeners((listener) -> listener.reloaded(entry));
		quietly("stopping the observation of reload #" + entry.id(), () -> reload.observation().stop(entry));
		return recorded[0];
	}

	/**
	 * Record how an old instance retired.
	 * @param id the reload that replaced it
	 * @param resource its resource
	 * @param report what retiring it found
	 * @param observation the retirement's observation
	 * @param secrets removes the config's secrets from an error
	 */
	void retired(long id, ReloadableResource resource, RetireReport report, ReloadObservation observation,
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
						logger.warn("Retired " + resource.type() + " resource '" + resource.name() + "' of reload #"
								+ id + " uncleanly: " + report.connectionsCut()
								+ " connections cut before they were given back (drain timeout, or a server known dead)"
								+ (report.leaks().isEmpty() ? "" : ", leaked " + report.leaks())
								+ ((report.error() != null) ? ", " + secrets.sanitize(report.error()) : ""));
					}
					notifyListeners((listener) -> listener.retired(entry, result));
					observation.stop(entry);
				}));
	}

	void quietly(String what, Runnable action) {
		try {
			action.run();
		}
		catch (RuntimeException ex) {
			logger.warn(StringUtils.capitalize(what) + " failed", this.liveSecrets.get().sanitize(ex));
		}
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

	private void notifyListeners(Consumer<ReloadListener> action) {
		for (ReloadListener listener : this.listeners.get()) {
			try {
				action.accept(listener);
			}
			catch (RuntimeException ex) {
				logger.warn("Reload listener " + listener + " failed", this.liveSecrets.get().sanitize(ex));
			}
		}
	}

}

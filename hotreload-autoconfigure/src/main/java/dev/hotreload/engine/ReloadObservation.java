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

import dev.hotreload.history.HistoryEntry;

/**
 * Observes one reload, such as with a Micrometer {@code Observation}, so that a tracing
 * bridge shows a span per reload and a child span per retiring resource.
 *
 * @author hotreload authors
 */
public interface ReloadObservation {

	/**
	 * An observation that does nothing.
	 */
	ReloadObservation NOOP = new ReloadObservation() {
	};

	/**
	 * A phase of the reload ended.
	 * @param phase the phase: read, parse, guard, validate, settle (a file read before it
	 * settled), swap, rebind
	 */
	default void phase(String phase) {
	}

	/**
	 * The reload (or the retirement this observes) ended.
	 * @param entry its history entry
	 */
	default void stop(HistoryEntry entry) {
	}

	/**
	 * A resource starts retiring its old instance: a child observation, stopped when it
	 * is closed.
	 * @param resource the resource's name
	 * @return the child observation
	 */
	default ReloadObservation retire(String resource) {
		return NOOP;
	}

	/**
	 * Starts the observation of each reload.
	 */
	@FunctionalInterface
	interface Factory {

		/**
		 * Start observing a reload.
		 * @param request the request
		 * @return the observation
		 */
		ReloadObservation start(ReloadRequest request);

	}

}

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
import dev.hotreload.history.ResourceResult;

/**
 * Told about every reload, for metrics, health and the like. Called on the engine's
 * thread (or a retiring thread); must be quick and must not throw.
 *
 * @author hotreload authors
 */
public interface ReloadListener {

	/**
	 * A reload ended.
	 * @param entry the history entry it made
	 */
	default void reloaded(HistoryEntry entry) {
	}

	/**
	 * An old instance of a resource finished retiring.
	 * @param entry the reload's history entry, updated
	 * @param result the resource's result, updated
	 */
	default void retired(HistoryEntry entry, ResourceResult result) {
	}

}

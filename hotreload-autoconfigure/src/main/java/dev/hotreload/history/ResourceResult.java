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

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * What a reload did to one resource.
 *
 * @param name the resource's name, such as the bean name
 * @param type the resource's type, such as {@code jdbc}
 * @param action what was done, such as "new pool dataSource-g2
 * (jdbc:postgresql://db/orders), ready with 6 connection(s) after 152 ms"
 * @param generation the resource's generation after the reload
 * @param state the resource's state in this reload
 * @param retireMs time the old instance took to drain and close, once retired
 * @param connectionsCut connections still in use that were closed at the drain timeout
 * @param leaks threads or connections of the old instance still alive after it closed
 * @param error why the resource failed, if it did
 * @author hotreload authors
 */
public record ResourceResult(String name, String type, String action, long generation, State state,
		@Nullable Long retireMs, int connectionsCut, List<String> leaks, @Nullable String error) {

	public ResourceResult {
		leaks = List.copyOf(leaks);
	}

	public static ResourceResult of(String name, String type, String action, long generation, State state,
			@Nullable String error) {
		return new ResourceResult(name, type, action, generation, state, null, 0, List.of(), error);
	}

	/**
	 * Return a copy with another error.
	 * @param error the error
	 * @return the copy
	 */
	public ResourceResult withError(@Nullable String error) {
		return new ResourceResult(this.name, this.type, this.action, this.generation, this.state, this.retireMs,
				this.connectionsCut, this.leaks, error);
	}

	public ResourceResult withState(State state) {
		return new ResourceResult(this.name, this.type, this.action, this.generation, state, this.retireMs,
				this.connectionsCut, this.leaks, this.error);
	}

	public ResourceResult retired(long retireMs, int connectionsCut, List<String> leaks, @Nullable String error) {
		State state = (error != null || !leaks.isEmpty()) ? State.RETIRE_FAILED
				: (connectionsCut > 0) ? State.RETIRED_FORCED : State.RETIRED;
		return new ResourceResult(this.name, this.type, this.action, this.generation, state, retireMs, connectionsCut,
				leaks, error);
	}

	/**
	 * State of a resource in one reload.
	 */
	public enum State {

		/**
		 * A candidate was built and validated (dry run).
		 */
		VALIDATED,

		/**
		 * The candidate failed validation.
		 */
		FAILED,

		/**
		 * The candidate was discarded because another part of the change failed.
		 */
		DISCARDED,

		/**
		 * The change was applied in place; nothing to retire.
		 */
		APPLIED,

		/**
		 * The new instance serves; the old one is draining.
		 */
		RETIRING,

		/**
		 * The old instance drained and closed.
		 */
		RETIRED,

		/**
		 * The old instance closed at the drain timeout with work still on it.
		 */
		RETIRED_FORCED,

		/**
		 * The old instance could not be closed cleanly.
		 */
		RETIRE_FAILED,

		/**
		 * The change was committed and then undone.
		 */
		ROLLED_BACK,

		/**
		 * The change was committed and undoing it failed: the resource may be in an
		 * unknown state.
		 */
		ROLLBACK_FAILED

	}

}

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

/**
 * How a reload ended.
 *
 * @author hotreload authors
 */
public enum ReloadOutcome {

	/**
	 * The change was applied to the environment and to every affected resource.
	 */
	APPLIED,

	/**
	 * The content's digest equals the live one: nothing to do.
	 */
	NO_CHANGE,

	/**
	 * The change failed parsing, a guard or validation; nothing was applied.
	 */
	REJECTED,

	/**
	 * Applying failed half-way and everything was put back as it was.
	 */
	ROLLED_BACK,

	/**
	 * The change requires an application version this instance does not run.
	 */
	VERSION_MISMATCH,

	/**
	 * A dry run: the change passed every check and was not applied.
	 */
	VALIDATED

}

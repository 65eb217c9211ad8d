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

import dev.hotreload.history.ReloadOutcome;

/**
 * Ends a reload early with an outcome other than {@link ReloadOutcome#APPLIED}: a stage
 * of the pipeline found the change cannot be applied, and nothing of it was.
 *
 * @author hotreload authors
 */
final class RefusedChange extends Exception {

	private final ReloadOutcome outcome;

	RefusedChange(ReloadOutcome outcome, String reason) {
		super(reason, null, false, false);
		this.outcome = outcome;
	}

	static RefusedChange rejected(String reason) {
		return new RefusedChange(ReloadOutcome.REJECTED, reason);
	}

	ReloadOutcome outcome() {
		return this.outcome;
	}

}

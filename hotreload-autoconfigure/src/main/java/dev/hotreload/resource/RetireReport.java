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

package dev.hotreload.resource;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * How retiring an old instance went.
 *
 * @param duration how long draining and closing took
 * @param connectionsCut connections still in use that were closed at the drain timeout
 * @param leaks threads or connections still alive after closing, by name
 * @param error why closing failed, if it did
 * @author hotreload authors
 */
public record RetireReport(Duration duration, int connectionsCut, List<String> leaks, @Nullable String error) {

	/**
	 * Nothing needed retiring (the change was applied in place).
	 */
	public static final RetireReport NOTHING = new RetireReport(Duration.ZERO, 0, List.of(), null);

	public RetireReport {
		leaks = List.copyOf(leaks);
	}

	/**
	 * Whether the old instance closed cleanly.
	 * @return {@code true} if nothing was cut, leaked or failed
	 */
	public boolean isClean() {
		return this.connectionsCut == 0 && this.leaks.isEmpty() && this.error == null;
	}

}

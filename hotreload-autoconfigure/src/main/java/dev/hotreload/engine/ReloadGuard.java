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
import org.jspecify.annotations.Nullable;

import org.springframework.core.env.PropertySource;

/**
 * Checks a source's new content before any resource is prepared, and may refuse it as a
 * whole: nothing of a refused change is applied. Declare a bean of this type to add a
 * check; the version guard ({@code hotreload.require.version}) is one.
 *
 * @author hotreload authors
 */
@FunctionalInterface
public interface ReloadGuard {

	/**
	 * Review the new content of one source.
	 * @param content the source's new content, as it will be added to the environment
	 * @return why the content must not be applied, or {@code null} to let it through
	 */
	@Nullable Refusal review(PropertySource<?> content);

	/**
	 * Why a guard refused a change.
	 *
	 * @param outcome the outcome to record, such as
	 * {@link ReloadOutcome#VERSION_MISMATCH}
	 * @param reason why, in words a person can act on
	 */
	record Refusal(ReloadOutcome outcome, String reason) {

	}

}

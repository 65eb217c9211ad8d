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

import org.jspecify.annotations.Nullable;

/**
 * A key a reload changed. Values are kept in memory only; they are never written to the
 * history file and the endpoint shows them as its sanitizer allows.
 *
 * @param key the key
 * @param change how it changed
 * @param previousValue the value before, {@code null} if added or unknown
 * @param value the value after, {@code null} if removed or unknown
 * @author hotreload authors
 */
public record ChangedKey(String key, ChangeType change, @Nullable Object previousValue, @Nullable Object value) {

	/**
	 * Return this key without its values.
	 * @return a copy without values
	 */
	public ChangedKey withoutValues() {
		return new ChangedKey(this.key, this.change, null, null);
	}

}

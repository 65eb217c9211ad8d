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

/**
 * Names a few keys of a long list, so that a log line or an error message stays short
 * however many keys changed.
 *
 * @author hotreload authors
 */
final class KeyList {

	/**
	 * Most keys named.
	 */
	static final int NAMED = 5;

	private KeyList() {
	}

	/**
	 * Name the first keys and count the rest.
	 * @param names the key names (possibly already trimmed)
	 * @param total how many keys there are in all
	 * @return such as {@code a, b, c, d, e and 19995 more}
	 */
	static String describe(List<String> names, int total) {
		List<String> named = names.subList(0, Math.min(NAMED, names.size()));
		int more = Math.max(0, total - named.size());
		return String.join(", ", named) + ((more > 0) ? " and " + more + " more" : "");
	}

}

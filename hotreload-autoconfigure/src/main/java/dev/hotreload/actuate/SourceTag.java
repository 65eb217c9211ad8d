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

package dev.hotreload.actuate;

import java.util.Set;
import java.util.function.Supplier;

import dev.hotreload.engine.ReloadEngine;

/**
 * Turns the source of a reload into a bounded tag value: a configured source's name, or
 * {@code multiple}, {@code spring-cloud} or {@code unknown}.
 *
 * @author hotreload authors
 */
final class SourceTag {

	private final Supplier<Set<String>> known;

	SourceTag(ReloadEngine engine) {
		this.known = engine::sourceNames;
	}

	String of(String source) {
		if (source.equals("spring-cloud") || this.known.get().contains(source)) {
			return source;
		}
		return source.contains(", ") ? "multiple" : "unknown";
	}

}

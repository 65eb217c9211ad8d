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

import java.util.Map;
import java.util.Set;

import dev.hotreload.source.SourcePropertySource;
import org.jspecify.annotations.Nullable;

import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;

/**
 * What a reload read: the new property source of each source whose content changed, the
 * candidate environment's property sources (the live ones with those replaced) and the
 * keys whose value or source changed.
 *
 * @param replacements the new property sources, by name
 * @param derived the {@link DerivedPropertySource derived} property sources derived again
 * from the candidate, by name; {@code null} for one that is to be removed
 * @param candidate the candidate property sources
 * @param keys the changed keys
 * @author hotreload authors
 */
record ChangeSet(Map<String, SourcePropertySource> replacements, Map<String, @Nullable PropertySource<?>> derived,
		MutablePropertySources candidate, Set<String> keys) {

}

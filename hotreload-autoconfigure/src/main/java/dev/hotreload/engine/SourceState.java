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

import java.time.Instant;
import java.util.Map;

import dev.hotreload.source.ConfigFormat;
import org.jspecify.annotations.Nullable;

/**
 * A config source and the content last applied from it.
 *
 * @param name the source's name
 * @param location where its content lives
 * @param format its format
 * @param digest lowercase hex SHA-256 of the raw bytes last applied
 * @param lastModified when that content last changed, if known
 * @param keys number of keys it contributes
 * @param status the source's own status, such as whether its server is reachable
 * @author hotreload authors
 */
public record SourceState(String name, String location, ConfigFormat format, @Nullable String digest,
		@Nullable Instant lastModified, int keys, Map<String, Object> status) {

}

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
 * A config source, the content last applied from it and the content it held when a reload
 * last read it.
 *
 * @param name the source's name
 * @param location where its content lives
 * @param format its format
 * @param digest lowercase hex SHA-256 of the raw bytes last applied (live)
 * @param lastModified when that content last changed, if known
 * @param keys number of keys it contributes (live)
 * @param status the source's own status, such as whether its server is reachable
 * @param current what the source holds now (a local file, read for this answer) or held
 * when a reload last read it (a Nacos data-id); {@code null} if unknown. A digest that
 * differs from {@code digest} means that what runs is not what a restart would load
 * @param lastRejection why the last change read from the source was not applied;
 * {@code null} if none was, or a later read found content that was applied or equal to
 * the live one
 * @author hotreload authors
 */
public record SourceState(String name, String location, ConfigFormat format, @Nullable String digest,
		@Nullable Instant lastModified, int keys, Map<String, Object> status, @Nullable Current current,
		@Nullable Rejection lastRejection) {

	/**
	 * The content a source held when a reload last read it.
	 *
	 * @param digest lowercase hex SHA-256 of the raw bytes read
	 * @param keys number of keys in it, {@code null} if unknown (it could not be parsed,
	 * or has not been since it changed)
	 * @param exists whether the content exists; {@code false} for a deleted file or
	 * data-id
	 * @param readAt when it was read
	 */
	public record Current(String digest, @Nullable Integer keys, boolean exists, Instant readAt) {

	}

	/**
	 * Why a change was not applied.
	 *
	 * @param reload the id of the reload in the history
	 * @param timestamp when it happened
	 * @param outcome the reload's outcome, such as {@code REJECTED}
	 * @param reason the reason, without secrets
	 */
	public record Rejection(long reload, Instant timestamp, String outcome, String reason) {

	}

}

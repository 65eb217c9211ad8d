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

package dev.hotreload.source;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * The raw content of a config source, as read at one instant.
 *
 * @param bytes the raw bytes
 * @param lastModified when the content last changed, if the source knows
 * @param exists whether the content exists: {@code false} for a deleted data-id, whose
 * bytes are empty
 * @param settled whether the content is known complete; {@code false} for a file read
 * before its quiet period had passed, which a reload applies only once
 * {@link ConfigSource#stillHolds(ConfigContent)} confirms it
 * @author hotreload authors
 */
public record ConfigContent(byte[] bytes, @Nullable Instant lastModified, boolean exists, boolean settled) {

	/**
	 * Content that exists but is empty: no keys.
	 */
	public static final ConfigContent EMPTY = new ConfigContent(new byte[0], null);

	/**
	 * Content of a source that has none (a deleted data-id): no keys.
	 */
	public static final ConfigContent MISSING = new ConfigContent(new byte[0], null, false);

	/**
	 * Content that exists.
	 * @param bytes the raw bytes
	 * @param lastModified when the content last changed, if the source knows
	 */
	public ConfigContent(byte[] bytes, @Nullable Instant lastModified) {
		this(bytes, lastModified, true, true);
	}

	/**
	 * Complete content.
	 * @param bytes the raw bytes
	 * @param lastModified when the content last changed, if the source knows
	 * @param exists whether the content exists
	 */
	public ConfigContent(byte[] bytes, @Nullable Instant lastModified, boolean exists) {
		this(bytes, lastModified, exists, true);
	}

	/**
	 * The same content, read before it settled.
	 * @return the content, not settled
	 */
	public ConfigContent unsettled() {
		return new ConfigContent(this.bytes, this.lastModified, this.exists, false);
	}

}

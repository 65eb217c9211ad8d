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

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * A place config is read from: a local file, a Nacos data-id. A source only reads;
 * whatever watches it submits a {@link dev.hotreload.engine.ReloadRequest} to the engine
 * when it sees a change.
 *
 * @author hotreload authors
 */
public interface ConfigSource {

	/**
	 * Prefix of the name of the property source that holds a source's keys.
	 */
	String PROPERTY_SOURCE_PREFIX = "hotreload:";

	/**
	 * Unique name, such as {@code file:config/app.yaml} or {@code nacos:orders.yaml}.
	 * @return the name
	 */
	String name();

	/**
	 * Where the content lives, for people: an absolute path, a server and group.
	 * @return the location
	 */
	String location();

	/**
	 * Format of the content.
	 * @return the format
	 */
	ConfigFormat format();

	/**
	 * Trigger recorded for a change this source pushes.
	 * @return the trigger
	 */
	ReloadTrigger trigger();

	/**
	 * Read the current content.
	 * @return the content, {@link ConfigContent#EMPTY} if the source exists but holds
	 * nothing
	 * @throws IOException if the content cannot be read; the live config stays
	 */
	ConfigContent read() throws IOException;

	/**
	 * How long the content must stay unchanged before it is applied. A source whose
	 * writes are not atomic (a local file written in place) waits this long after a
	 * change before reading, and a reload that finds the source suddenly empty, or with
	 * fewer than half of its live keys, reads it again after this long before applying
	 * it.
	 * @return the quiet period, zero by default
	 */
	default Duration settleTime() {
		return Duration.ZERO;
	}

	/**
	 * Wait until content read before it settled (see {@link ConfigContent#settled()}) has
	 * stayed unchanged for the quiet period, and tell whether the source still holds it.
	 * A reload prepares its resources from such content meanwhile and applies it only if
	 * this returns {@code true}; otherwise it reads the source again. Settled content is
	 * held by definition.
	 * @param content content this source returned
	 * @return whether the source still holds it, unchanged
	 * @throws IOException if the source cannot be read again
	 */
	default boolean stillHolds(ConfigContent content) throws IOException {
		return true;
	}

	/**
	 * Return what the source holds right now, if it can tell cheaply and without side
	 * effects (a local file), for the endpoint to show beside the live content. A source
	 * behind a server returns empty: the endpoint then shows what the last reload read.
	 * @return the content now ({@link ConfigContent#MISSING} if it is gone), or empty
	 */
	default Optional<ConfigContent> peek() {
		return Optional.empty();
	}

	/**
	 * Describe the source for people, in messages.
	 * @return the description, the name by default
	 */
	default String describe() {
		return name();
	}

	/**
	 * State worth showing in the endpoint, such as whether a server is reachable.
	 * @return the state, empty by default
	 */
	default Map<String, Object> status() {
		return Map.of();
	}

	/**
	 * Name of the property source that holds this source's keys.
	 * @return the property source name
	 */
	default String propertySourceName() {
		return PROPERTY_SOURCE_PREFIX + name();
	}

}

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

import java.util.Locale;

/**
 * What asked for a reload.
 *
 * @author hotreload authors
 */
public enum ReloadTrigger {

	/**
	 * A watched local file changed.
	 */
	FILE,

	/**
	 * Nacos pushed a change.
	 */
	NACOS,

	/**
	 * Someone asked through the endpoint.
	 */
	MANUAL,

	/**
	 * Spring Cloud's context refresh changed the environment.
	 */
	SPRING_CLOUD,

	/**
	 * A server refused the credentials of a new connection, and the sources are read
	 * again in case the config has the new ones.
	 */
	AUTH_FAILURE,

	/**
	 * Another kind of source pushed a change.
	 */
	OTHER;

	/**
	 * Whether the change was pushed by a source rather than asked for, and so may be
	 * delayed by the jitter.
	 * @return whether the change was pushed
	 */
	public boolean isPush() {
		return this == FILE || this == NACOS || this == OTHER;
	}

	@Override
	public String toString() {
		return name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

}

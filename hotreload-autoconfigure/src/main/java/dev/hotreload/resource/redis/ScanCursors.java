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

package dev.hotreload.resource.redis;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

import io.lettuce.core.RedisException;
import io.lettuce.core.ScanCursor;
import org.jspecify.annotations.Nullable;

/**
 * The generation that issued each unfinished SCAN, HSCAN, SSCAN or ZSCAN cursor a
 * {@link ReloadableRedisConnection} handed out, held weakly: a cursor is only meaningful
 * to the server that issued it, so the next call with it goes back there, or fails
 * clearly once a reload has closed that generation.
 *
 * @author hotreload authors
 */
final class ScanCursors {

	private final String name;

	private final Map<ScanCursor, ConnectionGeneration> issuers = Collections.synchronizedMap(new WeakHashMap<>());

	ScanCursors(String name) {
		this.name = name;
	}

	/**
	 * The generation that issued the SCAN, HSCAN, SSCAN or ZSCAN cursor among the
	 * arguments, if any: a cursor is only meaningful to the server that issued it.
	 */
	@Nullable ConnectionGeneration issuer(@Nullable Object @Nullable [] args) {
		if (args != null) {
			for (Object arg : args) {
				if (arg instanceof ScanCursor cursor) {
					return this.issuers.get(cursor);
				}
			}
		}
		return null;
	}

	/**
	 * Send a command that continues an iteration to the generation that issued its cursor
	 * while that one is open, and fail it clearly once it is closed: sent to the next
	 * server, the cursor would miss keys or return some twice.
	 */
	ConnectionGeneration acquire(ConnectionGeneration issuer) {
		if (issuer.inFlight().acquire()) {
			return issuer;
		}
		throw new RedisException("The SCAN cursor was issued by Redis connection '" + this.name + "' generation "
				+ issuer.number() + " (" + issuer.target() + "), which a reload has replaced and closed; restart the "
				+ "iteration from ScanCursor.INITIAL");
	}

	void issued(@Nullable Object result, ConnectionGeneration generation) {
		if (result instanceof ScanCursor cursor && !cursor.isFinished()) {
			this.issuers.put(cursor, generation);
		}
	}

}

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

import java.net.URI;
import java.net.URISyntaxException;

import org.jspecify.annotations.Nullable;

/**
 * Checks {@code spring.data.redis.url} before Spring Boot sees it: Boot's own
 * {@code DataRedisUrlSyntaxException} quotes the raw URL, password included, and the
 * candidate context logs it when it fails to start. The message here never shows the URL.
 *
 * @author hotreload authors
 */
final class RedisUrlCheck {

	private RedisUrlCheck() {
	}

	/**
	 * Check a URL the way Spring Boot parses it.
	 * @param url the value of {@code spring.data.redis.url}
	 * @throws IllegalArgumentException if Spring Boot would refuse it
	 */
	static void check(@Nullable String url) {
		if (url == null || url.isBlank()) {
			return;
		}
		String scheme;
		try {
			scheme = new URI(url).getScheme();
		}
		catch (URISyntaxException ex) {
			throw new IllegalArgumentException("spring.data.redis.url is not a valid URL (" + ex.getReason()
					+ ((ex.getIndex() >= 0) ? " at index " + ex.getIndex() : "") + "); use "
					+ "redis://host:port[/database] or rediss://..., with user-info if the server needs it");
		}
		if (!"redis".equals(scheme) && !"rediss".equals(scheme)) {
			throw new IllegalArgumentException("spring.data.redis.url must start with redis:// or rediss://");
		}
	}

}

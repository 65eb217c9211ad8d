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

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.springframework.boot.context.properties.bind.Binder;

/**
 * Reasons a Redis change failed, in words a person can act on, without a secret.
 *
 * @author hotreload authors
 */
final class RedisErrors {

	private RedisErrors() {
	}

	/**
	 * Values of {@code spring.data.redis.*} that must never appear in a message: the
	 * passwords, the URL and the password part of the URL.
	 * @param binder the binder over the keys
	 * @return the secrets
	 */
	static Set<String> secrets(Binder binder) {
		Set<String> secrets = new LinkedHashSet<>();
		for (String key : List.of("password", "sentinel.password", "url")) {
			binder.bind("spring.data.redis." + key, String.class).ifBound((value) -> {
				if (!value.isBlank()) {
					secrets.add(value);
				}
			});
		}
		binder.bind("spring.data.redis.url", String.class).ifBound((url) -> {
			// the password part of redis://user:password@host, should a message show it
			int at = url.lastIndexOf('@');
			int scheme = url.indexOf("://");
			if (at > scheme && scheme >= 0) {
				String userInfo = url.substring(scheme + 3, at);
				String password = userInfo.substring(userInfo.indexOf(':') + 1);
				if (!password.isEmpty()) {
					secrets.add(password);
				}
			}
		});
		return secrets;
	}

	/**
	 * The messages of an exception and its causes, each once, with any secret masked.
	 * @param ex the exception
	 * @param secrets the values to mask
	 * @return the reason
	 */
	static String reason(Throwable ex, Set<String> secrets) {
		List<String> messages = new ArrayList<>();
		Throwable cause = ex;
		Set<Throwable> seen = new LinkedHashSet<>();
		while (cause != null && seen.add(cause)) {
			String message = cause.getMessage();
			if (message == null || message.isBlank()) {
				message = cause.getClass().getSimpleName();
			}
			String flat = message.replace('\n', ' ').trim();
			if (messages.stream().noneMatch((previous) -> previous.contains(flat))) {
				messages.add(flat);
			}
			cause = cause.getCause();
		}
		String reason = String.join(": ", messages);
		for (String secret : secrets) {
			reason = reason.replace(secret, "******");
		}
		return reason;
	}

	/**
	 * How many times a connect whose handshake reason Lettuce lost is tried.
	 */
	static final int HANDSHAKE_ATTEMPTS = 3;

	/**
	 * Whether Lettuce failed a connect without its reason: the channel closed (the
	 * handshake failed, for a wrong password say) before Lettuce's connect listener ran,
	 * as can happen on a busy machine. Asking again reports the reason.
	 * @param ex the failure
	 * @return whether it is that race
	 */
	static boolean isHandshakeRace(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof IllegalStateException && cause.getMessage() != null
					&& cause.getMessage().contains("RedisHandshakeHandler not registered")) {
				return true;
			}
		}
		return false;
	}

}

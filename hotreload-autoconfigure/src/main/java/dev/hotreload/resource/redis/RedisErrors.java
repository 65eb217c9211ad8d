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

import dev.hotreload.resource.ErrorMessages;
import dev.hotreload.support.SecretSanitizer;

/**
 * Reasons a Redis change failed, in words a person can act on, without a secret.
 *
 * @author hotreload authors
 */
final class RedisErrors {

	private RedisErrors() {
	}

	/**
	 * The messages of an exception and its causes, each once (see {@link ErrorMessages}),
	 * with any secret masked.
	 * @param ex the exception
	 * @param secrets masks the secrets of the environment the failure came from
	 * @return the reason
	 */
	static String reason(Throwable ex, SecretSanitizer secrets) {
		String reason = secrets.sanitize(ErrorMessages.of(ex));
		return (reason != null) ? reason : "";
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

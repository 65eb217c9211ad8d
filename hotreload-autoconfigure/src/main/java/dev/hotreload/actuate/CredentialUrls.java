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

package dev.hotreload.actuate;

import dev.hotreload.support.SecretSanitizer;

import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;

/**
 * Masks the password of a URL value with user-info or a {@code password=} parameter,
 * whatever its key: such a URL is a credential, shown even with
 * {@code show-values=always} only without its password.
 *
 * @author hotreload authors
 */
final class CredentialUrls {

	/**
	 * The sanitizing function.
	 */
	static final SanitizingFunction MASK = CredentialUrls::mask;

	private CredentialUrls() {
	}

	private static SanitizableData mask(SanitizableData data) {
		if (data.getValue() instanceof CharSequence text && SecretSanitizer.hasCredentials(text.toString())) {
			return data.withValue(SecretSanitizer.maskUrl(text.toString()));
		}
		return data;
	}

}

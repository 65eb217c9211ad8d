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

package dev.hotreload.resource;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import dev.hotreload.support.SecretSanitizer;
import org.jspecify.annotations.Nullable;

/**
 * The reason of a failure in words a person can act on: the messages of an exception and
 * its causes, each once, on one line, such as {@code cannot connect: Connection to
 * 127.0.0.1:1 refused}.
 *
 * @author hotreload authors
 */
public final class ErrorMessages {

	private ErrorMessages() {
	}

	/**
	 * The messages of an exception and its causes, each once, joined by {@code ": "}. A
	 * message that an earlier one already contains is left out (a wrapper that repeats
	 * its cause's message). An exception with no message at all is named by its type.
	 * @param ex the exception
	 * @return the reason
	 */
	public static String of(@Nullable Throwable ex) {
		if (ex == null) {
			return "unknown error";
		}
		List<String> messages = new ArrayList<>();
		Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
		for (Throwable cause = ex; cause != null && seen.add(cause); cause = cause.getCause()) {
			String message = cause.getMessage();
			if (message == null || message.isBlank()) {
				continue;
			}
			String flat = message.replace('\n', ' ').replace('\r', ' ').trim();
			if (messages.stream().noneMatch((previous) -> previous.contains(flat))) {
				messages.add(flat);
			}
		}
		return messages.isEmpty() ? ex.getClass().getSimpleName() : String.join(": ", messages);
	}

	/**
	 * The reason, with each of the given values masked wherever it appears.
	 * @param ex the exception
	 * @param secrets values that must never be shown, such as passwords
	 * @return the reason
	 */
	public static String of(@Nullable Throwable ex, Collection<String> secrets) {
		return Objects.requireNonNull(SecretSanitizer.ofValues(secrets).sanitize(of(ex)));
	}

}

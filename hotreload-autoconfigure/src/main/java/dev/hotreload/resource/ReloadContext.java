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

import java.util.Set;

import dev.hotreload.source.ReloadTrigger;
import dev.hotreload.support.SecretSanitizer;
import org.springframework.boot.context.properties.bind.Binder;

/**
 * What a resource is given to prepare a change: a binder over the candidate environment
 * (the live one with the changed sources replaced) and the keys that changed.
 *
 * @param binder binds the candidate environment
 * @param changedKeys the keys that changed
 * @param trigger what asked for the reload
 * @param dryRun whether the change will only be validated
 * @param environmentChanged whether the source has already changed the live environment
 * (as Spring Cloud's refresh has), so that it keeps the change even if the resources
 * reject it
 * @param secrets removes the credential-like values of the live and the new config from a
 * text, such as a driver's message, before it is kept or shown
 * @author hotreload authors
 */
public record ReloadContext(Binder binder, Set<String> changedKeys, ReloadTrigger trigger, boolean dryRun,
		boolean environmentChanged, SecretSanitizer secrets) {

	/**
	 * Whether a key at or below the given prefix changed.
	 * @param prefix a property prefix such as {@code spring.datasource}
	 * @return whether a key under the prefix changed
	 */
	public boolean changedUnder(String prefix) {
		String dotted = prefix + ".";
		return this.changedKeys.stream().anyMatch((key) -> key.equals(prefix) || key.startsWith(dotted));
	}

}

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

package dev.hotreload.engine;

import java.util.Collection;

import org.jspecify.annotations.Nullable;

import org.springframework.core.env.PropertySource;
import org.springframework.core.env.PropertySources;

/**
 * A property source derived from the others, such as the {@code decrypted} one Spring
 * Cloud puts first at startup with the plain values of every {@code {cipher}} value. A
 * reload derives it again from the candidate environment before any resource is prepared,
 * so the resources see the new plain values, and puts it in the live environment with the
 * commit. Declare a bean of this type to derive one.
 *
 * @author hotreload authors
 */
public interface DerivedPropertySource {

	/**
	 * The name of the derived property source, put first in the environment.
	 * @return the name
	 */
	String name();

	/**
	 * Whether the derived property source may change with the given new content: when
	 * not, the live one is kept as it is and {@link #derive} is not called, so a reload
	 * pays nothing for a derived source it cannot affect.
	 * @param live the live derived property source, or {@code null}
	 * @param replacements the new property sources of the changed sources
	 * @return whether to derive it again
	 */
	default boolean mayChange(@Nullable PropertySource<?> live, Collection<? extends PropertySource<?>> replacements) {
		return true;
	}

	/**
	 * Derive the property source from the candidate environment.
	 * @param candidate the candidate property sources, without this derived one
	 * @return the derived property source, or {@code null} when there is nothing to
	 * derive (it is then removed)
	 * @throws IllegalStateException if it cannot be derived; the message says why in
	 * words that hold no secret, and the change is rejected
	 */
	@Nullable PropertySource<?> derive(PropertySources candidate);

}

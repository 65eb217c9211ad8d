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

import org.springframework.util.ClassUtils;

/**
 * Checks against Spring Boot types that are not public, such as the connection details
 * Boot adapts from its properties.
 *
 * @author hotreload authors
 */
public final class BootTypes {

	private BootTypes() {
	}

	/**
	 * Whether an object is an instance of the named type, when that type is present.
	 * @param object the object
	 * @param typeName the fully qualified name of the type
	 * @return whether the object is an instance of that type
	 */
	public static boolean isInstance(Object object, String typeName) {
		ClassLoader classLoader = object.getClass().getClassLoader();
		return ClassUtils.isPresent(typeName, classLoader)
				&& ClassUtils.resolveClassName(typeName, classLoader).isInstance(object);
	}

}

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
 * Format of a config source's content.
 *
 * @author hotreload authors
 */
public enum ConfigFormat {

	/**
	 * Java properties.
	 */
	PROPERTIES,

	/**
	 * YAML, one or more documents.
	 */
	YAML;

	/**
	 * Return the format a file name's extension stands for.
	 * @param name a file name or Nacos data-id
	 * @return the format
	 * @throws IllegalArgumentException if the extension is not one of .properties, .yaml
	 * or .yml
	 */
	public static ConfigFormat fromName(String name) {
		String lower = name.toLowerCase(Locale.ROOT);
		if (lower.endsWith(".yaml") || lower.endsWith(".yml")) {
			return YAML;
		}
		if (lower.endsWith(".properties")) {
			return PROPERTIES;
		}
		throw new IllegalArgumentException(
				"Cannot tell the format of '" + name + "': use a .properties, .yaml or .yml name or set the format");
	}

}

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
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * The keys at or below a resource's prefixes, read once from the environment with
 * placeholders resolved, as a binder of their own: a resource reads its settings and
 * binds its candidate from it, with the same result for anything under the prefixes and
 * at a fraction of the cost of binding against every property source of the environment
 * (each property of a bound bean is otherwise looked up in each source). It lives for one
 * reload's preparation; nothing keeps its values.
 *
 * @author hotreload authors
 */
public final class PrefixedKeys {

	private PrefixedKeys() {
	}

	/**
	 * Read the keys at or below the given prefixes.
	 * @param environment the binder over the environment
	 * @param prefixes property prefixes such as {@code spring.datasource}
	 * @return a binder over those keys only
	 */
	public static Binder read(Binder environment, String... prefixes) {
		return new Binder(new MapConfigurationPropertySource(values(environment, prefixes)));
	}

	/**
	 * Read the keys at or below the given prefixes as a map, such as the property source
	 * of a candidate's own environment.
	 * @param environment the binder over the environment
	 * @param prefixes property prefixes such as {@code spring.data.redis}
	 * @return each key, in full ({@code spring.data.redis.port}), with its value, in the
	 * order read
	 */
	public static Map<String, Object> values(Binder environment, String... prefixes) {
		Map<String, Object> values = new LinkedHashMap<>();
		for (String prefix : outermost(prefixes)) {
			forEach(environment, prefix, values::put);
		}
		return values;
	}

	/**
	 * Give every key at or below a prefix, placeholders resolved, with its value: the
	 * prefix's own value, or else the keys below it (a key that holds a value has none
	 * that Spring Boot binds below it, and binding them as a map would fail).
	 * @param environment the binder over the environment
	 * @param prefix a property prefix such as {@code spring.datasource}
	 * @param action given each key, in full ({@code spring.datasource.url}), and its
	 * value
	 */
	static void forEach(Binder environment, String prefix, BiConsumer<String, String> action) {
		String value = environment.bind(prefix, String.class).orElse(null);
		if (value != null) {
			action.accept(prefix, value);
			return;
		}
		environment.bind(prefix, Bindable.mapOf(String.class, String.class))
			.ifBound((entries) -> entries.forEach((key, entry) -> action.accept(prefix + "." + key, entry)));
	}

	/**
	 * The prefixes that are not below another one given, in their order, each once: the
	 * keys of a prefix below another are read with it.
	 * @param prefixes property prefixes
	 * @return the outermost ones
	 */
	static List<String> outermost(String... prefixes) {
		List<ConfigurationPropertyName> names = Arrays.stream(prefixes).map(ConfigurationPropertyName::of).toList();
		List<String> outermost = new ArrayList<>();
		for (int i = 0; i < prefixes.length; i++) {
			ConfigurationPropertyName name = names.get(i);
			if (names.stream().noneMatch((other) -> other.isAncestorOf(name)) && !names.subList(0, i).contains(name)) {
				outermost.add(prefixes[i]);
			}
		}
		return outermost;
	}

}

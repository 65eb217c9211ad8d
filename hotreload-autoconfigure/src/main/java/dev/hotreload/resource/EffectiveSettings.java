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

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;

/**
 * The settings a resource is built from, as the environment resolves them (placeholders
 * included): the keys under the resource's prefixes plus any input that does not come
 * from properties, such as connection details. Two resources built from equal settings
 * are equal, so a reload that leaves a resource's settings equal leaves the resource
 * alone.
 * <p>
 * Values are kept as SHA-256 digests only, so an instance never holds or prints a secret.
 *
 * @author hotreload authors
 */
public final class EffectiveSettings {

	private final Map<String, String> digests;

	private EffectiveSettings(Map<String, String> digests) {
		this.digests = Collections.unmodifiableMap(digests);
	}

	/**
	 * Read every key at or below the given prefixes, placeholders resolved (see
	 * {@link PrefixedKeys#forEach}). A prefix below another one given (such as
	 * {@code spring.datasource.hikari} with {@code spring.datasource}) is read with it,
	 * not once more.
	 * @param binder the binder over the environment to read
	 * @param prefixes property prefixes such as {@code spring.datasource}
	 * @return the settings
	 */
	public static EffectiveSettings of(Binder binder, String... prefixes) {
		Map<String, String> digests = new TreeMap<>();
		for (String prefix : PrefixedKeys.outermost(prefixes)) {
			PrefixedKeys.forEach(binder, prefix, (key, value) -> digests.put(canonical(key), digest(value)));
		}
		return new EffectiveSettings(digests);
	}

	/**
	 * Return these settings with another input.
	 * @param name the input's name, such as {@code details.jdbc-url}
	 * @param value its value
	 * @return the settings with the input
	 */
	public EffectiveSettings and(String name, @Nullable Object value) {
		Map<String, String> digests = new TreeMap<>(this.digests);
		digests.put(name, digest((value != null) ? value.toString() : null));
		return new EffectiveSettings(digests);
	}

	/**
	 * Return these settings without the given keys and the keys below them.
	 * @param names property names, such as {@code spring.datasource.url}
	 * @return the settings without them
	 */
	public EffectiveSettings without(String... names) {
		Map<String, String> digests = new TreeMap<>(this.digests);
		for (String name : names) {
			String key = canonical(name);
			digests.keySet()
				.removeIf((candidate) -> candidate.equals(key) || candidate.startsWith(key + ".")
						|| candidate.startsWith(key + "["));
		}
		return new EffectiveSettings(digests);
	}

	/**
	 * Return the names of the keys and inputs whose values differ.
	 * @param other the settings to compare with
	 * @return the names, sorted
	 */
	public Set<String> differences(EffectiveSettings other) {
		Set<String> names = new TreeSet<>();
		this.digests.forEach((name, digest) -> {
			if (!digest.equals(other.digests.get(name))) {
				names.add(name);
			}
		});
		other.digests.keySet().stream().filter((name) -> !this.digests.containsKey(name)).forEach(names::add);
		return names;
	}

	/**
	 * The name in Spring Boot's uniform form (lower case, no dashes), so that relaxed
	 * spellings of one key are one setting.
	 */
	private static String canonical(String name) {
		ConfigurationPropertyName property = ConfigurationPropertyName.adapt(name, '.');
		StringBuilder canonical = new StringBuilder();
		for (int i = 0; i < property.getNumberOfElements(); i++) {
			String element = property.getElement(i, ConfigurationPropertyName.Form.UNIFORM);
			if (property.isNumericIndex(i)) {
				canonical.append('[').append(element).append(']');
			}
			else {
				canonical.append(canonical.isEmpty() ? "" : ".").append(element);
			}
		}
		return canonical.toString();
	}

	private static String digest(@Nullable String value) {
		if (value == null) {
			return "null";
		}
		try {
			byte[] hash = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(hash);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return (other instanceof EffectiveSettings settings) && this.digests.equals(settings.digests);
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.digests);
	}

	@Override
	public String toString() {
		return "EffectiveSettings" + this.digests.keySet();
	}

}

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

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.hotreload.support.SecretSanitizer;

import org.springframework.boot.env.PropertiesPropertySourceLoader;
import org.springframework.boot.env.PropertySourceLoader;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ByteArrayResource;

/**
 * Parses raw config bytes with Spring Boot's own property source loaders and digests
 * them.
 *
 * @author hotreload authors
 */
public final class ConfigParser {

	private ConfigParser() {
	}

	/**
	 * Parse content into a flat map of keys, as Spring Boot would load the same file.
	 * Documents of a multi-document YAML file are merged, later ones winning. Values keep
	 * their origin.
	 * @param sourceName the source's name, used as the origin's description
	 * @param format the content's format
	 * @param bytes the raw content
	 * @return the keys and their values
	 * @throws InvalidConfigException if the content cannot be parsed
	 */
	public static Map<String, Object> parse(String sourceName, ConfigFormat format, byte[] bytes) {
		if (bytes.length == 0) {
			return Map.of();
		}
		PropertySourceLoader loader = (format == ConfigFormat.YAML) ? new YamlPropertySourceLoader()
				: new PropertiesPropertySourceLoader();
		try {
			List<PropertySource<?>> documents = loader.load(sourceName, new ByteArrayResource(bytes, sourceName));
			Map<String, Object> properties = new LinkedHashMap<>();
			for (PropertySource<?> document : documents) {
				if (document instanceof EnumerablePropertySource<?> enumerable) {
					for (String name : enumerable.getPropertyNames()) {
						Object value = (document.getSource() instanceof Map<?, ?> map) ? map.get(name)
								: enumerable.getProperty(name);
						if (value != null) {
							properties.put(name, value);
						}
					}
				}
			}
			return properties;
		}
		catch (IOException | RuntimeException ex) {
			// the parser's message quotes the offending line, which may hold a secret
			SecretSanitizer secrets = SecretSanitizer.ofContent(bytes);
			throw new InvalidConfigException("Malformed " + format.name().toLowerCase() + " content in " + sourceName
					+ ": " + secrets.sanitize(firstLine(ex)) + "; fix it and save again", secrets.sanitize(ex));
		}
	}

	/**
	 * Return the lowercase hex SHA-256 of the given bytes.
	 * @param bytes the bytes
	 * @return the digest
	 */
	public static String sha256(byte[] bytes) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String firstLine(Throwable ex) {
		String message = (ex.getMessage() != null) ? ex.getMessage() : ex.getClass().getSimpleName();
		return message.replace('\n', ' ').replaceAll("\\s+", " ").trim();
	}

	/**
	 * Thrown when content cannot be parsed.
	 */
	public static final class InvalidConfigException extends RuntimeException {

		InvalidConfigException(String message, Throwable cause) {
			super(message, cause);
		}

	}

}

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

import java.time.Instant;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.OriginLookup;
import org.springframework.boot.origin.OriginTrackedValue;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.SimpleCommandLinePropertySource;

/**
 * The keys of one {@link ConfigSource} as last applied, with the digest of the raw bytes
 * they were parsed from. Immutable: a reload replaces the whole property source.
 *
 * @author hotreload authors
 */
public final class SourcePropertySource extends MapPropertySource implements OriginLookup<String> {

	private final String sourceName;

	private final String location;

	private final ConfigFormat format;

	private final @Nullable String digest;

	private final @Nullable Instant lastModified;

	public SourcePropertySource(ConfigSource source, Map<String, Object> properties, @Nullable String digest,
			@Nullable Instant lastModified) {
		this(source.name(), source.location(), source.format(), properties, digest, lastModified);
	}

	public SourcePropertySource(String sourceName, String location, ConfigFormat format, Map<String, Object> properties,
			@Nullable String digest, @Nullable Instant lastModified) {
		super(ConfigSource.PROPERTY_SOURCE_PREFIX + sourceName, Map.copyOf(properties));
		this.sourceName = sourceName;
		this.location = location;
		this.format = format;
		this.digest = digest;
		this.lastModified = lastModified;
	}

	@Override
	public @Nullable Object getProperty(String name) {
		Object value = super.getProperty(name);
		return (value instanceof OriginTrackedValue tracked) ? tracked.getValue() : value;
	}

	@Override
	public @Nullable Origin getOrigin(String key) {
		Object value = super.getProperty(key);
		return (value instanceof OriginTrackedValue tracked) ? tracked.getOrigin() : null;
	}

	/**
	 * Return the name of the config source whose keys this holds.
	 * @return the source name
	 */
	public String getSourceName() {
		return this.sourceName;
	}

	public String getLocation() {
		return this.location;
	}

	public ConfigFormat getFormat() {
		return this.format;
	}

	/**
	 * Return the lowercase hex SHA-256 of the raw bytes these keys were parsed from.
	 * @return the digest, or {@code null} if the source had no content at startup
	 */
	public @Nullable String getDigest() {
		return this.digest;
	}

	public @Nullable Instant getLastModified() {
		return this.lastModified;
	}

	/**
	 * Add a source's property source to an environment for the first time: just below the
	 * command-line arguments (or first when there are none), so that a source added later
	 * takes precedence over one added earlier and command-line arguments still override
	 * every source.
	 * @param propertySources the environment's property sources
	 * @param propertySource the property source to add
	 */
	public static void addToEnvironment(MutablePropertySources propertySources, PropertySource<?> propertySource) {
		String commandLine = SimpleCommandLinePropertySource.COMMAND_LINE_PROPERTY_SOURCE_NAME;
		if (propertySources.contains(propertySource.getName())) {
			propertySources.replace(propertySource.getName(), propertySource);
		}
		else if (propertySources.contains(commandLine)) {
			propertySources.addAfter(commandLine, propertySource);
		}
		else {
			propertySources.addFirst(propertySource);
		}
	}

	/**
	 * Shortcut for {@link #addToEnvironment(MutablePropertySources, PropertySource)}.
	 * @param environment the environment
	 * @param propertySource the property source to add
	 */
	public static void addToEnvironment(ConfigurableEnvironment environment, PropertySource<?> propertySource) {
		addToEnvironment(environment.getPropertySources(), propertySource);
	}

}

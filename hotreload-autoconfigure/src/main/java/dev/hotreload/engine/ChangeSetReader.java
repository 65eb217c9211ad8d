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

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import dev.hotreload.history.ChangeType;
import dev.hotreload.history.ChangedKey;
import dev.hotreload.history.ReloadOutcome;
import dev.hotreload.source.ConfigContent;
import dev.hotreload.source.ConfigParser;
import dev.hotreload.source.ConfigSource;
import dev.hotreload.source.SourcePropertySource;
import dev.hotreload.support.SecretSanitizer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.origin.OriginTrackedValue;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;

/**
 * The first stage of a reload: reads the requested sources (or takes the content a source
 * pushed), digests their bytes, parses what changed and diffs it against the live keys,
 * into a {@link ChangeSet}.
 * <p>
 * A source that suddenly becomes empty or keeps fewer than half of its live keys may have
 * been caught mid-write: it is read again after its {@link ConfigSource#settleTime()
 * quiet period} and applied only if it stays so. Every content read teaches the reload's
 * {@link SecretSanitizer} its credential-like values.
 *
 * @author hotreload authors
 */
final class ChangeSetReader {

	private static final Log logger = LogFactory.getLog(ReloadEngine.class);

	static final String CONFIGURATION_PROPERTIES_SOURCE = "configurationProperties";

	/**
	 * How many times a source that suddenly loses most of its keys is read again.
	 */
	private static final int CONFIRM_ATTEMPTS = 3;

	private final Reload reload;

	private final ConfigurableEnvironment environment;

	private final List<DerivedPropertySource> derivedSources;

	private final Set<String> derivedNames = new HashSet<>();

	ChangeSetReader(Reload reload, ConfigurableEnvironment environment, List<DerivedPropertySource> derivedSources) {
		this.reload = reload;
		this.environment = environment;
		this.derivedSources = derivedSources;
		derivedSources.forEach((derived) -> this.derivedNames.add(derived.name()));
	}

	/**
	 * Read the sources.
	 * @param selected the sources to read
	 * @return what changed, or {@code null} if nothing did
	 * @throws RefusedChange if a source cannot be read or parsed, or its digest is not
	 * the expected one
	 */
	@Nullable ChangeSet read(List<ConfigSource> selected) throws RefusedChange {
		ReloadRequest request = this.reload.request();
		Map<ConfigSource, ConfigContent> contents = new LinkedHashMap<>();
		Map<ConfigSource, String> digests = new LinkedHashMap<>();
		for (ConfigSource source : selected) {
			try {
				ConfigContent pushed = (selected.size() == 1 && !this.reload.readsSources()) ? request.content() : null;
				ConfigContent content = (pushed != null) ? pushed : source.read();
				this.reload.confirmLater(source, content);
				contents.put(source, content);
				String digest = ConfigParser.sha256(content.bytes());
				digests.put(source, digest);
				this.reload.learnSecrets(SecretSanitizer.ofContent(content.bytes()));
				observe(source, content, digest, null);
			}
			catch (NoSuchFileException ex) {
				if (this.reload.readsSources() && request.content() != null) {
					// gone since it was pushed: as for a source that was never seen
					// changing
					throw new RefusedChange(ReloadOutcome.NO_CHANGE,
							source.describe() + " is gone; its live keys stay until it is back");
				}
				throw unreadable(source, ex);
			}
			catch (Exception ex) {
				throw unreadable(source, ex);
			}
		}
		this.reload.phase("read");
		if (selected.size() == 1) {
			describeSingle(selected.get(0), digests.get(selected.get(0)));
		}
		String expected = request.expectedDigest();
		if (expected != null) {
			checkDigest(selected, expected);
		}
		Map<ConfigSource, String> changed = new LinkedHashMap<>();
		digests.forEach((source, digest) -> {
			SourcePropertySource live = livePropertySource(source);
			if (live == null || !digest.equals(live.getDigest())) {
				changed.put(source, digest);
			}
		});
		if (changed.isEmpty()) {
			return null;
		}
		if (changed.size() == 1 && selected.size() > 1) {
			ConfigSource only = changed.keySet().iterator().next();
			this.reload.setSourceName(only.name());
			describeSingle(only, changed.get(only));
		}
		Map<String, SourcePropertySource> replacements = new LinkedHashMap<>();
		Set<String> keys = new LinkedHashSet<>();
		for (Map.Entry<ConfigSource, String> change : changed.entrySet()) {
			SourcePropertySource replacement = parse(change.getKey(), contents.get(change.getKey()), change.getValue(),
					changed.size() == 1, expected == null);
			if (replacement != null) {
				replacements.put(replacement.getName(), replacement);
				diff(livePropertySource(change.getKey()), replacement, keys);
			}
		}
		if (replacements.isEmpty()) {
			return null;
		}
		MutablePropertySources candidate = candidatePropertySources(replacements);
		Map<String, @Nullable PropertySource<?>> derived = derive(candidate, replacements.values());
		PropertySourcesPlaceholdersResolver placeholders = new PropertySourcesPlaceholdersResolver(candidate);
		this.reload.learnSecrets(SecretSanitizer.of(replacements.values(), (value) -> {
			Object resolved = placeholders.resolvePlaceholders(value);
			return (resolved != null) ? resolved.toString() : null;
		}));
		this.reload.setChangedKeys(effectiveChanges(keys, candidate));
		this.reload.phase("parse");
		return new ChangeSet(replacements, derived, candidate, keys);
	}

	/**
	 * Derive every {@link DerivedPropertySource} again from the candidate, in place of
	 * the live one, and learn its values as secrets (they are plain values of ciphers).
	 */
	private Map<String, @Nullable PropertySource<?>> derive(MutablePropertySources candidate,
			Collection<SourcePropertySource> replacements) throws RefusedChange {
		Map<String, @Nullable PropertySource<?>> derived = new LinkedHashMap<>();
		for (DerivedPropertySource source : this.derivedSources) {
			if (!source.mayChange(candidate.get(source.name()), replacements)) {
				continue;
			}
			candidate.remove(source.name());
			PropertySource<?> propertySource;
			try {
				propertySource = source.derive(candidate);
			}
			catch (IllegalStateException ex) {
				throw RefusedChange.rejected("Rejected change from " + this.reload.sourceName() + ": "
						+ Reload.message(ex) + "; the previous configuration keeps serving");
			}
			if (propertySource instanceof EnumerablePropertySource<?> enumerable) {
				List<String> values = new ArrayList<>();
				for (String name : enumerable.getPropertyNames()) {
					Object value = enumerable.getProperty(name);
					if (value != null) {
						values.add(value.toString());
					}
				}
				this.reload.learnSecrets(SecretSanitizer.ofValues(values));
			}
			if (propertySource != null) {
				candidate.addFirst(propertySource);
			}
			derived.put(source.name(), propertySource);
		}
		return derived;
	}

	private void describeSingle(ConfigSource source, @Nullable String digest) {
		SourcePropertySource live = livePropertySource(source);
		this.reload.setDigests(digest, (live != null) ? live.getDigest() : null);
	}

	private void checkDigest(List<ConfigSource> selected, String expected) throws RefusedChange {
		if (selected.size() != 1) {
			throw RefusedChange.rejected("expectedDigest needs a single source; name one with 'source'");
		}
		String digest = Objects.requireNonNull(this.reload.digest());
		if (!expected.equalsIgnoreCase(digest)) {
			throw RefusedChange.rejected("Content of " + this.reload.sourceName() + " has digest " + digest
					+ ", not the expected " + expected + "; re-read the source and retry with its current digest");
		}
	}

	/**
	 * Parse a source's changed content, reading it again while it looks caught mid-write.
	 * @return its new property source, or {@code null} if it is back to the live content
	 */
	private @Nullable SourcePropertySource parse(ConfigSource source, ConfigContent content, String digest,
			boolean only, boolean confirm) throws RefusedChange {
		SourcePropertySource live = livePropertySource(source);
		Map<String, Object> properties;
		try {
			properties = ConfigParser.parse(source.name(), source.format(), content.bytes());
			observe(source, content, digest, properties.size());
			for (int attempt = 0; attempt < CONFIRM_ATTEMPTS && confirm && losesMostKeys(live, properties); attempt++) {
				ConfigContent again = settleAndRead(source);
				// read once settled: nothing left to confirm
				this.reload.confirmLater(source, again);
				String againDigest = ConfigParser.sha256(again.bytes());
				if (againDigest.equals(digest)) {
					break;
				}
				logger
					.debug("Content of " + source.name() + " changed while it was being read; using the newer content");
				content = again;
				digest = againDigest;
				this.reload.learnSecrets(SecretSanitizer.ofContent(content.bytes()));
				observe(source, content, digest, null);
				properties = ConfigParser.parse(source.name(), source.format(), content.bytes());
				observe(source, content, digest, properties.size());
			}
		}
		catch (ConfigParser.InvalidConfigException ex) {
			throw RefusedChange.rejected(ex.getMessage() + "; the previous configuration keeps serving");
		}
		catch (IOException ex) {
			throw unreadable(source, ex);
		}
		if (only) {
			this.reload.setDigests(digest, this.reload.previousDigest());
		}
		if (live != null && digest.equals(live.getDigest())) {
			// read again, it is back to the live content
			return null;
		}
		if (!content.exists()) {
			this.reload.deleted(source.describe());
		}
		return new SourcePropertySource(source, properties, digest, content.lastModified());
	}

	private static RefusedChange unreadable(ConfigSource source, Exception ex) {
		return RefusedChange.rejected("Could not read " + source.name() + " (" + source.location() + "): "
				+ Reload.message(ex) + "; the previous configuration keeps serving");
	}

	/**
	 * Wait for the source's quiet period and read it again.
	 */
	private static ConfigContent settleAndRead(ConfigSource source) throws IOException {
		Duration quiet = source.settleTime();
		if (!quiet.isZero() && !quiet.isNegative()) {
			try {
				Thread.sleep(quiet.toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new InterruptedIOException("interrupted while waiting for " + source.name() + " to settle");
			}
		}
		return source.read();
	}

	/**
	 * Remember what was read from a source, for the endpoint.
	 */
	private void observe(ConfigSource source, ConfigContent content, String digest, @Nullable Integer keys) {
		SourcePropertySource live = livePropertySource(source);
		Integer count = (keys == null && live != null && digest.equals(live.getDigest()))
				? Integer.valueOf(live.getPropertyNames().length) : keys;
		this.reload.observed(source.name(), new SourceState.Current(digest, count, content.exists(), Instant.now()));
	}

	private @Nullable SourcePropertySource livePropertySource(ConfigSource source) {
		return livePropertySource(this.environment, source);
	}

	static @Nullable SourcePropertySource livePropertySource(ConfigurableEnvironment environment, ConfigSource source) {
		PropertySource<?> propertySource = environment.getPropertySources().get(source.propertySourceName());
		return (propertySource instanceof SourcePropertySource live) ? live : null;
	}

	private MutablePropertySources candidatePropertySources(Map<String, SourcePropertySource> replacements) {
		MutablePropertySources candidate = new MutablePropertySources();
		for (PropertySource<?> propertySource : this.environment.getPropertySources()) {
			if (CONFIGURATION_PROPERTIES_SOURCE.equals(propertySource.getName())) {
				continue;
			}
			PropertySource<?> replacement = replacements.get(propertySource.getName());
			candidate.addLast((replacement != null) ? replacement : propertySource);
		}
		for (SourcePropertySource replacement : replacements.values()) {
			if (!candidate.contains(replacement.getName())) {
				SourcePropertySource.addToEnvironment(candidate, replacement);
			}
		}
		return candidate;
	}

	/**
	 * Add the keys a source's new content adds, changes or removes. Their recorded values
	 * are the effective ones (see {@link #effectiveChanges}), so a key overridden by a
	 * higher source is still listed: its value did not change, but its source did.
	 */
	private static void diff(@Nullable SourcePropertySource live, SourcePropertySource replacement, Set<String> keys) {
		Map<String, Object> before = (live != null) ? live.getSource() : Map.of();
		Map<String, Object> after = replacement.getSource();
		after.forEach((key, value) -> {
			if (!Objects.equals(unwrap(before.get(key)), unwrap(value))) {
				keys.add(key);
			}
		});
		before.keySet().stream().filter((key) -> !after.containsKey(key)).forEach(keys::add);
	}

	private List<ChangedKey> effectiveChanges(Set<String> keys, MutablePropertySources candidate) {
		List<ChangedKey> result = new ArrayList<>();
		for (String key : keys) {
			Object before = lookup(this.environment.getPropertySources(), key);
			Object after = lookup(candidate, key);
			ChangeType type = (before == null) ? ChangeType.ADDED
					: (after == null) ? ChangeType.REMOVED : ChangeType.MODIFIED;
			result.add(new ChangedKey(key, type, before, after));
		}
		result.sort((a, b) -> a.key().compareTo(b.key()));
		return result;
	}

	/**
	 * The value of a key as the config holds it: derived values (plain values of ciphers)
	 * are never recorded.
	 */
	private @Nullable Object lookup(Iterable<PropertySource<?>> propertySources, String key) {
		for (PropertySource<?> propertySource : propertySources) {
			if (!CONFIGURATION_PROPERTIES_SOURCE.equals(propertySource.getName())
					&& !this.derivedNames.contains(propertySource.getName())) {
				Object value = propertySource.getProperty(key);
				if (value != null) {
					return unwrap(value);
				}
			}
		}
		return null;
	}

	private static @Nullable Object unwrap(@Nullable Object value) {
		return (value instanceof OriginTrackedValue tracked) ? tracked.getValue() : value;
	}

	/**
	 * Whether new content leaves a source with none, or fewer than half, of its live
	 * keys.
	 */
	private static boolean losesMostKeys(@Nullable SourcePropertySource live, Map<String, Object> properties) {
		int before = (live != null) ? live.getPropertyNames().length : 0;
		return before > 0 && properties.size() * 2 < before;
	}

}

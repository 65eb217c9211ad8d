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

package dev.hotreload.guard;

import java.util.function.Supplier;

import dev.hotreload.engine.ReloadGuard;
import dev.hotreload.history.ReloadOutcome;
import org.apache.maven.artifact.versioning.DefaultArtifactVersion;
import org.apache.maven.artifact.versioning.InvalidVersionSpecificationException;
import org.apache.maven.artifact.versioning.VersionRange;
import org.jspecify.annotations.Nullable;

import org.springframework.core.env.PropertySource;

/**
 * Checks a config's {@code hotreload.require.version} against the version of the running
 * build (from build-info). The requirement is a Maven version range, such as
 * {@code [2.3.0,3.0.0)}; a bare version {@code 2.3.0} means that version or later.
 *
 * @author hotreload authors
 */
public final class VersionGuard implements ReloadGuard {

	/**
	 * The key a config sets to require a version range.
	 */
	public static final String REQUIRE_VERSION_PROPERTY = "hotreload.require.version";

	private final Supplier<@Nullable String> buildVersion;

	/**
	 * Create a guard.
	 * @param buildVersion supplies the running build's version, {@code null} without
	 * build info
	 */
	public VersionGuard(Supplier<@Nullable String> buildVersion) {
		this.buildVersion = buildVersion;
	}

	@Override
	public @Nullable Refusal review(PropertySource<?> content) {
		Object requirement = content.getProperty(REQUIRE_VERSION_PROPERTY);
		Verdict verdict = check((requirement != null) ? requirement.toString() : null);
		return verdict.accepted() ? null
				: new Refusal(ReloadOutcome.VERSION_MISMATCH, String.valueOf(verdict.reason()));
	}

	/**
	 * Check a requirement.
	 * @param requirement the range a config requires, or {@code null}
	 * @return the verdict
	 */
	public Verdict check(@Nullable String requirement) {
		if (requirement == null || requirement.isBlank()) {
			return Verdict.ACCEPTED;
		}
		String spec = requirement.trim();
		VersionRange range;
		try {
			range = VersionRange.createFromVersionSpec(isRange(spec) ? spec : "[" + spec + ",)");
		}
		catch (InvalidVersionSpecificationException ex) {
			return new Verdict(false, "Invalid " + REQUIRE_VERSION_PROPERTY + " '" + spec + "': " + ex.getMessage()
					+ "; use a Maven version range such as [2.3.0,3.0.0)");
		}
		String version = this.buildVersion.get();
		if (version == null) {
			return new Verdict(false, "Config requires version " + spec
					+ " but this instance has no build info to check it against; add the spring-boot-maven-plugin build-info goal");
		}
		if (!range.containsVersion(new DefaultArtifactVersion(version))) {
			return new Verdict(false, "Config requires version " + spec + " but this instance runs " + version);
		}
		return Verdict.ACCEPTED;
	}

	private static boolean isRange(String spec) {
		char first = spec.charAt(0);
		return first == '[' || first == '(';
	}

	/**
	 * The verdict on a requirement.
	 *
	 * @param accepted whether the instance may apply the config
	 * @param reason why not, when not accepted
	 */
	public record Verdict(boolean accepted, @Nullable String reason) {

		/**
		 * No requirement, or one the instance meets.
		 */
		public static final Verdict ACCEPTED = new Verdict(true, null);

	}

}

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

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link VersionGuard}.
 */
class VersionGuardTests {

	@Test
	void acceptsWhenNothingIsRequired() {
		assertThat(new VersionGuard(() -> null).check(null).accepted()).isTrue();
	}

	@Test
	void acceptsAVersionInsideTheRange() {
		VersionGuard guard = new VersionGuard(() -> "2.3.0");
		assertThat(guard.check("[2.3.0,3.0.0)").accepted()).isTrue();
		assertThat(guard.check("(,2.3.0]").accepted()).isTrue();
	}

	@Test
	void refusesAVersionOutsideTheRange() {
		VersionGuard.Verdict verdict = new VersionGuard(() -> "3.0.0").check("[2.3.0,3.0.0)");
		assertThat(verdict.accepted()).isFalse();
		assertThat(verdict.reason()).isEqualTo("Config requires version [2.3.0,3.0.0) but this instance runs 3.0.0");
	}

	@Test
	void treatsABareVersionAsAMinimum() {
		assertThat(new VersionGuard(() -> "2.9.1").check("2.4").accepted()).isTrue();
		assertThat(new VersionGuard(() -> "2.3.9").check("2.4").accepted()).isFalse();
	}

	@Test
	void refusesWithoutBuildInfo() {
		VersionGuard.Verdict verdict = new VersionGuard(() -> null).check("[1.0,)");
		assertThat(verdict.accepted()).isFalse();
		assertThat(verdict.reason()).contains("no build info");
	}

	@Test
	void refusesAMalformedRange() {
		VersionGuard.Verdict verdict = new VersionGuard(() -> "1.0").check("[1.0,");
		assertThat(verdict.accepted()).isFalse();
		assertThat(verdict.reason()).startsWith("Invalid hotreload.require.version '[1.0,'");
	}

}

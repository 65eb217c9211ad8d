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

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

package dev.hotreload.resource.jdbc;

import java.nio.file.Path;
import java.util.function.Function;

import dev.hotreload.testsupport.jdbc.PostgresCluster;
import dev.hotreload.testsupport.jdbc.SilentDatabaseFailover;
import dev.hotreload.testsupport.jdbc.SilentDatabaseFailover.Silencer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Leaving a database that stops answering without closing its connections: under 32
 * threads of transactions, the application's PostgreSQL falls silent (a proxy in front of
 * it stops passing anything on, as in a network partition, or a cluster of the test's own
 * is paused with SIGSTOP), then the config points at a database that answers. The
 * transactions under way on the silent server can never complete; the retiring pool finds
 * its server silent (no transaction ended for a second, then two new connections got no
 * answer within the validation timeout) and is closed then, not at the 30 s drain
 * timeout, and every request that starts a second after the change commits on the new
 * database.
 */
@ExtendWith(OutputCaptureExtension.class)
class SilentDatabaseFailoverTests {

	private static final String SILENT = SilentDatabaseFailover.SILENT;

	private static final String HEALTHY = SilentDatabaseFailover.HEALTHY;

	@TempDir
	Path directory;

	@Test
	void aRetiringPoolCutOffByAPartitionClosesOnceFoundSilentAndTheRestMovesOn(CapturedOutput output) throws Exception {
		SilentDatabaseFailover.behindAPartition(
				(silentUrl, silence) -> assertLeftOnceFoundSilent("a network partition", silentUrl, silence, output));
	}

	@Test
	void aRetiringPoolOnASilentServerClosesAtItsDrainTimeoutWhileItIsStillAsked(CapturedOutput output)
			throws Exception {
		SilentDatabaseFailover.behindAPartition(
				(silentUrl, silence) -> SilentDatabaseFailover.assertClosedAtTheDrainTimeoutWhileAsked(this.directory,
						silentUrl, silence, SilentDatabaseFailoverTests::yaml, application("3s"),
						DeadDatabaseFailoverTests::livePool, output));
	}

	@Test
	void aRetiringPoolOnAPausedServerClosesOnceFoundSilentAndTheRestMovesOn(CapturedOutput output) throws Exception {
		try (PostgresCluster paused = PostgresCluster.start()) {
			paused.createDatabase(SILENT);
			try {
				assertLeftOnceFoundSilent("a paused server", paused.url(SILENT), paused::pause, output);
			}
			finally {
				paused.resume();
			}
		}
	}

	@Test
	void aRetiringPoolWhoseServerAnswersKeepsItsLongTransactionUntilItEnds(CapturedOutput output) throws Exception {
		SilentDatabaseFailover.assertLongTransactionKeptOnAnAnsweringServer(this.directory,
				SilentDatabaseFailoverTests::yaml, application("30s"), DeadDatabaseFailoverTests::livePool, output);
	}

	private void assertLeftOnceFoundSilent(String fault, String silentUrl, Silencer silence, CapturedOutput output)
			throws Exception {
		SilentDatabaseFailover.assertLeftOnceFoundSilent(this.directory, fault, silentUrl, silence,
				SilentDatabaseFailoverTests::yaml, application("30s"), DeadDatabaseFailoverTests::livePool, output);
	}

	private static Function<Path, ConfigurableApplicationContext> application(String drainTimeout) {
		return SilentDatabaseFailover.application(ReloadableDataSourceLoadTests.TestApplication.class, drainTimeout);
	}

	private static String yaml(String url) {
		return "spring:\n  datasource:\n    url: " + url + "\n    username: postgres\n    password: postgres\n"
				+ "    hikari:\n      maximum-pool-size: 32\n";
	}

}

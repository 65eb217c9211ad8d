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

package dev.hotreload.resource.druid;

import java.nio.file.Path;
import java.util.function.Function;

import dev.hotreload.testsupport.jdbc.SilentDatabaseFailover;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Leaving a database that falls silent is the same with a Druid pool (see
 * {@link SilentDatabaseFailover}): the retiring pool logs in to its server to learn
 * whether it answers, and once found silent its borrowed connections, which Druid's close
 * would leave to their borrowers, are aborted, so that the transactions hung on them fail
 * instead of waiting for ever (Druid sets no read timeout).
 */
@ExtendWith(OutputCaptureExtension.class)
class DruidSilentDatabaseFailoverTests {

	@TempDir
	Path directory;

	@Test
	void aRetiringPoolCutOffByAPartitionClosesOnceFoundSilentAndTheRestMovesOn(CapturedOutput output) throws Exception {
		SilentDatabaseFailover
			.behindAPartition((silentUrl, silence) -> SilentDatabaseFailover.assertLeftOnceFoundSilent(this.directory,
					"a network partition", silentUrl, silence, DruidSilentDatabaseFailoverTests::yaml,
					application("30s"), DruidDeadDatabaseFailoverTests::livePool, output));
	}

	@Test
	void aRetiringPoolOnASilentServerClosesAtItsDrainTimeoutWhileItIsStillAsked(CapturedOutput output)
			throws Exception {
		SilentDatabaseFailover.behindAPartition(
				(silentUrl, silence) -> SilentDatabaseFailover.assertClosedAtTheDrainTimeoutWhileAsked(this.directory,
						silentUrl, silence, DruidSilentDatabaseFailoverTests::yaml, application("3s"),
						DruidDeadDatabaseFailoverTests::livePool, output));
	}

	@Test
	void aRetiringPoolWhoseServerAnswersKeepsItsLongTransactionUntilItEnds(CapturedOutput output) throws Exception {
		SilentDatabaseFailover.assertLongTransactionKeptOnAnAnsweringServer(this.directory,
				DruidSilentDatabaseFailoverTests::yaml, application("30s"), DruidDeadDatabaseFailoverTests::livePool,
				output);
	}

	private static Function<Path, ConfigurableApplicationContext> application(String drainTimeout) {
		return SilentDatabaseFailover.application(ReloadableDruidDataSourceLoadTests.TestApplication.class,
				drainTimeout);
	}

	/**
	 * A pool that opens its 32 connections when it starts: a connect of Druid's create
	 * thread under way when the server falls silent has no timeout (Druid sets none), and
	 * would outlive the pool.
	 */
	private static String yaml(String url) {
		return "spring:\n  datasource:\n    url: " + url + "\n    username: postgres\n    password: postgres\n"
				+ "    druid:\n      max-active: 32\n      initial-size: 32\n      max-wait: 30000\n";
	}

}

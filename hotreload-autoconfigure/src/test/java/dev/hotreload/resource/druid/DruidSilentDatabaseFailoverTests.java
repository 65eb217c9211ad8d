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
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import com.alibaba.druid.pool.DruidDataSource;
import dev.hotreload.testsupport.jdbc.ConfigFiles;
import dev.hotreload.testsupport.jdbc.DeadDatabaseFailover;
import dev.hotreload.testsupport.jdbc.SilentDatabaseFailover;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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

	/**
	 * Druid sets no login timeout by default: a connect of the live pool's create thread
	 * to a server that fell silent waited for ever, and its thread outlived the pool's
	 * close. hotreload bounds every login of the pools it manages by the validation
	 * timeout (2 s here).
	 */
	@Test
	void aConnectOfTheLivePoolToASilentServerEndsWithinTheValidationTimeoutAndOutlivesNoClose() throws Exception {
		SilentDatabaseFailover.behindAPartition((silentUrl, silence) -> {
			Path config = ConfigFiles.write(this.directory.resolve("application.yaml"),
					"spring:\n  datasource:\n    url: " + silentUrl
							+ "\n    username: postgres\n    password: postgres\n"
							+ "    druid:\n      max-active: 4\n      initial-size: 1\n      min-idle: 1\n");
			DeadDatabaseFailover.Pool pool;
			ExecutorService borrower = Executors.newSingleThreadExecutor();
			try (ConfigurableApplicationContext context = application("30s").apply(config)) {
				DruidDataSource live = context.getBean(ReloadableDruidDataSource.class).getPool();
				pool = DruidDeadDatabaseFailoverTests.livePool(context);
				silence.silence();
				try (Connection idle = live.getConnection()) {
					// one more than the pool holds: its create thread connects to the
					// silent server
					long start = System.nanoTime();
					borrower.execute(() -> {
						try (Connection more = live.getConnection(3000)) {
							// not expected: the server is silent
						}
						catch (SQLException ex) {
							// the wait ends after 3 s
						}
					});
					await().atMost(Duration.ofSeconds(10)).until(() -> live.getCreateErrorCount() > 0);
					long endedAfter = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
					assertThat(endedAfter).isBetween(1500L, 5000L);
					assertThat(live.getLastCreateError()).isInstanceOf(SQLException.class);
				}
			}
			finally {
				borrower.shutdown();
			}
			await().atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(pool.threads().getAsBoolean()).as("a thread of the closed pool left")
					.isFalse());
			assertThat(pool.closed().getAsBoolean()).isTrue();
			assertThat(borrower.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
		});
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

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

import com.alibaba.druid.pool.DruidDataSource;
import dev.hotreload.testsupport.jdbc.ConfigFiles;
import dev.hotreload.testsupport.jdbc.LiveThreads;
import dev.hotreload.testsupport.jdbc.SilentServerCandidates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Candidates of a Druid pool pointed at a server that accepts TCP connections and never
 * answers are rejected within the validation timeout and leave nothing behind (see
 * {@link SilentServerCandidates}), although the pool sets no connect or socket timeout of
 * its own (Druid's default, which would let a candidate's connect wait for ever).
 */
class DruidSilentServerCandidateTests {

	@TempDir
	Path directory;

	@Test
	void candidatesAgainstASilentServerAreRejectedInTimeAndLeaveNoThreadOrSocket() throws Exception {
		SilentServerCandidates.assertRejectedInTimeLeavingNothing(this.directory, DruidSilentServerCandidateTests::yaml,
				(config) -> ConfigFiles.run(ReloadableDruidDataSourceLoadTests.TestApplication.class, config,
						"--hotreload.datasource.validation-timeout="
								+ SilentServerCandidates.VALIDATION_TIMEOUT.toMillis() + "ms"),
				(context) -> context.getBean(ReloadableDruidDataSource.class).getPool(),
				(live) -> () -> LiveThreads.named("Druid-ConnectionPool-")
					.stream()
					.filter((name) -> !name.endsWith("-" + System.identityHashCode(live)))
					.toList());
	}

	private static String yaml(String url) {
		return "spring:\n  datasource:\n    url: " + url + "\n    username: postgres\n    password: postgres\n"
				+ "    druid:\n      max-active: 16\n      max-wait: 10000\n";
	}

}

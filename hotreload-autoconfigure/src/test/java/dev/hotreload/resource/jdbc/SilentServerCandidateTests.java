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

import dev.hotreload.testsupport.jdbc.ConfigFiles;
import dev.hotreload.testsupport.jdbc.LiveThreads;
import dev.hotreload.testsupport.jdbc.SilentServerCandidates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Candidates of a HikariCP pool pointed at a server that accepts TCP connections and
 * never answers are rejected within the validation timeout and leave nothing behind (see
 * {@link SilentServerCandidates}).
 */
class SilentServerCandidateTests {

	@TempDir
	Path directory;

	@Test
	void candidatesAgainstASilentServerAreRejectedInTimeAndLeaveNoThreadOrSocket() throws Exception {
		SilentServerCandidates.assertRejectedInTimeLeavingNothing(this.directory, SilentServerCandidateTests::yaml,
				(config) -> ConfigFiles.run(ReloadableDataSourceLoadTests.TestApplication.class, config,
						"--hotreload.datasource.validation-timeout="
								+ SilentServerCandidates.VALIDATION_TIMEOUT.toMillis() + "ms"),
				(context) -> context.getBean(ReloadableDataSource.class).getPool(),
				(live) -> () -> LiveThreads.named("dataSource-g"));
	}

	private static String yaml(String url) {
		return "spring:\n  datasource:\n    url: " + url + "\n    username: postgres\n    password: postgres\n";
	}

}

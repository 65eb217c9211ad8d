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

import com.zaxxer.hikari.HikariDataSource;
import dev.hotreload.testsupport.jdbc.ConfigFiles;
import dev.hotreload.testsupport.jdbc.DeadDatabaseFailover;
import dev.hotreload.testsupport.jdbc.LiveThreads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * Leaving a dead database is fast with a HikariCP pool (see
 * {@link DeadDatabaseFailover}): the threads waiting in the dead pool's queue move to the
 * new pool at once instead of at the connection timeout (30 s), and the dead pool is
 * closed at once instead of at the drain timeout (30 s).
 */
class DeadDatabaseFailoverTests {

	@TempDir
	Path directory;

	@Test
	void waitersOfAKilledDatabaseMoveToTheNewPoolAndTheDeadPoolClosesAtOnce() throws Exception {
		DeadDatabaseFailover.assertLeftAtOnce(this.directory, DeadDatabaseFailoverTests::yaml,
				(config) -> ConfigFiles.run(ReloadableDataSourceLoadTests.TestApplication.class, config,
						"--hotreload.datasource.drain-timeout=30s"),
				DeadDatabaseFailoverTests::livePool);
	}

	/**
	 * The application's live HikariCP pool, as the failover scenarios see it.
	 */
	static DeadDatabaseFailover.Pool livePool(ConfigurableApplicationContext context) {
		HikariDataSource pool = context.getBean(ReloadableDataSource.class).getPool();
		return new DeadDatabaseFailover.Pool("HikariCP", pool::isClosed,
				() -> !LiveThreads.named("dataSource:").isEmpty());
	}

	private static String yaml(String url) {
		return "spring:\n  datasource:\n    url: " + url + "\n    username: postgres\n    password: postgres\n"
				+ "    hikari:\n      maximum-pool-size: 32\n";
	}

}

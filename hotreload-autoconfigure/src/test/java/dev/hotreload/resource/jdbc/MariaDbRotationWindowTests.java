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
import dev.hotreload.testsupport.jdbc.MariaDb;
import dev.hotreload.testsupport.jdbc.MariaDbAccount;
import dev.hotreload.testsupport.jdbc.RotationWindow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rotation window for a DataSource on MariaDB, which checks passwords over TCP (see
 * {@link RotationWindow}).
 */
class MariaDbRotationWindowTests {

	private static final String DATABASE = "hotreload_window";

	private static final String USER = DATABASE;

	private static final String FIRST = "First-Window-8401";

	@RegisterExtension
	static final MariaDbAccount account = new MariaDbAccount(DATABASE, FIRST);

	private static final String SECOND = "Second-Window-8402";

	/**
	 * A HikariCP pool, 32 threads: its connections are evicted so that it needs new ones,
	 * and the new password is applied in place.
	 */
	static final RotationWindow.Pool HIKARI = new RotationWindow.Pool(
			(config) -> ConfigFiles.run(ReloadableDataSourceLoadTests.TestApplication.class, config), "", 32,
			(context) -> context.getBean(ReloadableDataSource.class).getPool(),
			(pool) -> ((HikariDataSource) pool).getHikariPoolMXBean().softEvictConnections(), true, "in place",
			(pool) -> ((HikariDataSource) pool).isClosed());

	@TempDir
	Path directory;

	@Test
	void aPasswordChangedOnTheServerFirstIsPickedUpByTheRotationWindowWithoutAFailedRequest() throws Exception {
		RotationWindow.assertPickedUp(this.directory, MariaDb.passwordServer(DATABASE, USER), HIKARI, FIRST, SECOND);
	}

}

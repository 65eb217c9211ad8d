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

import dev.hotreload.testsupport.jdbc.PostgresCluster;
import dev.hotreload.testsupport.jdbc.RotationWindow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rotation window for a DataSource on PostgreSQL (see {@link RotationWindow}): a
 * cluster of the test's own that checks passwords (SCRAM) over TCP, so that PgJDBC
 * reports the refused login with SQLState {@code 28P01}.
 */
class PostgresRotationWindowTests {

	private static final String DATABASE = "hotreload_window";

	private static final String USER = "hotreload_window";

	private static final String FIRST = "First-Window-5401";

	private static final String SECOND = "Second-Window-5402";

	@TempDir
	Path directory;

	@Test
	void aPasswordChangedOnTheServerFirstIsPickedUpByTheRotationWindowWithoutAFailedRequest() throws Exception {
		try (PostgresCluster cluster = PostgresCluster.startWithPasswords("Superuser-5400")) {
			cluster.createDatabase(DATABASE);
			cluster.execute(DATABASE, "create role " + USER + " login password '" + FIRST + "'");
			cluster.execute(DATABASE, "grant select, insert on tx_rows to " + USER);
			RotationWindow.assertPickedUp(this.directory,
					new RotationWindow.PasswordServer("PostgreSQL", cluster.url(DATABASE), USER,
							(password) -> cluster.execute(DATABASE,
									"alter role " + USER + " password '" + password + "'"),
							() -> cluster.queryLong(DATABASE, "select count(*) from tx_rows"), "pg_sleep",
							"password authentication failed"),
					MariaDbRotationWindowTests.HIKARI, FIRST, SECOND);
		}
	}

}

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

package dev.hotreload.testsupport.jdbc;

import java.sql.SQLException;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A database of the local MariaDB server and a user of the same name with every right on
 * it (see {@link MariaDb#createDatabaseAndUser}), created before a test class and dropped
 * after it:
 * {@code @RegisterExtension static final MariaDbAccount account = new MariaDbAccount("name", "password");}
 */
public final class MariaDbAccount implements BeforeAllCallback, AfterAllCallback {

	private final String name;

	private final String password;

	/**
	 * An account to create.
	 * @param name the database's and the user's name
	 * @param password the user's first password
	 */
	public MariaDbAccount(String name, String password) {
		this.name = name;
		this.password = password;
	}

	@Override
	public void beforeAll(ExtensionContext context) throws SQLException {
		MariaDb.createDatabaseAndUser(this.name, this.name, this.password);
	}

	@Override
	public void afterAll(ExtensionContext context) throws SQLException {
		MariaDb.dropDatabaseAndUser(this.name, this.name);
	}

}

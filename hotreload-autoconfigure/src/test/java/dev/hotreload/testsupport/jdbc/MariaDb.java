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

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The local MariaDB server the tests use where a password must really be checked
 * (127.0.0.1:3306, root without a password; it checks passwords over TCP).
 */
public final class MariaDb {

	public static final String ROOT_URL = "jdbc:mariadb://127.0.0.1:3306/";

	private MariaDb() {
	}

	/**
	 * Create a database with a {@code tx_rows} table (emptied) and a user with the given
	 * password and every right on it.
	 * @param database the database
	 * @param user the user
	 * @param password the user's password
	 * @throws SQLException if the server refuses
	 */
	public static void createDatabaseAndUser(String database, String user, String password) throws SQLException {
		root("create database if not exists " + database);
		root("create table if not exists " + database + ".tx_rows (tx_id bigint not null, step int not null)");
		root("truncate table " + database + ".tx_rows");
		root("create user if not exists '" + user + "'@'%' identified by '" + password + "'");
		setPassword(user, password);
		root("grant all on " + database + ".* to '" + user + "'@'%'");
	}

	/**
	 * A database and user of this server, for {@link RotationWindow}.
	 * @param database the database, with a {@code tx_rows} table
	 * @param user the user
	 * @return the server
	 */
	public static RotationWindow.PasswordServer passwordServer(String database, String user) {
		return new RotationWindow.PasswordServer("MariaDB", ROOT_URL + database, user,
				(password) -> setPassword(user, password), () -> query("select count(*) from " + database + ".tx_rows"),
				"sleep", "Access denied");
	}

	public static void setPassword(String user, String password) throws SQLException {
		root("alter user '" + user + "'@'%' identified by '" + password + "'");
	}

	public static void dropDatabaseAndUser(String database, String user) throws SQLException {
		root("drop user if exists '" + user + "'@'%'");
		root("drop database if exists " + database);
	}

	public static void root(String sql) throws SQLException {
		try (Connection connection = DriverManager.getConnection(ROOT_URL, "root", "");
				Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
	}

	public static long query(String sql) throws SQLException {
		try (Connection connection = DriverManager.getConnection(ROOT_URL, "root", "");
				Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery(sql)) {
			result.next();
			return result.getLong(1);
		}
	}

}

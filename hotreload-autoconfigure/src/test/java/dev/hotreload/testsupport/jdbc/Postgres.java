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
 * The local PostgreSQL server the tests use (127.0.0.1:5432, user postgres).
 */
public final class Postgres {

	public static final String HOST = "jdbc:postgresql://127.0.0.1:5432/";

	private Postgres() {
	}

	public static String url(String database) {
		return HOST + database + "?ApplicationName=hotreload-test";
	}

	public static Connection connect(String database) throws SQLException {
		return DriverManager.getConnection(HOST + database, "postgres", "postgres");
	}

	public static void createDatabase(String name) throws SQLException {
		try (Connection connection = connect("test"); Statement statement = connection.createStatement()) {
			try (ResultSet exists = statement
				.executeQuery("select 1 from pg_database where datname = '" + name + "'")) {
				if (!exists.next()) {
					statement.execute("create database " + name);
				}
			}
		}
		execute(name, "create table if not exists tx_rows (tx_id bigint not null, step int not null)");
		execute(name, "truncate tx_rows");
	}

	public static void execute(String database, String sql) throws SQLException {
		try (Connection connection = connect(database); Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
	}

	public static long queryLong(String database, String sql) throws SQLException {
		try (Connection connection = connect(database);
				Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery(sql)) {
			result.next();
			return result.getLong(1);
		}
	}

	/**
	 * Connections the tests' pools hold to a database.
	 */
	public static long connections(String database) throws SQLException {
		return queryLong("test", "select count(*) from pg_stat_activity where datname = '" + database
				+ "' and application_name = 'hotreload-test'");
	}

}

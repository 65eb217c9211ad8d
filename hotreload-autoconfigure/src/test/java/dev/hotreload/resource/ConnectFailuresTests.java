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

package dev.hotreload.resource;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLInvalidAuthorizationSpecException;
import java.sql.SQLNonTransientConnectionException;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for how {@link ConnectFailures} tells a refused login from a server that cannot
 * be reached, with the SQLStates and error codes PostgreSQL, MariaDB and MySQL drivers
 * use.
 */
class ConnectFailuresTests {

	@Test
	void aRefusedLoginIsCredentialsRejectedAndNotUnreachable() {
		SQLException postgresPassword = new SQLException("password authentication failed for user \"app\"", "28P01");
		SQLException postgresRole = new SQLException("role \"app\" does not exist", "28000");
		SQLException mariadb = new SQLInvalidAuthorizationSpecException(
				"(conn=7) Access denied for user 'app'@'localhost' (using password: YES)", "28000", 1045);
		SQLException mysqlWithoutState = new SQLException("Access denied for user 'app'", null, 1045);
		SQLException wrapped = new SQLNonTransientConnectionException("could not connect", "08001", mariadb);
		for (SQLException refused : new SQLException[] { postgresPassword, postgresRole, mariadb, mysqlWithoutState,
				wrapped }) {
			assertThat(ConnectFailures.isCredentialsRejected(refused)).as(refused.getMessage()).isTrue();
		}
	}

	@Test
	void aServerThatCannotBeReachedIsUnreachableAndNotCredentialsRejected() {
		SQLException refused = new SQLException("Connection to 127.0.0.1:5433 refused", "08001",
				new ConnectException("Connection refused"));
		SQLException mariadb = new SQLNonTransientConnectionException("Socket fail to connect to host", "08000");
		for (SQLException unreachable : new SQLException[] { refused, mariadb }) {
			assertThat(ConnectFailures.isUnreachable(unreachable)).as(unreachable.getMessage()).isTrue();
			assertThat(ConnectFailures.isCredentialsRejected(unreachable)).as(unreachable.getMessage()).isFalse();
		}
	}

	@Test
	void anotherAnswerOfTheServerIsNeither() {
		SQLException tooMany = new SQLException("sorry, too many clients already", "53300");
		SQLException noDatabase = new SQLException("database \"nope\" does not exist", "3D000");
		// ER_CON_COUNT_ERROR as MySQL's and MariaDB's drivers throw it, with the
		// server's SQLState, and without it (an error sent before the handshake)
		SQLException tooManyWithState = new SQLNonTransientConnectionException("Too many connections", "08004", 1040);
		SQLException tooManyWithoutState = new SQLNonTransientConnectionException("Too many connections", "HY000",
				1040);
		for (SQLException answer : new SQLException[] { tooMany, noDatabase, tooManyWithState, tooManyWithoutState }) {
			assertThat(ConnectFailures.isUnreachable(answer)).isFalse();
			assertThat(ConnectFailures.isCredentialsRejected(answer)).isFalse();
		}
	}

}

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
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;

/**
 * What a failure to open a JDBC connection says of the server, for every pool type: that
 * it refused the credentials, or that it could not be reached at all.
 *
 * @author hotreload authors
 */
public final class ConnectFailures {

	/**
	 * SQLStates of a refused login: PostgreSQL's invalid password and invalid
	 * authorization (also MySQL's and MariaDB's).
	 */
	private static final Set<String> CREDENTIALS_REJECTED_STATES = Set.of("28P01", "28000");

	/**
	 * MySQL's and MariaDB's error code for a refused login
	 * ({@code ER_ACCESS_DENIED_ERROR}).
	 */
	private static final int ACCESS_DENIED = 1045;

	/**
	 * SQLState of a connection the server rejected ("too many connections" from MySQL and
	 * MariaDB drivers): an answer, though in class {@code 08}.
	 */
	private static final String REJECTED_BY_SERVER = "08004";

	/**
	 * MySQL's and MariaDB's error code for too many connections
	 * ({@code ER_CON_COUNT_ERROR}).
	 */
	private static final int TOO_MANY_CONNECTIONS = 1040;

	private ConnectFailures() {
	}

	/**
	 * Whether a failure to connect is the server refusing the credentials: SQLState
	 * {@code 28P01} or {@code 28000}, or MySQL's and MariaDB's error {@code 1045}.
	 * @param ex the failure, or {@code null}
	 * @return whether the credentials were refused
	 */
	public static boolean isCredentialsRejected(@Nullable Throwable ex) {
		return anyCause(ex, (cause) -> cause instanceof SQLException sql && (sql.getErrorCode() == ACCESS_DENIED
				|| (sql.getSQLState() != null && CREDENTIALS_REJECTED_STATES.contains(sql.getSQLState()))));
	}

	/**
	 * Whether a failure to connect says the server could not be reached at all (SQLState
	 * class {@code 08}, a refused or timed-out socket, an unknown host), rather than an
	 * answer from it such as a refused login or a connection it rejected (SQLState
	 * {@code 08004}, MySQL's and MariaDB's "too many connections", {@code 1040}).
	 * @param ex the failure, or {@code null}
	 * @return whether the server could not be reached
	 */
	public static boolean isUnreachable(@Nullable Throwable ex) {
		if (isCredentialsRejected(ex) || isRejectedByServer(ex)) {
			return false;
		}
		return anyCause(ex,
				(cause) -> cause instanceof SQLTransientConnectionException
						|| cause instanceof SQLNonTransientConnectionException || cause instanceof ConnectException
						|| cause instanceof NoRouteToHostException || cause instanceof SocketTimeoutException
						|| cause instanceof UnknownHostException || (cause instanceof SQLException sql
								&& sql.getSQLState() != null && sql.getSQLState().startsWith("08")));
	}

	private static boolean isRejectedByServer(@Nullable Throwable ex) {
		return anyCause(ex, (cause) -> cause instanceof SQLException sql
				&& (sql.getErrorCode() == TOO_MANY_CONNECTIONS || REJECTED_BY_SERVER.equals(sql.getSQLState())));
	}

	/**
	 * Whether the failure or one of its causes matches.
	 */
	private static boolean anyCause(@Nullable Throwable ex, Predicate<Throwable> matches) {
		for (Throwable cause = ex; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			if (matches.test(cause)) {
				return true;
			}
		}
		return false;
	}

}

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

package dev.hotreload.resource.redis;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;

import dev.hotreload.resource.Candidates;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.api.StatefulRedisConnection;

/**
 * Asks a retiring client's server whether it answers at all (see
 * {@link dev.hotreload.resource.PoolLifecycle#answers}): a new connection of the client
 * connects, authenticates and answers {@code PING}, on a thread of its own, within the
 * timeout. An error reply (such as {@code NOAUTH}) is an answer.
 *
 * @author hotreload authors
 */
final class RedisProbe {

	private RedisProbe() {
	}

	/**
	 * Connect and {@code PING} within the timeout. The connection is closed once
	 * answered; one still connecting when the caller gives up is failed by the client's
	 * shutdown, which follows a non-answer, or else by Lettuce's own timeouts.
	 * @param threadName the name of the thread that asks
	 * @param timeout how long to wait for the answer
	 * @param connect opens a new connection of the client
	 * @return {@code false} if the server could not be reached or gave no answer in time
	 */
	static boolean answers(String threadName, Duration timeout, Callable<StatefulRedisConnection<?, ?>> connect) {
		try {
			return Candidates.startWithin(threadName, timeout, () -> {
				StatefulRedisConnection<?, ?> connection = connect.call();
				try {
					connection.sync().ping();
					return Boolean.TRUE;
				}
				finally {
					connection.closeAsync();
				}
			}, (late) -> {
			}, null);
		}
		catch (TimeoutException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return true;
		}
		catch (Exception ex) {
			for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
				if (cause instanceof RedisCommandExecutionException) {
					return true;
				}
			}
			return !(ex instanceof RedisConnectionException || ex instanceof RedisCommandTimeoutException);
		}
	}

}

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
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.push.PushListener;
import org.jspecify.annotations.Nullable;

/**
 * What the application set on a {@link ReloadableRedisConnection} that each new
 * connection takes over: its push listeners, its connection state listeners and its
 * command timeout.
 *
 * @author hotreload authors
 */
final class ConnectionListeners {

	private final List<PushListener> pushListeners = new CopyOnWriteArrayList<>();

	private final List<RedisConnectionStateListener> stateListeners = new CopyOnWriteArrayList<>();

	private volatile @Nullable Duration timeout;

	void add(PushListener listener) {
		this.pushListeners.add(listener);
	}

	void remove(PushListener listener) {
		this.pushListeners.remove(listener);
	}

	void add(RedisConnectionStateListener listener) {
		this.stateListeners.add(listener);
	}

	void remove(RedisConnectionStateListener listener) {
		this.stateListeners.remove(listener);
	}

	void timeout(Duration timeout) {
		this.timeout = timeout;
	}

	/**
	 * Give a new connection the listeners and the timeout.
	 * @param connection the connection
	 */
	void carryOver(StatefulRedisConnection<String, String> connection) {
		Duration timeout = this.timeout;
		if (timeout != null) {
			connection.setTimeout(timeout);
		}
		this.pushListeners.forEach(connection::addListener);
		this.stateListeners.forEach(connection::addListener);
	}

	/**
	 * Take the listeners off a retired connection.
	 * @param connection the connection
	 */
	void leave(StatefulRedisConnection<String, String> connection) {
		this.pushListeners.forEach(connection::removeListener);
		this.stateListeners.forEach(connection::removeListener);
	}

}

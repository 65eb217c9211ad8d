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

import java.net.SocketAddress;
import java.util.concurrent.atomic.AtomicInteger;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;

/**
 * What one Lettuce client's connections are doing, from its connection events: how many
 * are connected, and how many times one was connected. A command issued while none was
 * connected, with no connection made since, was never written to a socket: it waits in
 * Lettuce's buffer, and can be sent elsewhere once that client is closed. A client whose
 * connections are all disconnected has nothing in flight that could still complete.
 * <p>
 * Reading the state costs two volatile reads; the counts change only on connect and
 * disconnect.
 *
 * @author hotreload authors
 */
final class ConnectionHealth implements RedisConnectionStateListener {

	/**
	 * A state taken when nothing is known: never down, never unchanged.
	 */
	static final long UNKNOWN = -1;

	private final AbstractRedisClient client;

	private final AtomicInteger connected;

	private final AtomicInteger connects = new AtomicInteger();

	private ConnectionHealth(AbstractRedisClient client, int connected) {
		this.client = client;
		this.connected = new AtomicInteger(connected);
	}

	/**
	 * Follow a client's connections.
	 * @param client the client
	 * @param connected how many of its connections are connected already
	 * @return the health, registered as a listener of the client
	 */
	static ConnectionHealth follow(AbstractRedisClient client, int connected) {
		ConnectionHealth health = new ConnectionHealth(client, connected);
		client.addListener(health);
		return health;
	}

	@Override
	public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress socketAddress) {
		// counted before the connection is activated and its buffer written
		this.connects.incrementAndGet();
		this.connected.incrementAndGet();
	}

	@Override
	public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
		this.connected.decrementAndGet();
	}

	/**
	 * The client followed.
	 * @return the client
	 */
	AbstractRedisClient client() {
		return this.client;
	}

	/**
	 * The state now, to be given to {@link #neverWrittenSince(long)}: the number of
	 * connects, and whether no connection was connected.
	 * @return the state
	 */
	long state() {
		long connects = this.connects.get();
		boolean down = this.connected.get() <= 0;
		return (connects << 1) | (down ? 1 : 0);
	}

	/**
	 * Whether a command issued at the given state cannot have been written: no connection
	 * was connected then, and none has been connected since.
	 * @param state the state when the command was issued
	 * @return whether it cannot have been written
	 */
	boolean neverWrittenSince(long state) {
		return isDown(state) && (state >>> 1) == this.connects.get();
	}

	/**
	 * Whether no connection was connected at the given state.
	 * @param state a state from {@link #state()}
	 * @return whether the client was down then
	 */
	static boolean isDown(long state) {
		return state != UNKNOWN && (state & 1) == 1;
	}

	/**
	 * Whether no connection of the client is connected.
	 * @return whether the client is down
	 */
	boolean isDown() {
		return this.connected.get() <= 0;
	}

	@Override
	public String toString() {
		return "ConnectionHealth[connected=" + this.connected.get() + ", connects=" + this.connects.get() + "]";
	}

}

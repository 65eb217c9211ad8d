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

import java.time.Duration;
import java.util.List;

/**
 * What the core needs to know of one kind of pool to retire it: how long to wait for it,
 * what it still has borrowed, whether its server is gone, how to close it, and what of it
 * may outlive the close.
 *
 * @param <P> the type of the pool
 * @author hotreload authors
 * @see Generations#retire(Generation)
 */
public interface PoolLifecycle<P> {

	/**
	 * How long a retiring pool's borrowed connections are waited for before it is closed
	 * anyway. Read at each retirement.
	 * @return the drain timeout
	 */
	Duration drainTimeout();

	/**
	 * The property that sets the drain timeout, named in the warning when connections are
	 * cut.
	 * @return the property, such as {@code hotreload.datasource.drain-timeout}
	 */
	String drainTimeoutProperty();

	/**
	 * Connections borrowed from the pool and not returned yet.
	 * @param pool the pool
	 * @return the count
	 */
	int inUse(P pool);

	/**
	 * Called on the retire thread before the drain, once the pool no longer serves: move
	 * what follows the live pool (such as subscribers) off it. Does nothing by default.
	 * @param pool the pool
	 * @throws Exception if something could not be moved; the retirement goes on and
	 * reports it
	 */
	default void retiring(P pool) throws Exception {
	}

	/**
	 * Whether nothing in use on the pool can complete any more, because its server is
	 * known to be gone (a client whose every connection is disconnected, a pool whose
	 * server is unreachable): a retiring pool is then closed at once instead of at the
	 * drain timeout. Asked every few milliseconds while a retiring pool has uses under
	 * way, so it must answer fast (or remember a slow answer for a while); {@code false}
	 * by default.
	 * @param pool the retiring pool
	 * @return {@code true} only if the pool is known dead
	 */
	default boolean isDead(P pool) {
		return false;
	}

	/**
	 * Whether the pool's server answers at all, such as a new connection that logs in (or
	 * answers {@code PING}) within the resource's validation timeout; a server that
	 * refuses the login, or answers with an error, answers. Asked on the retire thread
	 * while a retiring pool has uses under way and none of them has ended for a while
	 * (see {@link Generations}), so that a server that stops answering without closing
	 * its connections (a network partition, a paused process) is found as a
	 * {@link #isDead dead} one is, rather than at the drain timeout. May block for about
	 * the validation timeout: the core asks on a thread of its own and waits until the
	 * drain timeout at most, so that an ask never holds a retiring pool open past it (an
	 * ask still under way then is left to end on its own). {@code true} (never asked) by
	 * default. It asks the pool's address, which may lead elsewhere than its connections
	 * do (a Sentinel's new master, another host of a multi-host URL, a name that now
	 * resolves to another server): a server that answers there keeps the pool draining as
	 * before.
	 * @param pool the retiring pool
	 * @return {@code false} only if the server gave no answer in time
	 */
	default boolean answers(P pool) {
		return true;
	}

	/**
	 * Called on the retire thread before the close of a retiring pool that still has uses
	 * under way: its server was found {@link #isDead gone} or {@link #answers silent}, so
	 * none of them can complete, or the drain timeout passed, so they are cut. End them,
	 * such as by aborting its borrowed connections. Does nothing by default, for a pool
	 * whose close ends them itself (HikariCP aborts the connections in use when it
	 * closes).
	 * @param pool the pool
	 * @throws Exception if some could not be ended; the retirement goes on and reports it
	 */
	default void abandon(P pool) throws Exception {
	}

	/**
	 * Close the pool. Must be idempotent.
	 * @param pool the pool
	 * @throws Exception if closing failed
	 */
	void close(P pool) throws Exception;

	/**
	 * Whether a thread is one the pool started, such as
	 * {@code dataSource-g3:housekeeper}: such a thread alive after the close is a leak.
	 * @param generation the generation of the pool
	 * @param threadName the name of a live thread
	 * @return whether the thread is the pool's
	 */
	boolean ownsThread(Generation<P> generation, String threadName);

	/**
	 * What the pool still holds after its close, such as physical connections.
	 * @param pool the closed pool
	 * @return a description of each leftover, empty if none
	 */
	default List<String> leftovers(P pool) {
		return List.of();
	}

}

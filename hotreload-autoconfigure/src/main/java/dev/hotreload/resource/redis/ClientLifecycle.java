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
import java.util.function.Supplier;

import dev.hotreload.resource.Generation;
import dev.hotreload.resource.PoolLifecycle;

/**
 * What the generations of every Redis client have in common when they retire: the drain
 * timeout of {@code hotreload.redis}, connections and commands counted in flight until
 * they are done (none borrowed from a pool), no drain once the client is disconnected
 * from a dead server, and no threads of their own.
 *
 * @param <G> the type of the generation
 * @author hotreload authors
 */
abstract class ClientLifecycle<G extends ClientGeneration> implements PoolLifecycle<G> {

	private final String name;

	private final Supplier<RedisTimeouts> timeouts;

	ClientLifecycle(String name, Supplier<RedisTimeouts> timeouts) {
		this.name = name;
		this.timeouts = timeouts;
	}

	@Override
	public final Duration drainTimeout() {
		return this.timeouts.get().drain();
	}

	@Override
	public final String drainTimeoutProperty() {
		return "hotreload.redis.drain-timeout";
	}

	/**
	 * A generation whose connections are all disconnected has nothing in flight that
	 * could complete: it is closed at once, and its unwritten commands go to the live
	 * generation.
	 */
	@Override
	public final boolean isDead(G generation) {
		return generation.isDead();
	}

	/**
	 * A generation whose server gives no answer to a new connection's {@code PING} within
	 * the validation timeout is closed as a dead one is. Asked on a thread named
	 * {@code hotreload-probe-<name>-g<number>}.
	 */
	@Override
	public final boolean answers(G generation) {
		return generation.answers(probeThreadName(this.name + "-g" + generation.number()),
				this.timeouts.get().validation());
	}

	private static String probeThreadName(String generationName) {
		return "hotreload-probe-" + generationName;
	}

	@Override
	public final int inUse(G generation) {
		// its connections and commands are counted in flight until they are done
		return 0;
	}

	/**
	 * Only the thread that asked whether its server answers: Lettuce's threads are the
	 * event loops of the client resources.
	 */
	@Override
	public final boolean ownsThread(Generation<G> generation, String threadName) {
		return threadName.equals(probeThreadName(generation.name()));
	}

}

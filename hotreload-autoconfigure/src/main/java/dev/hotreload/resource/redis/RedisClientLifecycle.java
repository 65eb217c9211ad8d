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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import dev.hotreload.resource.ErrorMessages;
import io.lettuce.core.resource.ClientResources;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

/**
 * How the generations of a {@link ReloadableRedisConnectionFactory} retire: the message
 * listener containers subscribed through the old Lettuce factory are moved to the live
 * one first, its connections handed out are waited for (not at all once every connection
 * of its client is disconnected from a dead server), then it is destroyed with the client
 * resources it owns, and checked for its shared connection and event loops left behind.
 * Its connections are counted in flight until closed, so none is counted as borrowed from
 * the pool.
 *
 * @author hotreload authors
 */
final class RedisClientLifecycle extends ClientLifecycle<RedisGeneration> {

	private static final Log logger = LogFactory.getLog(RedisClientLifecycle.class);

	private final String name;

	private final List<RedisMessageListenerContainer> listenerContainers;

	private final List<String> reactiveContainers;

	private final Supplier<LettuceConnectionFactory> live;

	/**
	 * Create the lifecycle of one reloadable factory's generations.
	 * @param name the resource name
	 * @param timeouts the timeouts, read at each retirement
	 * @param listenerContainers the containers to move to the live factory
	 * @param reactiveContainers the names of the reactive containers, which cannot be
	 * moved
	 * @param live the Lettuce factory that serves now
	 */
	RedisClientLifecycle(String name, Supplier<RedisTimeouts> timeouts,
			List<RedisMessageListenerContainer> listenerContainers, List<String> reactiveContainers,
			Supplier<LettuceConnectionFactory> live) {
		super(name, timeouts);
		this.name = name;
		this.listenerContainers = listenerContainers;
		this.reactiveContainers = reactiveContainers;
		this.live = live;
	}

	/**
	 * Move the listener containers subscribed through the old generation to the live one:
	 * stop (unsubscribe), switch factory, start (subscribe again). Messages published in
	 * between are not received, as with any pub/sub reconnect.
	 */
	@Override
	public void retiring(RedisGeneration old) {
		List<String> errors = new ArrayList<>();
		for (RedisMessageListenerContainer container : this.listenerContainers) {
			if (container.getConnectionFactory() != old.factory()) {
				continue;
			}
			try {
				boolean running = container.isRunning();
				// destroy() stops it and lets it be initialized again (its own default
				// executor is not closed by it)
				container.destroy();
				container.setConnectionFactory(this.live.get());
				container.afterPropertiesSet();
				if (running) {
					container.start();
				}
			}
			catch (Exception ex) {
				errors.add("moving " + container + " to the new client failed: " + ErrorMessages.of(ex));
			}
		}
		if (!this.reactiveContainers.isEmpty()) {
			logger.warn("ReactiveRedisMessageListenerContainer bean(s) " + this.reactiveContainers
					+ " cannot be moved to the new Redis client of '" + this.name + "': a subscription they made "
					+ "through " + old + " ends with an error when that client is closed, at the latest at "
					+ "hotreload.redis.drain-timeout (" + drainTimeout() + "); subscribe again on error "
					+ "(retry the receive() Flux) or use a RedisMessageListenerContainer, which is moved");
		}
		if (!errors.isEmpty()) {
			throw new IllegalStateException(String.join("; ", errors));
		}
	}

	@Override
	public void close(RedisGeneration generation) {
		generation.destroy();
		ClientResources owned = generation.ownedResources();
		if (owned != null) {
			Duration timeout = drainTimeout();
			try {
				// bounded by the drain timeout too
				owned.shutdown(0, timeout.toMillis(), TimeUnit.MILLISECONDS)
					.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
			}
			catch (Exception ex) {
				// reported as a leftover
			}
		}
	}

	@Override
	public List<String> leftovers(RedisGeneration generation) {
		List<String> leftovers = new ArrayList<>();
		if (generation.sharedConnectionOpen()) {
			leftovers.add("shared connection of " + this.name + " " + generation + " still open");
		}
		ClientResources owned = generation.ownedResources();
		if (owned != null && !owned.eventExecutorGroup().isTerminated()) {
			leftovers.add("Lettuce event loops of " + this.name + " " + generation);
		}
		return leftovers;
	}

}

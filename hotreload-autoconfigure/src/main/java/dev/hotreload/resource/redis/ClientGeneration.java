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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.hotreload.resource.Generation;
import dev.hotreload.resource.InFlight;
import dev.hotreload.resource.ResourceDescriptor;

/**
 * One generation of a reloadable Redis client, as the endpoint and retirement see it: its
 * number, where it connects and what it has in flight (the count the core's
 * {@link dev.hotreload.resource.Generation} of it shares).
 *
 * @author hotreload authors
 */
interface ClientGeneration {

	/**
	 * The generation number, 1 at startup.
	 * @return the number
	 */
	long number();

	/**
	 * Where the client connects, such as {@code 127.0.0.1:6379/0}. Never a secret.
	 * @return the target
	 */
	String target();

	/**
	 * Connections or commands handed out and not given back yet.
	 * @return the count
	 */
	InFlight inFlight();

	/**
	 * Whether no connection of the client is connected: nothing in flight on it can
	 * complete.
	 * @return whether the client is known dead
	 */
	boolean isDead();

	/**
	 * Whether the server answers at all: a new connection of the client connects,
	 * authenticates and answers {@code PING} within the timeout (see {@link RedisProbe}).
	 * @param threadName the name of the thread that asks
	 * @param timeout how long to wait for the answer
	 * @return {@code false} if the server could not be reached or gave no answer in time
	 */
	boolean answers(String threadName, Duration timeout);

	/**
	 * A generation as the resource core sees it, named {@code <name>-g<number>}, sharing
	 * its in-flight count.
	 * @param <G> the type of the generation
	 * @param name the resource name
	 * @param generation the generation
	 * @return the core's generation
	 */
	static <G extends ClientGeneration> Generation<G> of(String name, G generation) {
		return new Generation<>(generation.number(), name + "-g" + generation.number(), generation,
				generation.inFlight());
	}

	/**
	 * Describe a Redis resource for the endpoint: the live generation's target and
	 * in-flight count, and those of each generation still retiring.
	 * @param name the resource name
	 * @param live the live generation
	 * @param retiring the generations retiring
	 * @return the description
	 */
	static ResourceDescriptor describe(String name, ClientGeneration live, List<? extends ClientGeneration> retiring) {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("target", live.target());
		details.put("inFlight", live.inFlight().get());
		List<Map<String, Object>> old = new ArrayList<>();
		for (ClientGeneration generation : retiring) {
			Map<String, Object> each = new LinkedHashMap<>();
			each.put("generation", generation.number());
			each.put("target", generation.target());
			each.put("inFlight", generation.inFlight().get());
			old.add(each);
		}
		details.put("retiring", old);
		return new ResourceDescriptor(name, "redis", live.number(), retiring.isEmpty() ? "SERVING" : "RETIRING",
				details);
	}

}

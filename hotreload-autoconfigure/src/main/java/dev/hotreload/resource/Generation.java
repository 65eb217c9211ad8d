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

import org.jspecify.annotations.Nullable;

/**
 * One generation of a resource: the instance that serves (a pool, a client), its number
 * and name, and its {@link InFlight in-flight} count. Numbers start at 1 and are never
 * used twice (see {@link Generations#nextNumber()}).
 *
 * @param <P> the type of the instance, such as a pool
 * @param number the generation number
 * @param name the instance's name, such as {@code dataSource-g3}; its threads are named
 * after it
 * @param instance the instance
 * @param inFlight the uses under way on it
 * @author hotreload authors
 */
public record Generation<P>(long number, String name, P instance, InFlight inFlight) {

	/**
	 * Create a generation with nothing in flight.
	 * @param number the generation number
	 * @param name the instance's name
	 * @param instance the instance
	 */
	public Generation(long number, String name, P instance) {
		this(number, name, instance, new InFlight());
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return this == other;
	}

	@Override
	public int hashCode() {
		return System.identityHashCode(this);
	}

	@Override
	public String toString() {
		return "generation " + this.number + " (" + this.name + ")";
	}

}

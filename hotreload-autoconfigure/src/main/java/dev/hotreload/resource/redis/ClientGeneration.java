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

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import dev.hotreload.resource.ResourceDescriptor;
import dev.hotreload.resource.RetireReport;

/**
 * One generation of a reloadable Redis client, as the endpoint and retirement see it: its
 * number, where it connects and what it has in flight.
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

	/**
	 * Retire a generation on a daemon thread named {@code hotreload-retire-<name>}.
	 * @param name the resource name
	 * @param retirement drains and closes the generation
	 * @return the report, once done
	 */
	static CompletableFuture<RetireReport> retireInBackground(String name, Supplier<RetireReport> retirement) {
		CompletableFuture<RetireReport> report = new CompletableFuture<>();
		Thread thread = new Thread(() -> {
			try {
				report.complete(retirement.get());
			}
			catch (Throwable ex) {
				report.completeExceptionally(ex);
			}
		}, "hotreload-retire-" + name);
		thread.setDaemon(true);
		thread.start();
		return report;
	}

}

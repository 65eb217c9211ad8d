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

package dev.hotreload.actuate;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import dev.hotreload.engine.ReloadEngine;
import dev.hotreload.engine.ReloadListener;
import dev.hotreload.history.HistoryEntry;
import dev.hotreload.history.ReloadHistory;
import dev.hotreload.history.ResourceResult;
import dev.hotreload.resource.ReloadableResource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Micrometer meters of hotreload:
 * <ul>
 * <li>{@code hotreload.reloads} counter, tagged {@code outcome} and {@code source};</li>
 * <li>{@code hotreload.reload.duration} timer, tagged {@code phase} ({@code total},
 * {@code read}, {@code parse}, {@code guard}, {@code validate}, {@code settle},
 * {@code swap}, {@code rebind}, {@code drain}) and {@code source};</li>
 * <li>{@code hotreload.drain.forced} counter, tagged {@code resource}: old instances
 * closed at the drain timeout with work still on them;</li>
 * <li>{@code hotreload.resource.generation} and {@code hotreload.resource.retiring}
 * gauges, tagged {@code resource} and {@code type}.</li>
 * </ul>
 * Tags hold only configured names and fixed words, never a value or a free string.
 *
 * @author hotreload authors
 */
public final class HotReloadMetrics implements ReloadListener, MeterBinder {

	private final SourceTag sourceTag;

	private final ReloadHistory history;

	private final Supplier<List<ReloadableResource>> resources;

	private volatile MeterRegistry registry;

	public HotReloadMetrics(ReloadEngine engine, ReloadHistory history, Supplier<List<ReloadableResource>> resources) {
		this.sourceTag = new SourceTag(engine);
		this.history = history;
		this.resources = resources;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		this.registry = registry;
		for (ReloadableResource resource : this.resources.get()) {
			Gauge.builder("hotreload.resource.generation", resource, (r) -> r.describe().generation())
				.description("Generation of the resource's live instance")
				.tags("resource", resource.name(), "type", resource.type())
				.register(registry);
			Gauge.builder("hotreload.resource.retiring", resource, this::retiring)
				.description("Old instances of the resource still draining")
				.tags("resource", resource.name(), "type", resource.type())
				.register(registry);
		}
	}

	private double retiring(ReloadableResource resource) {
		return this.history.entries()
			.stream()
			.flatMap((entry) -> entry.resources().stream())
			.filter((result) -> result.name().equals(resource.name())
					&& result.state() == ResourceResult.State.RETIRING)
			.count();
	}

	@Override
	public void reloaded(HistoryEntry entry) {
		MeterRegistry registry = this.registry;
		if (registry == null) {
			return;
		}
		String source = this.sourceTag.of(entry.source());
		Counter.builder("hotreload.reloads")
			.description("Reloads, by outcome and source")
			.tags("outcome", entry.outcome().name(), "source", source)
			.register(registry)
			.increment();
		timer(registry, "total", source).record(entry.durationMs(), TimeUnit.MILLISECONDS);
		for (Map.Entry<String, Long> phase : entry.phases().entrySet()) {
			timer(registry, phase.getKey(), source).record(phase.getValue(), TimeUnit.MILLISECONDS);
		}
	}

	@Override
	public void retired(HistoryEntry entry, ResourceResult result) {
		MeterRegistry registry = this.registry;
		if (registry == null || result.retireMs() == null) {
			return;
		}
		timer(registry, "drain", this.sourceTag.of(entry.source())).record(result.retireMs(), TimeUnit.MILLISECONDS);
		if (result.connectionsCut() > 0) {
			Counter.builder("hotreload.drain.forced")
				.description("Old instances closed at the drain timeout with work still on them")
				.tags("resource", result.name())
				.register(registry)
				.increment();
		}
	}

	private static Timer timer(MeterRegistry registry, String phase, String source) {
		return Timer.builder("hotreload.reload.duration")
			.description("Duration of reloads and of their phases")
			.tags("phase", phase, "source", source)
			.register(registry);
	}

}

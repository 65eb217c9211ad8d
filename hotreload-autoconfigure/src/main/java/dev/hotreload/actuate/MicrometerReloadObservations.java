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

import dev.hotreload.engine.ReloadEngine;
import dev.hotreload.engine.ReloadObservation;
import dev.hotreload.engine.ReloadRequest;
import dev.hotreload.history.HistoryEntry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;

/**
 * Observes each reload with a Micrometer {@link Observation} named
 * {@code hotreload.reload} (low-cardinality keys {@code source}, {@code trigger},
 * {@code outcome}; one event per phase) and each retiring resource with a child
 * observation named {@code hotreload.retire}, so that a tracing bridge shows a span per
 * reload with the drain as a child span.
 *
 * @author hotreload authors
 */
public final class MicrometerReloadObservations implements ReloadObservation.Factory {

	private final ObservationRegistry registry;

	private final SourceTag sourceTag;

	public MicrometerReloadObservations(ObservationRegistry registry, ReloadEngine engine) {
		this.registry = registry;
		this.sourceTag = new SourceTag(engine);
	}

	@Override
	public ReloadObservation start(ReloadRequest request) {
		Observation observation = Observation.createNotStarted("hotreload.reload", this.registry)
			.contextualName("hotreload reload")
			.lowCardinalityKeyValue("trigger", request.trigger().toString())
			.start();
		return new MicrometerReloadObservation(observation, true);
	}

	private final class MicrometerReloadObservation implements ReloadObservation {

		private final Observation observation;

		private final boolean reload;

		MicrometerReloadObservation(Observation observation, boolean reload) {
			this.observation = observation;
			this.reload = reload;
		}

		@Override
		public void phase(String phase) {
			this.observation.event(Observation.Event.of("hotreload.phase." + phase, "hotreload " + phase));
		}

		@Override
		public void stop(HistoryEntry entry) {
			if (this.reload) {
				this.observation
					.lowCardinalityKeyValue("source", MicrometerReloadObservations.this.sourceTag.of(entry.source()))
					.lowCardinalityKeyValue("outcome", entry.outcome().name());
				if (entry.error() != null) {
					this.observation.highCardinalityKeyValue("error", entry.error());
				}
			}
			this.observation.stop();
		}

		@Override
		public ReloadObservation retire(String resource) {
			Observation child = Observation
				.createNotStarted("hotreload.retire", MicrometerReloadObservations.this.registry)
				.contextualName("hotreload retire " + resource)
				.parentObservation(this.observation)
				.lowCardinalityKeyValue("resource", resource)
				.start();
			return new MicrometerReloadObservation(child, false);
		}

	}

}

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

package dev.hotreload.autoconfigure;

import dev.hotreload.actuate.HotReloadHealthIndicator;
import dev.hotreload.actuate.HotReloadMetrics;
import dev.hotreload.actuate.MicrometerReloadObservations;
import dev.hotreload.engine.ReloadEngine;
import dev.hotreload.history.ReloadHistory;
import dev.hotreload.resource.ReloadableResource;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configuration of hotreload's meters, observations and health indicator.
 *
 * @author hotreload authors
 */
@AutoConfiguration(after = HotReloadAutoConfiguration.class,
		afterName = {
				"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
				"org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration" })
@ConditionalOnBean(ReloadEngine.class)
public final class HotReloadObservabilityAutoConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterRegistry.class)
	static class MetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		HotReloadMetrics hotReloadMetrics(ReloadEngine engine, ReloadHistory history,
				ObjectProvider<ReloadableResource> resources) {
			return new HotReloadMetrics(engine, history, () -> resources.orderedStream().toList());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(ObservationRegistry.class)
	static class ObservationConfiguration {

		@Bean
		SmartInitializingSingleton hotReloadObservations(ReloadEngine engine,
				ObjectProvider<ObservationRegistry> registry) {
			return () -> registry.ifAvailable((observationRegistry) -> engine
				.setObservations(new MicrometerReloadObservations(observationRegistry, engine)));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(HealthIndicator.class)
	@ConditionalOnEnabledHealthIndicator("hotreload")
	static class HealthConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "hotreloadHealthIndicator")
		HotReloadHealthIndicator hotreloadHealthIndicator(ReloadHistory history) {
			return new HotReloadHealthIndicator(history);
		}

	}

}

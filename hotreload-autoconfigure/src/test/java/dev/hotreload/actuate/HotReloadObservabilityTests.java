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

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.hotreload.autoconfigure.HotReloadAutoConfiguration;
import dev.hotreload.autoconfigure.HotReloadObservabilityAutoConfiguration;
import dev.hotreload.engine.ReloadEngine;
import dev.hotreload.engine.ReloadRequest;
import dev.hotreload.engine.TestConfigSource;
import dev.hotreload.engine.TestResource;
import dev.hotreload.history.HistoryEntry;
import dev.hotreload.history.ReloadHistory;
import dev.hotreload.history.ReloadOutcome;
import dev.hotreload.history.ResourceResult;
import dev.hotreload.resource.RetireReport;
import dev.hotreload.source.ConfigFormat;
import dev.hotreload.source.ConfigSources;
import dev.hotreload.source.ReloadTrigger;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests of hotreload's meters, observations, health and jitter after real reloads.
 */
class HotReloadObservabilityTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(HotReloadAutoConfiguration.class,
				HotReloadObservabilityAutoConfiguration.class, MetricsAutoConfiguration.class))
		.withUserConfiguration(TestConfiguration.class);

	@Test
	void countsReloadsByOutcomeAndSourceAndTimesTheirPhases() {
		this.runner.run((context) -> {
			context.getBean(TestResource.class).retireWith(new RetireReport(Duration.ofMillis(40), 0, List.of(), null));
			TestConfigSource source = context.getBean(TestConfigSource.class);
			source.set("resource.url: a\n");
			assertThat(reload(context).outcome()).isEqualTo(ReloadOutcome.APPLIED);
			assertThat(reload(context).outcome()).isEqualTo(ReloadOutcome.NO_CHANGE);
			source.set("resource.url: [broken\n");
			assertThat(reload(context).outcome()).isEqualTo(ReloadOutcome.REJECTED);
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			assertThat(meters.get("hotreload.reloads").tags("outcome", "APPLIED", "source", "test").counter().count())
				.isEqualTo(1);
			assertThat(meters.get("hotreload.reloads").tags("outcome", "NO_CHANGE", "source", "test").counter().count())
				.isEqualTo(1);
			assertThat(meters.get("hotreload.reloads").tags("outcome", "REJECTED", "source", "test").counter().count())
				.isEqualTo(1);
			assertThat(meters.get("hotreload.reload.duration").tags("phase", "total").timer().count()).isEqualTo(3);
			assertThat(meters.get("hotreload.reload.duration").tags("phase", "validate").timer().count()).isEqualTo(1);
			assertThat(meters.get("hotreload.reload.duration").tags("phase", "swap").timer().count()).isEqualTo(1);
			await().atMost(Duration.ofSeconds(5))
				.untilAsserted(
						() -> assertThat(meters.get("hotreload.reload.duration").tags("phase", "drain").timer().count())
							.isEqualTo(1));
			assertThat(meters.get("hotreload.resource.generation").tags("resource", "resource").gauge().value())
				.isEqualTo(2);
			assertThat(meters.find("hotreload.drain.forced").counter()).isNull();
		});
	}

	@Test
	void neverTagsAnUnknownSourceName() {
		this.runner.run((context) -> {
			HistoryEntry entry = context.getBean(ReloadEngine.class)
				.submit(new ReloadRequest(List.of("file:/secret/path?password=x"), ReloadTrigger.MANUAL, false, null,
						null))
				.get(5, TimeUnit.SECONDS);
			assertThat(entry.outcome()).isEqualTo(ReloadOutcome.REJECTED);
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			assertThat(meters.get("hotreload.reloads").tags("source", "unknown").counter().count()).isEqualTo(1);
			assertThat(meters.getMeters())
				.allSatisfy((meter) -> assertThat(meter.getId().getTags().toString()).doesNotContain("secret"));
		});
	}

	@Test
	void countsDrainsForcedAtTheTimeout() {
		this.runner.run((context) -> {
			context.getBean(TestResource.class)
				.retireWith(new RetireReport(Duration.ofSeconds(30), 2, List.of(), null));
			context.getBean(TestConfigSource.class).set("resource.url: a\n");
			reload(context);
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			await().atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(
						meters.get("hotreload.drain.forced").tags("resource", "resource").counter().count())
					.isEqualTo(1));
		});
	}

	@Test
	void observesEachReloadWithAChildObservationForTheRetirement() {
		this.runner.run((context) -> {
			context.getBean(TestConfigSource.class).set("resource.url: a\n");
			reload(context);
			TestObservationRegistry registry = context.getBean(TestObservationRegistry.class);
			await().atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> TestObservationRegistryAssert.assertThat(registry)
					.hasObservationWithNameEqualTo("hotreload.retire")
					.that()
					.hasBeenStopped()
					.hasLowCardinalityKeyValue("resource", "resource"));
			TestObservationRegistryAssert.assertThat(registry)
				.hasObservationWithNameEqualTo("hotreload.reload")
				.that()
				.hasBeenStarted()
				.hasBeenStopped()
				.hasLowCardinalityKeyValue("source", "test")
				.hasLowCardinalityKeyValue("outcome", "APPLIED")
				.hasLowCardinalityKeyValue("trigger", "manual")
				.hasEvent("hotreload.phase.validate")
				.hasEvent("hotreload.phase.swap");
			TestObservationRegistryAssert.assertThat(registry)
				.hasObservationWithNameEqualTo("hotreload.retire")
				.that()
				.hasParentObservationContextMatching((parent) -> parent.getName().equals("hotreload.reload"));
		});
	}

	@Test
	void healthIsUpAfterARejectedChange() {
		this.runner.run((context) -> {
			TestConfigSource source = context.getBean(TestConfigSource.class);
			source.set("resource.url: [broken\n");
			reload(context);
			Health health = context.getBean(HotReloadHealthIndicator.class).health(true);
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsEntry("lastOutcome", ReloadOutcome.REJECTED);
		});
	}

	@Test
	void healthIsOutOfServiceWhenAnOldInstanceCouldNotBeClosed() {
		this.runner.run((context) -> {
			context.getBean(TestResource.class)
				.retireWith(new RetireReport(Duration.ofSeconds(1), 0, List.of("hotreload-test-housekeeper"),
						"pool did not close"));
			context.getBean(TestConfigSource.class).set("resource.url: a\n");
			reload(context);
			await().atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(context.getBean(ReloadHistory.class).entries().get(0).resources())
					.extracting(ResourceResult::state)
					.containsExactly(ResourceResult.State.RETIRE_FAILED));
			Health health = context.getBean(HotReloadHealthIndicator.class).health(true);
			assertThat(health.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
			assertThat(health.getDetails().get("problems").toString()).contains("pool did not close")
				.contains("hotreload-test-housekeeper");
		});
	}

	@Test
	void jitterSpreadsApplyTimesOfPushedChangesAcrossInstances() throws Exception {
		List<ConfigurableApplicationContext> instances = new ArrayList<>();
		List<Long> delays = new ArrayList<>();
		try {
			ApplicationContextRunner jittered = this.runner.withPropertyValues("hotreload.jitter=2s");
			for (int i = 0; i < 6; i++) {
				jittered.run((context) -> {
					context.getBean(TestConfigSource.class).set("resource.url: a\n");
					Instant pushed = Instant.now();
					HistoryEntry entry = context.getBean(ReloadEngine.class)
						.submit(ReloadRequest.pushed("test", ReloadTrigger.OTHER))
						.get(10, TimeUnit.SECONDS);
					assertThat(entry.outcome()).isEqualTo(ReloadOutcome.APPLIED);
					delays.add(Duration.between(pushed, entry.timestamp()).toMillis());
				});
			}
		}
		finally {
			instances.forEach(ConfigurableApplicationContext::close);
		}
		assertThat(delays).allSatisfy((delay) -> assertThat(delay).isBetween(0L, 2500L));
		long spread = delays.stream().mapToLong(Long::longValue).max().getAsLong()
				- delays.stream().mapToLong(Long::longValue).min().getAsLong();
		assertThat(spread).as("spread of apply delays %s", delays).isGreaterThan(200);
	}

	@Test
	void manualReloadsAreNotDelayedByTheJitter() {
		this.runner.withPropertyValues("hotreload.jitter=1h").run((context) -> {
			context.getBean(TestConfigSource.class).set("resource.url: a\n");
			assertThat(reload(context).outcome()).isEqualTo(ReloadOutcome.APPLIED);
		});
	}

	private static HistoryEntry reload(AssertableApplicationContext context) throws Exception {
		return context.getBean(ReloadEngine.class)
			.submit(new ReloadRequest(List.of("test"), ReloadTrigger.MANUAL, false, null, null))
			.get(10, TimeUnit.SECONDS);
	}

	@Configuration(proxyBeanMethods = false)
	static class TestConfiguration {

		@Bean
		TestConfigSource testConfigSource() {
			return new TestConfigSource("test", ConfigFormat.YAML);
		}

		@Bean
		ConfigSources testConfigSources(TestConfigSource source) {
			return () -> List.of(source);
		}

		@Bean
		TestResource resource() {
			return new TestResource("resource", "resource.url", null);
		}

		@Bean
		SimpleMeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

		@Bean
		TestObservationRegistry observationRegistry() {
			return TestObservationRegistry.create();
		}

	}

}

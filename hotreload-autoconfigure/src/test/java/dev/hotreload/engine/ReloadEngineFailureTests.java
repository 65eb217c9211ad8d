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

package dev.hotreload.engine;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.hotreload.autoconfigure.HotReloadAutoConfiguration;
import dev.hotreload.history.HistoryEntry;
import dev.hotreload.history.ReloadHistory;
import dev.hotreload.history.ReloadOutcome;
import dev.hotreload.source.ReloadTrigger;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.autoconfigure.ConfigurationPropertiesRebinderAutoConfiguration;
import org.springframework.cloud.autoconfigure.RefreshAutoConfiguration;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What happens after a commit always finishes: every bean is rebound and the scope
 * refreshed whatever one bean does, old instances retire whatever an observation does, a
 * closing context applies nothing half-way, and a manual reload does not wait for a
 * push's jitter.
 */
class ReloadEngineFailureTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(HotReloadAutoConfiguration.class, RefreshAutoConfiguration.class,
				ConfigurationPropertiesRebinderAutoConfiguration.class))
		.withUserConfiguration(ReloadEngineTests.SourceConfiguration.class, MorePropertiesConfiguration.class);

	@Test
	void rebindsEveryBeanAndRefreshesTheScopeWhenOneBeanFailsToBind() {
		this.runner.run((context) -> {
			TestConfigSource source = context.getBean(TestConfigSource.class);
			source.set("early:\n  value: bad\ngreeting:\n  text: hello\nomega:\n  value: x\n");
			HistoryEntry entry = reload(context);
			assertThat(entry.outcome()).isEqualTo(ReloadOutcome.APPLIED);
			assertThat(entry.error()).contains("@ConfigurationProperties bean 'early-")
				.contains("value must not be bad")
				.doesNotContain("greeting-")
				.doesNotContain("omega-");
			assertThat(context.getBean(EarlyProperties.class).getValue()).isEqualTo("initial");
			assertThat(context.getBean(ReloadEngineTests.GreetingProperties.class).getText()).isEqualTo("hello");
			assertThat(context.getBean(OmegaProperties.class).getValue()).isEqualTo("x");
			assertThat(context.getBean(ReloadEngineTests.Greeter.class).text()).isEqualTo("hello");
		});
	}

	@Test
	void rebindsOnlyTheBeansTheChangedKeysOrTheirPlaceholdersCanAffect() {
		this.runner.run((context) -> {
			TestConfigSource source = context.getBean(TestConfigSource.class);
			OmegaProperties omega = context.getBean(OmegaProperties.class);
			source.set("greeting:\n  text: hello\nomega:\n  value: x\n");
			assertThat(reload(context).outcome()).isEqualTo(ReloadOutcome.APPLIED);
			assertThat(omega.getValue()).isEqualTo("x");
			// a value only a rebind of omega would reset
			omega.setValue("set-by-app");
			source.set("greeting:\n  text: hi\nomega:\n  value: x\n");
			HistoryEntry greetingOnly = reload(context);
			assertThat(greetingOnly.outcome()).isEqualTo(ReloadOutcome.APPLIED);
			assertThat(greetingOnly.error()).isNull();
			assertThat(context.getBean(ReloadEngineTests.GreetingProperties.class).getText()).isEqualTo("hi");
			assertThat(context.getBean(ReloadEngineTests.Greeter.class).text()).isEqualTo("hi");
			assertThat(omega.getValue()).isEqualTo("set-by-app");
			source.set("greeting:\n  text: hi\nomega:\n  value: ${greeting.text}\n");
			assertThat(reload(context).outcome()).isEqualTo(ReloadOutcome.APPLIED);
			assertThat(omega.getValue()).isEqualTo("hi");
			omega.setValue("set-by-app");
			// omega.value did not change, but its placeholder resolves to a key that did
			source.set("greeting:\n  text: hey\nomega:\n  value: ${greeting.text}\n");
			assertThat(reload(context).outcome()).isEqualTo(ReloadOutcome.APPLIED);
			assertThat(omega.getValue()).isEqualTo("hey");
			assertThat(context.getBean(ReloadEngineTests.GreetingProperties.class).getText()).isEqualTo("hey");
		});
	}

	@Test
	void retiresTheOldInstanceWhenAnObservationFailsAfterTheCommit() {
		this.runner.run((context) -> {
			ReloadEngine engine = context.getBean(ReloadEngine.class);
			engine.setObservations((request) -> new ReloadObservation() {

				@Override
				public void phase(String phase) {
					throw new IllegalStateException("observation handler broke in " + phase);
				}

				@Override
				public void stop(HistoryEntry entry) {
					throw new IllegalStateException("observation handler broke on stop");
				}

			});
			TestResource resource = context.getBean(TestResource.class);
			context.getBean(TestConfigSource.class).set("first:\n  url: v1\n");
			HistoryEntry entry = reload(context);
			assertThat(entry.outcome()).isEqualTo(ReloadOutcome.APPLIED);
			assertThat(resource.live()).isEqualTo("v1");
			assertThat(context.getBean(ReloadHistory.class).entries()).hasSize(1);
			assertThat(resource.events).containsExactly("prepare v1", "commit v1");
			await().atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(resource.retired).containsExactly("null"));
		});
	}

	@Test
	void closingTheContextDuringAReloadAppliesNothingAndClosesTheCandidate() {
		this.runner.withPropertyValues("hotreload.shutdown-timeout=10s").run((context) -> {
			TestResource resource = context.getBean(TestResource.class);
			CountDownLatch release = new CountDownLatch(1);
			resource.blockPrepare(release);
			context.getBean(TestConfigSource.class).set("first:\n  url: v1\n");
			CompletableFuture<HistoryEntry> reload = context.getBean(ReloadEngine.class)
				.submit(new ReloadRequest(List.of("test"), ReloadTrigger.MANUAL, false, null, null));
			assertThat(resource.preparing.await(5, TimeUnit.SECONDS)).isTrue();
			Thread releaser = new Thread(() -> {
				try {
					Thread.sleep(300);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				release.countDown();
			});
			releaser.start();
			long start = System.nanoTime();
			context.close();
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
			HistoryEntry entry = reload.get(5, TimeUnit.SECONDS);
			assertThat(entry.outcome()).isEqualTo(ReloadOutcome.REJECTED);
			assertThat(entry.error()).contains("closing");
			assertThat(resource.events).containsExactly("prepare v1", "rollback v1");
			assertThat(resource.live()).isNull();
		});
	}

	@Test
	void manualReloadDoesNotWaitForAPushDelayedByTheJitter() {
		this.runner.withPropertyValues("hotreload.jitter=10m").run((context) -> {
			ReloadEngine engine = context.getBean(ReloadEngine.class);
			TestConfigSource source = context.getBean(TestConfigSource.class);
			source.set("first:\n  url: v1\n");
			CompletableFuture<HistoryEntry> pushed = engine.submit(ReloadRequest.pushed("test", ReloadTrigger.OTHER));
			HistoryEntry manual = engine
				.submit(new ReloadRequest(List.of("test"), ReloadTrigger.MANUAL, false, null, null))
				.get(5, TimeUnit.SECONDS);
			assertThat(manual.outcome()).isEqualTo(ReloadOutcome.APPLIED);
			assertThat(manual.trigger()).isEqualTo("manual");
			assertThat(context.getBean(TestResource.class).live()).isEqualTo("v1");
			assertThat(pushed).isNotDone();
		});
	}

	private static HistoryEntry reload(org.springframework.context.ApplicationContext context) throws Exception {
		return context.getBean(ReloadEngine.class)
			.submit(new ReloadRequest(List.of("test"), ReloadTrigger.MANUAL, false, null, null))
			.get(10, TimeUnit.SECONDS);
	}

	/**
	 * Two more {@code @ConfigurationProperties} beans beside the engine tests' own.
	 */
	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties({ EarlyProperties.class, OmegaProperties.class })
	static class MorePropertiesConfiguration {

	}

	/**
	 * Fails to bind one value; its bean name sorts before the others'.
	 */
	@ConfigurationProperties("early")
	static class EarlyProperties {

		private String value = "initial";

		String getValue() {
			return this.value;
		}

		void setValue(String value) {
			if ("bad".equals(value)) {
				throw new IllegalArgumentException("value must not be bad");
			}
			this.value = value;
		}

	}

	@ConfigurationProperties("omega")
	static class OmegaProperties {

		private String value = "initial";

		String getValue() {
			return this.value;
		}

		void setValue(String value) {
			this.value = value;
		}

	}

}

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
import java.util.concurrent.TimeUnit;

import dev.hotreload.autoconfigure.HotReloadAutoConfiguration;
import dev.hotreload.history.HistoryEntry;
import dev.hotreload.history.ReloadHistory;
import dev.hotreload.history.ReloadOutcome;
import dev.hotreload.resource.CredentialsRejectedEvent;
import dev.hotreload.source.ReloadTrigger;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.autoconfigure.ConfigurationPropertiesRebinderAutoConfiguration;
import org.springframework.cloud.autoconfigure.RefreshAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link CredentialsRejectedReloads}: a refused login reads the sources again,
 * with backoff, until the new config is there, once per interval.
 */
class CredentialsRejectedReloadsTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(HotReloadAutoConfiguration.class, RefreshAutoConfiguration.class,
				ConfigurationPropertiesRebinderAutoConfiguration.class))
		.withUserConfiguration(ReloadEngineTests.SourceConfiguration.class)
		.withPropertyValues("hotreload.auth-failure.window=4s", "hotreload.auth-failure.interval=1h");

	@Test
	void aRefusedLoginReadsTheSourcesAgainUntilTheNewConfigArrivesOncePerInterval() {
		this.runner.run((context) -> {
			TestConfigSource source = context.getBean(TestConfigSource.class);
			source.set("greeting:\n  text: old password\n");
			assertThat(reload(context).outcome()).isEqualTo(ReloadOutcome.APPLIED);
			ReloadHistory history = context.getBean(ReloadHistory.class);
			context.publishEvent(new CredentialsRejectedEvent(this, "dataSource", "Access denied"));
			// the config center gets the new value 1.2 s after the server
			Thread.sleep(1200);
			source.set("greeting:\n  text: new password\n");
			await().atMost(Duration.ofSeconds(5))
				.until(() -> authFailureEntries(history).stream()
					.anyMatch((entry) -> entry.outcome() == ReloadOutcome.APPLIED));
			List<HistoryEntry> window = authFailureEntries(history);
			// read at once, after 500 ms and after 1.5 s: the last one found the change
			assertThat(window).hasSize(3);
			assertThat(window.get(0).outcome()).isEqualTo(ReloadOutcome.APPLIED);
			assertThat(window.subList(1, 3))
				.allSatisfy((entry) -> assertThat(entry.outcome()).isEqualTo(ReloadOutcome.NO_CHANGE));
			assertThat(context.getBean(ReloadEngineTests.GreetingProperties.class).getText()).isEqualTo("new password");
			int reads = source.reads();
			// the window is closed, and another refusal within the interval opens none
			context.publishEvent(new CredentialsRejectedEvent(this, "dataSource", "Access denied"));
			Thread.sleep(2500);
			assertThat(authFailureEntries(history)).hasSize(3);
			assertThat(source.reads()).isEqualTo(reads);
		});
	}

	@Test
	void aWindowWithoutNewConfigEndsAfterItsTime() {
		this.runner.withPropertyValues("hotreload.auth-failure.window=2s").run((context) -> {
			TestConfigSource source = context.getBean(TestConfigSource.class);
			source.set("greeting:\n  text: old password\n");
			assertThat(reload(context).outcome()).isEqualTo(ReloadOutcome.APPLIED);
			ReloadHistory history = context.getBean(ReloadHistory.class);
			context.publishEvent(new CredentialsRejectedEvent(this, "dataSource", "Access denied"));
			Thread.sleep(4000);
			// at once, after 500 ms and after 1.5 s; the next (3.5 s) is past the window
			assertThat(authFailureEntries(history)).hasSize(3)
				.allSatisfy((entry) -> assertThat(entry.outcome()).isEqualTo(ReloadOutcome.NO_CHANGE));
		});
	}

	@Test
	void canBeTurnedOff() {
		this.runner.withPropertyValues("hotreload.auth-failure.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(CredentialsRejectedReloads.class));
	}

	private static List<HistoryEntry> authFailureEntries(ReloadHistory history) {
		return history.entries().stream().filter((entry) -> entry.trigger().equals("auth-failure")).toList();
	}

	private static HistoryEntry reload(AssertableApplicationContext context) throws Exception {
		return context.getBean(ReloadEngine.class)
			.submit(new ReloadRequest(List.of("test"), ReloadTrigger.MANUAL, false, null, null))
			.get(10, TimeUnit.SECONDS);
	}

}

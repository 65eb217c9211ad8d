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

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.hotreload.autoconfigure.HotReloadAutoConfiguration;
import dev.hotreload.history.ChangeType;
import dev.hotreload.history.ChangedKey;
import dev.hotreload.history.HistoryEntry;
import dev.hotreload.history.ReloadHistory;
import dev.hotreload.history.ReloadOutcome;
import dev.hotreload.history.ResourceResult;
import dev.hotreload.source.ConfigContent;
import dev.hotreload.source.ConfigFormat;
import dev.hotreload.source.ConfigParser;
import dev.hotreload.source.ConfigSources;
import dev.hotreload.source.ReloadTrigger;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.info.BuildProperties;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.autoconfigure.ConfigurationPropertiesRebinderAutoConfiguration;
import org.springframework.cloud.autoconfigure.RefreshAutoConfiguration;
import org.springframework.cloud.context.config.annotation.RefreshScope;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ReloadEngine}.
 */
class ReloadEngineTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(HotReloadAutoConfiguration.class, RefreshAutoConfiguration.class,
				ConfigurationPropertiesRebinderAutoConfiguration.class))
		.withUserConfiguration(SourceConfiguration.class);

	@Test
	void appliesChangeRebindsPropertiesAndRefreshesScopedBeans() {
		this.runner.run((context) -> {
			TestConfigSource source = context.getBean(TestConfigSource.class);
			source.set("greeting.text: hello\n");
			HistoryEntry first = reload(context);
			assertThat(first.outcome()).isEqualTo(ReloadOutcome.APPLIED);
			assertThat(context.getBean(GreetingProperties.class).getText()).isEqualTo("hello");
			assertThat(context.getBean(Greeter.class).text()).isEqualTo("hello");
			source.set("greeting.text: bonjour\n");
			HistoryEntry second = reload(context);
			assertThat(second.outcome()).isEqualTo(ReloadOutcome.APPLIED);
			assertThat(second.digest()).isEqualTo(ConfigParser.sha256("greeting.text: bonjour\n".getBytes()));
			assertThat(second.previousDigest()).isEqualTo(first.digest());
			assertThat(second.changedKeys())
				.containsExactly(new ChangedKey("greeting.text", ChangeType.MODIFIED, "hello", "bonjour"));
			assertThat(second.trigger()).isEqualTo("other");
			assertThat(second.source()).isEqualTo("test");
			assertThat(context.getEnvironment().getProperty("greeting.text")).isEqualTo("bonjour");
			assertThat(context.getBean(GreetingProperties.class).getText()).isEqualTo("bonjour");
			assertThat(context.getBean(Greeter.class).text()).isEqualTo("bonjour");
		});
	}

	@Test
	void keepsAnAppliedChangeAndRetiresWhenABeanFailsToRefresh() {
		this.runner.withBean(FailingListener.class).run((context) -> {
			TestConfigSource source = context.getBean(TestConfigSource.class);
			source.set("first.url: v1\n");
			HistoryEntry entry = reload(context);
			assertThat(entry.outcome()).isEqualTo(ReloadOutcome.APPLIED);
			assertThat(entry.error()).contains("refreshing @RefreshScope beans failed").contains("listener broke");
			assertThat(context.getBean(TestResource.class).live()).isEqualTo("v1");
			assertThat(context.getEnvironment().getProperty("first.url")).isEqualTo("v1");
			assertThat(context.getBean(ReloadHistory.class).entries()).hasSize(1);
		});
	}

	@Test
	void recordsRemovedKeys() {
		this.runner.run((context) -> {
			TestConfigSource source = context.getBean(TestConfigSource.class);
			source.set("greeting.text: hello\nother: 1\n");
			reload(context);
			source.set("other: 1\n");
			HistoryEntry entry = reload(context);
			assertThat(entry.changedKeys())
				.containsExactly(new ChangedKey("greeting.text", ChangeType.REMOVED, "hello", null));
			assertThat(context.getEnvironment().containsProperty("greeting.text")).isFalse();
		});
	}

	@Test
	void aSourceThatSuddenlyLosesMostKeysIsReadAgainBeforeItIsApplied() {
		this.runner.run((context) -> {
			TestConfigSource source = context.getBean(TestConfigSource.class);
			String full = "greeting.text: hello\na: 1\nb: 2\nc: 3\n";
			source.set(full);
			assertThat(reload(context).outcome()).isEqualTo(ReloadOutcome.APPLIED);
			// caught mid-write: empty, then a cut keeping one key of four
			for (String partial : new String[] { "", "greeting.text: hello\n" }) {
				source.nextReadOnly(partial);
				int before = source.reads();
				HistoryEntry entry = reload(context);
				assertThat(entry.outcome()).isEqualTo(ReloadOutcome.NO_CHANGE);
				assertThat(entry.digest()).isEqualTo(ConfigParser.sha256(full.getBytes()));
				assertThat(source.reads() - before).isEqualTo(2);
				assertThat(context.getEnvironment().getProperty("c")).isEqualTo("3");
			}
			// emptied on purpose: it stays empty, so it applies
			source.set("");
			HistoryEntry emptied = reload(context);
			assertThat(emptied.outcome()).isEqualTo(ReloadOutcome.APPLIED);
			assertThat(emptied.changedKeyCount()).isEqualTo(4);
			assertThat(context.getEnvironment().getProperty("c")).isNull();
		});
	}

	@Test
	void sameContentIsNoChange() {
		this.runner.run((context) -> {
			context.getBean(TestConfigSource.class).set("greeting.text: hello\n");
			reload(context);
			HistoryEntry again = reload(context);
			assertThat(again.outcome()).isEqualTo(ReloadOutcome.NO_CHANGE);
			assertThat(again.changedKeys()).isEmpty();
			assertThat(context.getBean(TestResource.class).events).containsExactly();
		});
	}

	@Test
	void rejectsMalformedYamlAndKeepsTheLiveConfig() {
		this.runner.run((context) -> {
			TestConfigSource source = context.getBean(TestConfigSource.class);
			source.set("greeting.text: hello\n");
			reload(context);
			source.set("greeting:\n  text: [unclosed\n");
			HistoryEntry entry = reload(context);
			assertThat(entry.outcome()).isEqualTo(ReloadOutcome.REJECTED);
			assertThat(entry.error()).contains("Malformed yaml content in test").contains("previous configuration");
			assertThat(context.getEnvironment().getProperty("greeting.text")).isEqualTo("hello");
			source.set("greeting.text: fixed\n");
			assertThat(reload(context).outcome()).isEqualTo(ReloadOutcome.APPLIED);
			assertThat(context.getEnvironment().getProperty("greeting.text")).isEqualTo("fixed");
		});
	}

	@Test
	void rejectsWhenTheSourceCannotBeRead() {
		this.runner.run((context) -> {
			TestConfigSource source = context.getBean(TestConfigSource.class);
			source.set("greeting.text: hello\n");
			reload(context);
			source.failReads(true);
			HistoryEntry entry = reload(context);
			assertThat(entry.outcome()).isEqualTo(ReloadOutcome.REJECTED);
			assertThat(entry.error()).contains("Could not read test").contains("source unavailable");
			assertThat(context.getEnvironment().getProperty("greeting.text")).isEqualTo("hello");
		});
	}

	@Test
	void changeThatFailsOnOneResourceAppliesToNone() {
		this.runner.withUserConfiguration(SecondResourceConfiguration.class).run((context) -> {
			TestConfigSource source = context.getBean(TestConfigSource.class);
			TestResource first = context.getBean("first", TestResource.class);
			TestResource second = context.getBean("second", TestResource.class);
			source.set("first.url: a1\nsecond.url: b1\ngreeting.text: one\n");
			assertThat(reload(context).outcome()).isEqualTo(ReloadOutcome.APPLIED);
			second.failPrepareOn("b2");
			source.set("first.url: a2\nsecond.url: b2\ngreeting.text: two\n");
			HistoryEntry entry = reload(context);
			assertThat(entry.outcome()).isEqualTo(ReloadOutcome.REJECTED);
			assertThat(entry.error()).contains("test resource 'second'").contains("cannot connect to b2");
			assertThat(first.live()).isEqualTo("a1");
			assertThat(first.events).containsExactly("prepare a1", "commit a1", "prepare a2", "rollback a2");
			assertThat(second.live()).isEqualTo("b1");
			assertThat(context.getEnvironment().getProperty("greeting.text")).isEqualTo("one");
			assertThat(entry.resources()).extracting(ResourceResult::name, ResourceResult::state)
				.containsExactly(org.assertj.core.groups.Tuple.tuple("first", ResourceResult.State.DISCARDED),
						org.assertj.core.groups.Tuple.tuple("second", ResourceResult.State.FAILED));
		});
	}

	@Test
	void swapFailureRollsEverythingBack() {
		this.runner.withUserConfiguration(SecondResourceConfiguration.class).run((context) -> {
			TestConfigSource source = context.getBean(TestConfigSource.class);
			TestResource first = context.getBean("first", TestResource.class);
			TestResource second = context.getBean("second", TestResource.class);
			source.set("first.url: a1\nsecond.url: b1\ngreeting.text: one\n");
			reload(context);
			second.failCommit();
			source.set("first.url: a2\nsecond.url: b2\ngreeting.text: two\n");
			HistoryEntry entry = reload(context);
			assertThat(entry.outcome()).isEqualTo(ReloadOutcome.ROLLED_BACK);
			assertThat(first.live()).isEqualTo("a1");
			assertThat(second.live()).isEqualTo("b1");
			assertThat(context.getEnvironment().getProperty("greeting.text")).isEqualTo("one");
		});
	}

	@Test
	void coalescesRequestsThatArriveWhileAReloadRuns() {
		this.runner.run((context) -> {
			TestConfigSource source = context.getBean(TestConfigSource.class);
			TestResource resource = context.getBean(TestResource.class);
			ReloadEngine engine = context.getBean(ReloadEngine.class);
			CountDownLatch release = new CountDownLatch(1);
			resource.blockPrepare(release);
			source.set("first.url: v1\n");
			CompletableFuture<HistoryEntry> running = engine.submit(ReloadRequest.pushed("test", ReloadTrigger.OTHER));
			assertThat(resource.preparing.await(5, TimeUnit.SECONDS)).isTrue();
			source.set("first.url: v2\n");
			CompletableFuture<HistoryEntry> next = engine.submit(ReloadRequest.pushed("test", ReloadTrigger.OTHER));
			source.set("first.url: v3\n");
			CompletableFuture<HistoryEntry> coalesced = engine
				.submit(ReloadRequest.pushed("test", ReloadTrigger.OTHER));
			source.set("first.url: v4\n");
			CompletableFuture<HistoryEntry> last = engine.submit(ReloadRequest.pushed("test", ReloadTrigger.OTHER));
			assertThat(coalesced).isSameAs(next);
			assertThat(last).isSameAs(next);
			release.countDown();
			assertThat(running.get(5, TimeUnit.SECONDS).outcome()).isEqualTo(ReloadOutcome.APPLIED);
			HistoryEntry followUp = next.get(5, TimeUnit.SECONDS);
			assertThat(followUp.outcome()).isEqualTo(ReloadOutcome.APPLIED);
			assertThat(followUp.digest()).isEqualTo(ConfigParser.sha256("first.url: v4\n".getBytes()));
			assertThat(resource.live()).isEqualTo("v4");
			assertThat(resource.events).containsExactly("prepare v1", "commit v1", "prepare v4", "commit v4");
			assertThat(context.getBean(ReloadHistory.class).entries()).hasSize(2);
		});
	}

	@Test
	void appliesPushedContentInsteadOfReadingTheSourceAndCoalescesToTheNewest() {
		this.runner.run((context) -> {
			TestConfigSource source = context.getBean(TestConfigSource.class);
			TestResource resource = context.getBean(TestResource.class);
			ReloadEngine engine = context.getBean(ReloadEngine.class);
			source.set("first.url: on-the-server\n");
			CountDownLatch release = new CountDownLatch(1);
			resource.blockPrepare(release);
			PendingReload running = engine.start(pushed("first.url: v1\n"));
			assertThat(resource.preparing.await(5, TimeUnit.SECONDS)).isTrue();
			PendingReload next = engine.start(pushed("first.url: v2\n"));
			PendingReload coalesced = engine.start(pushed("first.url: v3\n"));
			assertThat(coalesced.id()).isEqualTo(next.id()).isGreaterThan(running.id());
			assertThat(engine.isPending(next.id())).isTrue();
			release.countDown();
			assertThat(running.result().get(5, TimeUnit.SECONDS).digest())
				.isEqualTo(ConfigParser.sha256("first.url: v1\n".getBytes()));
			HistoryEntry followUp = next.result().get(5, TimeUnit.SECONDS);
			assertThat(followUp.id()).isEqualTo(next.id());
			assertThat(followUp.digest()).isEqualTo(ConfigParser.sha256("first.url: v3\n".getBytes()));
			assertThat(resource.events).containsExactly("prepare v1", "commit v1", "prepare v3", "commit v3");
			assertThat(context.getEnvironment().getProperty("first.url")).isEqualTo("v3");
			assertThat(engine.isPending(next.id())).isFalse();
			HistoryEntry manual = reload(context);
			assertThat(manual.digest()).isEqualTo(ConfigParser.sha256("first.url: on-the-server\n".getBytes()));
			assertThat(context.getEnvironment().getProperty("first.url")).isEqualTo("on-the-server");
		});
	}

	private static ReloadRequest pushed(String content) {
		return ReloadRequest.pushed("test", ReloadTrigger.OTHER,
				new ConfigContent(content.getBytes(StandardCharsets.UTF_8), null));
	}

	@Test
	void dryRunValidatesWithoutApplying() {
		this.runner.run((context) -> {
			TestConfigSource source = context.getBean(TestConfigSource.class);
			source.set("first.url: v1\n");
			reload(context);
			source.set("first.url: v2\n");
			HistoryEntry entry = context.getBean(ReloadEngine.class)
				.submit(new ReloadRequest(List.of("test"), ReloadTrigger.MANUAL, true, null, null))
				.get(5, TimeUnit.SECONDS);
			assertThat(entry.outcome()).isEqualTo(ReloadOutcome.VALIDATED);
			assertThat(entry.dryRun()).isTrue();
			assertThat(entry.resources()).extracting(ResourceResult::state)
				.containsExactly(ResourceResult.State.VALIDATED);
			assertThat(context.getEnvironment().getProperty("first.url")).isEqualTo("v1");
			assertThat(context.getBean(TestResource.class).live()).isEqualTo("v1");
		});
	}

	@Test
	void appliesOnlyWhenTheExpectedDigestMatches() {
		this.runner.run((context) -> {
			TestConfigSource source = context.getBean(TestConfigSource.class);
			source.set("greeting.text: hello\n");
			ReloadEngine engine = context.getBean(ReloadEngine.class);
			HistoryEntry mismatch = engine
				.submit(new ReloadRequest(List.of("test"), ReloadTrigger.MANUAL, false, "0000", null))
				.get(5, TimeUnit.SECONDS);
			assertThat(mismatch.outcome()).isEqualTo(ReloadOutcome.REJECTED);
			assertThat(mismatch.error()).contains("not the expected 0000");
			assertThat(context.getEnvironment().containsProperty("greeting.text")).isFalse();
			String digest = ConfigParser.sha256("greeting.text: hello\n".getBytes());
			HistoryEntry match = engine
				.submit(new ReloadRequest(List.of("test"), ReloadTrigger.MANUAL, false, digest, null))
				.get(5, TimeUnit.SECONDS);
			assertThat(match.outcome()).isEqualTo(ReloadOutcome.APPLIED);
		});
	}

	@Test
	void rejectsAnUnknownSource() {
		this.runner.run((context) -> {
			HistoryEntry entry = context.getBean(ReloadEngine.class)
				.submit(new ReloadRequest(List.of("nope"), ReloadTrigger.MANUAL, false, null, null))
				.get(5, TimeUnit.SECONDS);
			assertThat(entry.outcome()).isEqualTo(ReloadOutcome.REJECTED);
			assertThat(entry.error()).isEqualTo("Unknown source 'nope'; known sources: test");
		});
	}

	@Test
	void appliesConfigWhoseRequiredVersionRangeContainsTheBuildVersion() {
		this.runner.withBean(BuildProperties.class, () -> build("2.4.1")).run((context) -> {
			context.getBean(TestConfigSource.class).set("hotreload.require.version: '[2.3.0,3.0.0)'\nfirst.url: v1\n");
			assertThat(reload(context).outcome()).isEqualTo(ReloadOutcome.APPLIED);
		});
	}

	@Test
	void refusesConfigWhoseRequiredVersionRangeExcludesTheBuildVersion() {
		this.runner.withBean(BuildProperties.class, () -> build("3.1.0")).run((context) -> {
			context.getBean(TestConfigSource.class).set("hotreload.require.version: '[2.3.0,3.0.0)'\nfirst.url: v1\n");
			HistoryEntry entry = reload(context);
			assertThat(entry.outcome()).isEqualTo(ReloadOutcome.VERSION_MISMATCH);
			assertThat(entry.error()).contains("requires version [2.3.0,3.0.0) but this instance runs 3.1.0");
			assertThat(context.getEnvironment().containsProperty("first.url")).isFalse();
			assertThat(context.getBean(TestResource.class).live()).isNull();
		});
	}

	@Test
	void refusesConfigThatRequiresAVersionWhenThereIsNoBuildInfo() {
		this.runner.run((context) -> {
			context.getBean(TestConfigSource.class).set("hotreload.require.version: 2.0.0\nfirst.url: v1\n");
			HistoryEntry entry = reload(context);
			assertThat(entry.outcome()).isEqualTo(ReloadOutcome.VERSION_MISMATCH);
			assertThat(entry.error()).contains("no build info");
			assertThat(context.getEnvironment().containsProperty("first.url")).isFalse();
		});
	}

	private static BuildProperties build(String version) {
		Properties properties = new Properties();
		properties.setProperty("group", "com.example");
		properties.setProperty("artifact", "orders");
		properties.setProperty("version", version);
		properties.setProperty("time", Instant.parse("2026-01-01T00:00:00Z").toString());
		return new BuildProperties(properties);
	}

	static HistoryEntry reload(AssertableApplicationContext context) throws Exception {
		return context.getBean(ReloadEngine.class)
			.submit(new ReloadRequest(List.of("test"), ReloadTrigger.OTHER, false, null, null))
			.get(10, TimeUnit.SECONDS);
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(GreetingProperties.class)
	static class SourceConfiguration {

		@Bean
		TestConfigSource testConfigSource() {
			return new TestConfigSource("test", ConfigFormat.YAML);
		}

		@Bean
		ConfigSources testConfigSources(TestConfigSource source) {
			return () -> List.of(source);
		}

		@Bean
		TestResource first() {
			return new TestResource("first", "first.url", null);
		}

		@Bean
		@RefreshScope
		Greeter greeter(@Value("${greeting.text:none}") String text) {
			return new Greeter(text);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class SecondResourceConfiguration {

		@Bean
		TestResource second() {
			return new TestResource("second", "second.url", null);
		}

	}

	static class FailingListener
			implements org.springframework.context.ApplicationListener<HotReloadEnvironmentChangeEvent> {

		@Override
		public void onApplicationEvent(HotReloadEnvironmentChangeEvent event) {
			throw new IllegalStateException("listener broke");
		}

	}

	@ConfigurationProperties("greeting")
	static class GreetingProperties {

		private String text = "none";

		String getText() {
			return this.text;
		}

		void setText(String text) {
			this.text = text;
		}

	}

	static class Greeter {

		private final String text;

		Greeter(String text) {
			this.text = text;
		}

		String text() {
			return this.text;
		}

	}

}

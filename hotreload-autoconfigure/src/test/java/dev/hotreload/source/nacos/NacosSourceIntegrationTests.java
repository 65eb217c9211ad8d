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

package dev.hotreload.source.nacos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.hotreload.autoconfigure.HotReloadAutoConfiguration;
import dev.hotreload.autoconfigure.NacosSourceAutoConfiguration;
import dev.hotreload.engine.ReloadEngine;
import dev.hotreload.engine.ReloadListener;
import dev.hotreload.engine.ReloadRequest;
import dev.hotreload.engine.SourceState;
import dev.hotreload.history.ChangeType;
import dev.hotreload.history.ChangedKey;
import dev.hotreload.history.HistoryEntry;
import dev.hotreload.history.ReloadHistory;
import dev.hotreload.history.ReloadOutcome;
import dev.hotreload.resource.PreparedChange;
import dev.hotreload.resource.ReloadContext;
import dev.hotreload.resource.ReloadableResource;
import dev.hotreload.resource.ResourceDescriptor;
import dev.hotreload.source.ConfigParser;
import dev.hotreload.source.ReloadTrigger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests of the Nacos source in a running application, against an
 * {@link InMemoryConfigService}. One application serves every test; each test works on
 * its own data-id.
 *
 * @author hotreload authors
 */
class NacosSourceIntegrationTests {

	private static final String GROUP = NacosSettings.DEFAULT_GROUP;

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static InMemoryConfigService nacos;

	private static ConfigurableApplicationContext context;

	private static ReloadEngine engine;

	private static ReloadHistory history;

	private static ConfigurableEnvironment environment;

	@BeforeAll
	static void start() throws Exception {
		nacos = new InMemoryConfigService();
		nacos.publishConfig("base.properties", GROUP,
				"demo.greeting=hello from nacos\ndemo.cli=from nacos\ndemo.layer=base\n");
		nacos.publishConfig("override.yaml", GROUP, "demo:\n  layer: override\n");
		nacos.publishConfig("live.properties", GROUP, "live.value=0\n");
		nacos.publishConfig("burst.properties", GROUP, "burst.value=0\n");
		nacos.publishConfig("outage.properties", GROUP, "outage.value=before\n");
		nacos.publishConfig("gone.yaml", GROUP, "gone:\n  value: here\n");
		nacos.publishConfig("service.yaml", GROUP, "demo:\n  service:\n    url: http://localhost:1\n");
		nacos.publishConfig("broken.yaml", GROUP, "broken:\n  value: ok\n");
		nacos.publishConfig("team.properties", "TEAM", "team.value=1\n");
		String[] dataIds = { "base.properties", "override.yaml", "live.properties", "burst.properties",
				"outage.properties", "gone.yaml", "service.yaml", "broken.yaml" };
		List<String> properties = new ArrayList<>();
		properties.add("hotreload.nacos.server-addr=memory:8848");
		properties.add("hotreload.nacos.namespace=dev");
		properties.add("hotreload.nacos.health-check-interval=100ms");
		for (int i = 0; i < dataIds.length; i++) {
			properties.add("hotreload.nacos.configs[" + i + "].data-id=" + dataIds[i]);
		}
		properties.add("hotreload.nacos.configs[" + dataIds.length + "].data-id=team.properties");
		properties.add("hotreload.nacos.configs[" + dataIds.length + "].group=TEAM");
		context = new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
			.properties(properties.toArray(String[]::new))
			.addBootstrapRegistryInitializer(
					(registry) -> registry.register(NacosConfigServiceFactory.class, (bootstrap) -> nacos.factory()))
			.run("--demo.cli=from the command line");
		engine = context.getBean(ReloadEngine.class);
		history = context.getBean(ReloadHistory.class);
		environment = context.getEnvironment();
	}

	@AfterAll
	static void stop() {
		if (context != null) {
			context.close();
		}
		assertThat(nacos.isShutDown()).isTrue();
	}

	@Test
	void beanBuiltAtStartupSeesNacosValue() {
		assertThat(context.getBean(Greeting.class).text()).isEqualTo("hello from nacos");
	}

	@Test
	void commandLineArgumentsTakePrecedenceOverNacos() {
		assertThat(environment.getProperty("demo.cli")).isEqualTo("from the command line");
	}

	@Test
	void laterDataIdTakesPrecedenceOverEarlierOne() {
		assertThat(environment.getProperty("demo.layer")).isEqualTo("override");
	}

	@Test
	void dataIdOutsideDefaultGroupIsNamedWithItsGroup() {
		SourceState team = source("nacos:TEAM/team.properties");
		assertThat(team.location()).isEqualTo("memory:8848/dev/TEAM/team.properties");
		assertThat(environment.getProperty("team.value")).isEqualTo("1");
	}

	@Test
	void publishedChangeIsAppliedWithTriggerNacosAndContentDigest() throws Exception {
		String content = "live.value=published\n";
		nacos.publishConfig("live.properties", GROUP, content);
		HistoryEntry entry = awaitEntry("nacos:live.properties", ReloadOutcome.APPLIED,
				ConfigParser.sha256(content.getBytes()));
		assertThat(entry.trigger()).isEqualTo("nacos");
		assertThat(entry.changedKeys()).extracting(ChangedKey::key).containsExactly("live.value");
		assertThat(environment.getProperty("live.value")).isEqualTo("published");
		assertThat(source("nacos:live.properties").digest()).isEqualTo(ConfigParser.sha256(content.getBytes()));
	}

	@Test
	void republishOfIdenticalContentChangesNothing() throws Exception {
		String content = "live.value=same\n";
		nacos.publishConfig("live.properties", GROUP, content);
		awaitEntry("nacos:live.properties", ReloadOutcome.APPLIED, ConfigParser.sha256(content.getBytes()));
		nacos.awaitNotified();
		int notifications = nacos.notifications();
		long before = lastId();
		nacos.publishConfig("live.properties", GROUP, content);
		nacos.awaitNotified();
		HistoryEntry entry = engine.submit(ReloadRequest.pushed("nacos:live.properties", ReloadTrigger.NACOS))
			.get(10, TimeUnit.SECONDS);
		assertThat(entry.outcome()).isEqualTo(ReloadOutcome.NO_CHANGE);
		assertThat(nacos.notifications()).isEqualTo(notifications);
		assertThat(entriesOf("nacos:live.properties", before)).containsExactly(entry);
	}

	@Test
	void burstOfPublishesIsCoalescedIntoOneFollowUpReload() throws Exception {
		BlockingListener blocker = context.getBean(BlockingListener.class);
		long before = lastId();
		blocker.arm("nacos:burst.properties");
		try {
			nacos.publishConfig("burst.properties", GROUP, "burst.value=1\n");
			assertThat(blocker.blocked.await(10, TimeUnit.SECONDS)).isTrue();
			for (int i = 2; i <= 20; i++) {
				nacos.publishConfig("burst.properties", GROUP, "burst.value=" + i + "\n");
			}
			nacos.awaitNotified();
		}
		finally {
			blocker.release();
		}
		await().atMost(WAIT).until(() -> "20".equals(environment.getProperty("burst.value")));
		Thread.sleep(300);
		List<HistoryEntry> burst = entriesOf("nacos:burst.properties", before);
		assertThat(burst).hasSize(2).allSatisfy((entry) -> {
			assertThat(entry.outcome()).isEqualTo(ReloadOutcome.APPLIED);
			assertThat(entry.trigger()).isEqualTo("nacos");
		});
		assertThat(environment.getProperty("burst.value")).isEqualTo("20");
	}

	@Test
	void changesMadeWhileNacosIsDownAreAppliedWhenItIsBack() throws Exception {
		nacos.down();
		try {
			await().atMost(WAIT)
				.untilAsserted(
						() -> assertThat(source("nacos:outage.properties").status()).containsEntry("connected", false));
			nacos.publishSilently("outage.properties", GROUP, "outage.value=during\n");
			HistoryEntry manual = engine
				.submit(new ReloadRequest(List.of("nacos:outage.properties"), ReloadTrigger.MANUAL, false, null, null))
				.get(10, TimeUnit.SECONDS);
			assertThat(manual.outcome()).isEqualTo(ReloadOutcome.REJECTED);
			assertThat(manual.error()).contains("unreachable");
			assertThat(environment.getProperty("outage.value")).isEqualTo("before");
		}
		finally {
			nacos.up();
		}
		awaitEntry("nacos:outage.properties", ReloadOutcome.APPLIED,
				ConfigParser.sha256("outage.value=during\n".getBytes()));
		assertThat(environment.getProperty("outage.value")).isEqualTo("during");
		assertThat(source("nacos:outage.properties").status()).containsEntry("connected", true);
	}

	@Test
	void deletedDataIdRemovesItsKeys() throws Exception {
		assertThat(environment.getProperty("gone.value")).isEqualTo("here");
		nacos.removeConfig("gone.yaml", GROUP);
		HistoryEntry entry = awaitEntry("nacos:gone.yaml", ReloadOutcome.APPLIED, ConfigParser.sha256(new byte[0]));
		assertThat(entry.changedKeys()).singleElement().satisfies((key) -> {
			assertThat(key.key()).isEqualTo("gone.value");
			assertThat(key.change()).isEqualTo(ChangeType.REMOVED);
		});
		assertThat(environment.containsProperty("gone.value")).isFalse();
	}

	@Test
	void deletedDataIdIsRejectedWhenAResourceNeedsItsKeys() throws Exception {
		nacos.removeConfig("service.yaml", GROUP);
		HistoryEntry entry = awaitEntry("nacos:service.yaml", ReloadOutcome.REJECTED, ConfigParser.sha256(new byte[0]));
		assertThat(entry.error()).contains("demo.service.url is required");
		assertThat(environment.getProperty("demo.service.url")).isEqualTo("http://localhost:1");
		assertThat(entry.error()).contains("data-id 'service.yaml'").contains("was deleted");
		SourceState state = source("nacos:service.yaml");
		assertThat(state.current()).isNotNull();
		assertThat(state.current().exists()).isFalse();
		assertThat(state.current().keys()).isZero();
		assertThat(state.current().digest()).isEqualTo(ConfigParser.sha256(new byte[0]));
		assertThat(state.lastRejection()).isNotNull();
		assertThat(state.lastRejection().reason()).contains("was deleted");
		nacos.publishConfig("service.yaml", GROUP, "demo:\n  service:\n    url: http://localhost:1\n");
	}

	@Test
	void malformedContentIsRejectedAndOldKeysStay() throws Exception {
		String content = "broken:\n  value: [unclosed\n";
		nacos.publishConfig("broken.yaml", GROUP, content);
		HistoryEntry entry = awaitEntry("nacos:broken.yaml", ReloadOutcome.REJECTED,
				ConfigParser.sha256(content.getBytes()));
		assertThat(entry.error()).contains("Malformed yaml content in nacos:broken.yaml");
		assertThat(environment.getProperty("broken.value")).isEqualTo("ok");
	}

	@Test
	void pushedChangeIsAppliedFromTheDeliveredContentWithoutReadingTheServerAgain() throws Exception {
		// settle the server state the health check saw, so that no catch-up read races
		context.getBean(NacosSourceListener.class).checkHealth();
		nacos.awaitNotified();
		int reads = nacos.reads("live.properties", GROUP);
		String content = "live.value=delivered\n";
		nacos.publishConfig("live.properties", GROUP, content);
		HistoryEntry entry = awaitEntry("nacos:live.properties", ReloadOutcome.APPLIED,
				ConfigParser.sha256(content.getBytes()));
		assertThat(entry.trigger()).isEqualTo("nacos");
		assertThat(environment.getProperty("live.value")).isEqualTo("delivered");
		assertThat(nacos.reads("live.properties", GROUP)).isEqualTo(reads);
		nacos.publishSilently("live.properties", GROUP, "live.value=reread\n");
		HistoryEntry manual = engine
			.submit(new ReloadRequest(List.of("nacos:live.properties"), ReloadTrigger.MANUAL, false, null, null))
			.get(10, TimeUnit.SECONDS);
		assertThat(manual.outcome()).isEqualTo(ReloadOutcome.APPLIED);
		assertThat(environment.getProperty("live.value")).isEqualTo("reread");
		assertThat(nacos.reads("live.properties", GROUP)).isEqualTo(reads + 1);
	}

	@Test
	void manualReloadOfOneDataIdRereadsItFromTheServer() throws Exception {
		String content = "live.value=missed\n";
		nacos.publishSilently("live.properties", GROUP, content);
		HistoryEntry entry = engine
			.submit(new ReloadRequest(List.of("nacos:live.properties"), ReloadTrigger.MANUAL, false, null, null))
			.get(10, TimeUnit.SECONDS);
		assertThat(entry.outcome()).isEqualTo(ReloadOutcome.APPLIED);
		assertThat(entry.trigger()).isEqualTo("manual");
		assertThat(entry.digest()).isEqualTo(ConfigParser.sha256(content.getBytes()));
		assertThat(environment.getProperty("live.value")).isEqualTo("missed");
	}

	@Test
	void listenerIsRegisteredPerDataIdAndSourcesShowTheirStatus() {
		assertThat(nacos.listenerCount()).isEqualTo(9);
		assertThat(source("nacos:base.properties").status()).containsEntry("connected", true)
			.containsEntry("snapshot", false)
			.containsEntry("namespace", "dev");
	}

	private static List<HistoryEntry> entriesOf(String source, long after) {
		return history.entries()
			.stream()
			.filter((entry) -> entry.id() > after && entry.source().equals(source))
			.toList();
	}

	private static long lastId() {
		return history.entries().stream().mapToLong(HistoryEntry::id).max().orElse(0);
	}

	private static SourceState source(String name) {
		return engine.sources().stream().filter((state) -> state.name().equals(name)).findFirst().orElseThrow();
	}

	private static HistoryEntry awaitEntry(String source, ReloadOutcome outcome, String digest) {
		return await().atMost(WAIT)
			.until(() -> history.entries()
				.stream()
				.filter((entry) -> entry.source().equals(source) && entry.outcome() == outcome
						&& digest.equals(entry.digest()))
				.findFirst()
				.orElse(null), (entry) -> entry != null);
	}

	record Greeting(String text) {

	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ HotReloadAutoConfiguration.class, NacosSourceAutoConfiguration.class })
	static class App {

		@Bean
		Greeting greeting(@Value("${demo.greeting}") String greeting) {
			return new Greeting(greeting);
		}

		@Bean
		BlockingListener blockingListener() {
			return new BlockingListener();
		}

		@Bean
		ServiceResource serviceResource() {
			return new ServiceResource();
		}

	}

	/**
	 * Holds the engine's thread after the next reload of a source until released.
	 */
	static final class BlockingListener implements ReloadListener {

		private final AtomicBoolean armed = new AtomicBoolean();

		private volatile String source = "";

		private volatile CountDownLatch blocked = new CountDownLatch(1);

		private volatile CountDownLatch release = new CountDownLatch(1);

		void arm(String source) {
			this.source = source;
			this.blocked = new CountDownLatch(1);
			this.release = new CountDownLatch(1);
			this.armed.set(true);
		}

		void release() {
			this.armed.set(false);
			this.release.countDown();
		}

		@Override
		public void reloaded(HistoryEntry entry) {
			if (entry.source().equals(this.source) && this.armed.compareAndSet(true, false)) {
				this.blocked.countDown();
				try {
					this.release.await(10, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
		}

	}

	/**
	 * A resource that needs {@code demo.service.url}, as a DataSource needs
	 * {@code spring.datasource.url}.
	 */
	static final class ServiceResource implements ReloadableResource {

		@Override
		public String name() {
			return "service";
		}

		@Override
		public String type() {
			return "demo";
		}

		@Override
		public @Nullable PreparedChange prepare(ReloadContext context) {
			if (!context.changedUnder("demo.service")) {
				return null;
			}
			String url = context.binder()
				.bind("demo.service.url", String.class)
				.orElseThrow(() -> new IllegalStateException("demo.service.url is required"));
			return new PreparedChange() {

				@Override
				public String description() {
					return "use " + url;
				}

				@Override
				public long generation() {
					return 1;
				}

				@Override
				public void commit() {
				}

				@Override
				public void rollback() {
				}

			};
		}

		@Override
		public ResourceDescriptor describe() {
			return new ResourceDescriptor("service", "demo", 1, "live", Map.of());
		}

	}

}

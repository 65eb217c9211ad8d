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

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import com.alibaba.nacos.api.NacosFactory;
import com.alibaba.nacos.api.PropertyKeyConst;
import com.alibaba.nacos.api.config.ConfigService;
import dev.hotreload.autoconfigure.DataSourceReloadAutoConfiguration;
import dev.hotreload.autoconfigure.HotReloadAutoConfiguration;
import dev.hotreload.autoconfigure.NacosSourceAutoConfiguration;
import dev.hotreload.engine.ReloadEngine;
import dev.hotreload.engine.ReloadListener;
import dev.hotreload.engine.SourceState;
import dev.hotreload.history.HistoryEntry;
import dev.hotreload.history.ReloadHistory;
import dev.hotreload.history.ReloadOutcome;
import dev.hotreload.resource.jdbc.ReloadableDataSource;
import dev.hotreload.source.ConfigParser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.util.StringUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests of the Nacos source against a real Nacos server, run when
 * {@code NACOS_SERVER_ADDR} is set ({@code NACOS_NAMESPACE}, {@code NACOS_USERNAME} and
 * {@code NACOS_PASSWORD} are used when set). Changes are published through Nacos's own
 * client API, on a data-id of a fresh name that is removed afterwards. The application is
 * started with nothing but the {@code hotreload.nacos.*} keys: its DataSource (the local
 * PostgreSQL database {@code test}) and its other beans are built from the data-id.
 *
 * @author hotreload authors
 */
@EnabledIfEnvironmentVariable(named = "NACOS_SERVER_ADDR", matches = ".+")
class NacosServerIntegrationTests {

	private static final String GROUP = NacosSettings.DEFAULT_GROUP;

	private static final Duration WAIT = Duration.ofSeconds(30);

	private static final String APPLICATION_NAME = "hotreload-nacos-it";

	private static final String PASSWORD = "nacos-it-secret";

	private static final String DATASOURCE = "spring.datasource.url=jdbc:postgresql://127.0.0.1:5432/test?ApplicationName="
			+ APPLICATION_NAME + "\nspring.datasource.username=postgres\nspring.datasource.password=" + PASSWORD + "\n"
			+ "spring.datasource.hikari.maximum-pool-size=2\nspring.datasource.hikari.minimum-idle=1\n";

	private final String dataId = "hotreload-it-" + UUID.randomUUID() + ".properties";

	private ConfigService publisher;

	@BeforeEach
	void createPublisher() throws Exception {
		Properties properties = new Properties();
		properties.setProperty(PropertyKeyConst.SERVER_ADDR, env("NACOS_SERVER_ADDR"));
		putIfSet(properties, PropertyKeyConst.NAMESPACE, "NACOS_NAMESPACE");
		putIfSet(properties, PropertyKeyConst.USERNAME, "NACOS_USERNAME");
		putIfSet(properties, PropertyKeyConst.PASSWORD, "NACOS_PASSWORD");
		this.publisher = NacosFactory.createConfigService(properties);
	}

	@AfterEach
	void removeDataId() throws Exception {
		this.publisher.removeConfig(this.dataId, GROUP);
		this.publisher.shutDown();
	}

	@Test
	void applicationFollowsChangePublishedThroughNacos() throws Exception {
		publish(DATASOURCE + "it.value=first\n");
		StringBuilder namespace = new StringBuilder();
		if (StringUtils.hasText(System.getenv("NACOS_NAMESPACE"))) {
			namespace.append("--hotreload.nacos.namespace=").append(env("NACOS_NAMESPACE"));
		}
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class)
			.web(WebApplicationType.NONE)
			.run(args(namespace.toString()))) {
			assertThat(context.getEnvironment().getProperty("it.value")).isEqualTo("first");
			assertThat(context.getBean(Greeting.class).text()).isEqualTo("first");
			assertServesDatabaseTest(context);
			ReloadEngine engine = context.getBean(ReloadEngine.class);
			SourceState state = engine.sources()
				.stream()
				.filter((source) -> source.name().equals("nacos:" + this.dataId))
				.findFirst()
				.orElseThrow();
			assertThat(state.status()).containsEntry("connected", true).containsEntry("snapshot", false);
			String content = DATASOURCE + "it.value=second\n";
			long published = System.nanoTime();
			this.publisher.publishConfig(this.dataId, GROUP, content);
			String digest = ConfigParser.sha256(content.getBytes(StandardCharsets.UTF_8));
			ReloadHistory history = context.getBean(ReloadHistory.class);
			HistoryEntry entry = await().atMost(WAIT)
				.until(() -> history.entries()
					.stream()
					.filter((candidate) -> candidate.outcome() == ReloadOutcome.APPLIED
							&& digest.equals(candidate.digest()))
					.findFirst()
					.orElse(null), Objects::nonNull);
			long latencyMs = TimeUnit.NANOSECONDS
				.toMillis(context.getBean(ReloadTimes.class).nanoTime(entry.id()) - published);
			System.out.println("Nacos publish -> APPLIED in " + latencyMs + " ms (reload " + entry.durationMs()
					+ " ms) for nacos:" + this.dataId);
			assertThat(latencyMs).isBetween(0L, WAIT.toMillis());
			assertThat(entry.trigger()).isEqualTo("nacos");
			assertThat(entry.source()).isEqualTo("nacos:" + this.dataId);
			assertThat(context.getEnvironment().getProperty("it.value")).isEqualTo("second");
			assertServesDatabaseTest(context);
		}
	}

	@Test
	void malformedPublishIsRejectedAndTheOldValueKeepsServing() throws Exception {
		publish(DATASOURCE + "it.value=first\n");
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class)
			.web(WebApplicationType.NONE)
			.run(args(namespaceArg()))) {
			ReloadEngine engine = context.getBean(ReloadEngine.class);
			String liveDigest = source(engine).digest();
			String malformed = DATASOURCE + "it.value=\\u00zz\n";
			this.publisher.publishConfig(this.dataId, GROUP, malformed);
			HistoryEntry rejected = awaitEntry(context, ReloadOutcome.REJECTED, malformed);
			assertThat(rejected.trigger()).isEqualTo("nacos");
			assertThat(rejected.source()).isEqualTo("nacos:" + this.dataId);
			assertThat(rejected.error()).contains("Malformed properties content in nacos:" + this.dataId)
				.contains("Malformed \\uxxxx encoding")
				.doesNotContain(PASSWORD);
			assertThat(context.getEnvironment().getProperty("it.value")).isEqualTo("first");
			assertThat(source(engine).digest()).isEqualTo(liveDigest);
			assertServesDatabaseTest(context);
			String fixed = DATASOURCE + "it.value=fixed\n";
			this.publisher.publishConfig(this.dataId, GROUP, fixed);
			HistoryEntry applied = awaitEntry(context, ReloadOutcome.APPLIED, fixed);
			assertThat(applied.trigger()).isEqualTo("nacos");
			assertThat(context.getEnvironment().getProperty("it.value")).isEqualTo("fixed");
		}
	}

	@Test
	void pushedChangeIsAppliedFromTheDeliveredContentWithoutReadingTheServerAgain() throws Exception {
		publish(DATASOURCE + "it.value=first\n");
		AtomicInteger reads = new AtomicInteger();
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class)
			.web(WebApplicationType.NONE)
			.addBootstrapRegistryInitializer((registry) -> registry.register(NacosConfigServiceFactory.class,
					(bootstrap) -> (properties) -> countingReads(NacosFactory.createConfigService(properties), reads)))
			.run(args(namespaceArg()))) {
			assertThat(context.getEnvironment().getProperty("it.value")).isEqualTo("first");
			int readsAtStart = reads.get();
			assertThat(readsAtStart).isPositive();
			String content = DATASOURCE + "it.value=pushed\n";
			this.publisher.publishConfig(this.dataId, GROUP, content);
			HistoryEntry entry = awaitEntry(context, ReloadOutcome.APPLIED, content);
			assertThat(entry.trigger()).isEqualTo("nacos");
			assertThat(context.getEnvironment().getProperty("it.value")).isEqualTo("pushed");
			assertThat(reads.get()).isEqualTo(readsAtStart);
		}
	}

	private HistoryEntry awaitEntry(ConfigurableApplicationContext context, ReloadOutcome outcome, String content) {
		String digest = ConfigParser.sha256(content.getBytes(StandardCharsets.UTF_8));
		ReloadHistory history = context.getBean(ReloadHistory.class);
		return await().atMost(WAIT)
			.until(() -> history.entries()
				.stream()
				.filter((candidate) -> candidate.source().equals("nacos:" + this.dataId)
						&& candidate.outcome() == outcome && digest.equals(candidate.digest()))
				.findFirst()
				.orElse(null), Objects::nonNull);
	}

	private SourceState source(ReloadEngine engine) {
		return engine.sources()
			.stream()
			.filter((source) -> source.name().equals("nacos:" + this.dataId))
			.findFirst()
			.orElseThrow();
	}

	private static void assertServesDatabaseTest(ConfigurableApplicationContext context) {
		DataSource dataSource = context.getBean(DataSource.class);
		assertThat(dataSource).isInstanceOf(ReloadableDataSource.class);
		JdbcTemplate jdbc = new JdbcTemplate(dataSource);
		assertThat(jdbc.queryForObject("select current_database()", String.class)).isEqualTo("test");
		assertThat(jdbc.queryForObject("select current_user", String.class)).isEqualTo("postgres");
		assertThat(jdbc.queryForObject("select current_setting('application_name')", String.class))
			.isEqualTo(APPLICATION_NAME);
	}

	private static ConfigService countingReads(ConfigService configService, AtomicInteger reads) {
		return (ConfigService) Proxy.newProxyInstance(NacosServerIntegrationTests.class.getClassLoader(),
				new Class<?>[] { ConfigService.class }, (proxy, method, arguments) -> {
					if (method.getName().startsWith("getConfig")) {
						reads.incrementAndGet();
					}
					try {
						return method.invoke(configService, arguments);
					}
					catch (InvocationTargetException ex) {
						throw ex.getCause();
					}
				});
	}

	private static String namespaceArg() {
		return StringUtils.hasText(System.getenv("NACOS_NAMESPACE"))
				? "--hotreload.nacos.namespace=" + env("NACOS_NAMESPACE") : "";
	}

	private String[] args(String namespace) {
		List<String> args = new ArrayList<>();
		args.add("--hotreload.nacos.server-addr=" + env("NACOS_SERVER_ADDR"));
		args.add("--hotreload.nacos.configs[0].data-id=" + this.dataId);
		if (StringUtils.hasText(System.getenv("NACOS_USERNAME"))) {
			args.add("--hotreload.nacos.username=" + env("NACOS_USERNAME"));
		}
		if (StringUtils.hasText(System.getenv("NACOS_PASSWORD"))) {
			args.add("--hotreload.nacos.password=" + env("NACOS_PASSWORD"));
		}
		if (!namespace.isEmpty()) {
			args.add(namespace);
		}
		return args.toArray(String[]::new);
	}

	private void publish(String content) throws Exception {
		assertThat(this.publisher.publishConfig(this.dataId, GROUP, content)).isTrue();
		await().atMost(WAIT).until(() -> content.equals(this.publisher.getConfig(this.dataId, GROUP, 3000)));
	}

	private static String env(String name) {
		return Objects.requireNonNull(System.getenv(name), name);
	}

	private static void putIfSet(Properties properties, String key, String name) {
		String value = System.getenv(name);
		if (StringUtils.hasText(value)) {
			properties.setProperty(key, value);
		}
	}

	record Greeting(String text) {

	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ HotReloadAutoConfiguration.class, NacosSourceAutoConfiguration.class,
			DataSourceReloadAutoConfiguration.class, DataSourceAutoConfiguration.class })
	static class App {

		@Bean
		Greeting greeting(@Value("${it.value}") String value) {
			return new Greeting(value);
		}

		@Bean
		ReloadTimes reloadTimes() {
			return new ReloadTimes();
		}

	}

	/**
	 * Records when each reload was reported, to measure the time from a publish to its
	 * history entry.
	 */
	static final class ReloadTimes implements ReloadListener {

		private final Map<Long, Long> nanoTimes = new ConcurrentHashMap<>();

		@Override
		public void reloaded(HistoryEntry entry) {
			this.nanoTimes.putIfAbsent(entry.id(), System.nanoTime());
		}

		long nanoTime(long id) {
			return Objects.requireNonNull(this.nanoTimes.get(id), () -> "no reload " + id + " was reported");
		}

	}

}

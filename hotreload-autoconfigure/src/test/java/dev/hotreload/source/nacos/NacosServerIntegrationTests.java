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

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.UUID;

import com.alibaba.nacos.api.NacosFactory;
import com.alibaba.nacos.api.PropertyKeyConst;
import com.alibaba.nacos.api.config.ConfigService;
import dev.hotreload.autoconfigure.HotReloadAutoConfiguration;
import dev.hotreload.autoconfigure.NacosSourceAutoConfiguration;
import dev.hotreload.engine.ReloadEngine;
import dev.hotreload.engine.SourceState;
import dev.hotreload.history.HistoryEntry;
import dev.hotreload.history.ReloadHistory;
import dev.hotreload.history.ReloadOutcome;
import dev.hotreload.source.ConfigParser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.StringUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests of the Nacos source against a real Nacos server, run when
 * {@code NACOS_SERVER_ADDR} is set ({@code NACOS_NAMESPACE}, {@code NACOS_USERNAME} and
 * {@code NACOS_PASSWORD} are used when set). Changes are published through Nacos's own
 * client API, on a data-id of a fresh name that is removed afterwards.
 *
 * @author hotreload authors
 */
@EnabledIfEnvironmentVariable(named = "NACOS_SERVER_ADDR", matches = ".+")
class NacosServerIntegrationTests {

	private static final String GROUP = NacosSettings.DEFAULT_GROUP;

	private static final Duration WAIT = Duration.ofSeconds(30);

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
		publish("it.value=first\n");
		StringBuilder namespace = new StringBuilder();
		if (StringUtils.hasText(System.getenv("NACOS_NAMESPACE"))) {
			namespace.append("--hotreload.nacos.namespace=").append(env("NACOS_NAMESPACE"));
		}
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class)
			.web(WebApplicationType.NONE)
			.run(args(namespace.toString()))) {
			assertThat(context.getEnvironment().getProperty("it.value")).isEqualTo("first");
			ReloadEngine engine = context.getBean(ReloadEngine.class);
			SourceState state = engine.sources()
				.stream()
				.filter((source) -> source.name().equals("nacos:" + this.dataId))
				.findFirst()
				.orElseThrow();
			assertThat(state.status()).containsEntry("connected", true).containsEntry("snapshot", false);
			String content = "it.value=second\n";
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
			assertThat(entry.trigger()).isEqualTo("nacos");
			assertThat(entry.source()).isEqualTo("nacos:" + this.dataId);
			assertThat(context.getEnvironment().getProperty("it.value")).isEqualTo("second");
		}
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

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ HotReloadAutoConfiguration.class, NacosSourceAutoConfiguration.class })
	static class App {

	}

}

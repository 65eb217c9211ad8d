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
import java.util.concurrent.atomic.AtomicInteger;

import dev.hotreload.autoconfigure.HotReloadAutoConfiguration;
import dev.hotreload.autoconfigure.NacosSourceAutoConfiguration;
import dev.hotreload.engine.ReloadEngine;
import dev.hotreload.engine.SourceState;
import dev.hotreload.testsupport.Environments;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * Tests of how the Nacos source loads its data-ids at startup.
 *
 * @author hotreload authors
 */
@ExtendWith(OutputCaptureExtension.class)
class NacosSourceStartupTests {

	private static final String GROUP = NacosSettings.DEFAULT_GROUP;

	private final InMemoryConfigService nacos = new InMemoryConfigService();

	@Test
	void failsStartupWhenRequiredDataIdIsMissingNamingDataIdGroupNamespaceAndServer() {
		assertThatIllegalStateException().isThrownBy(() -> run("missing.properties"))
			.withMessageContaining("data-id 'missing.properties'")
			.withMessageContaining("group DEFAULT_GROUP")
			.withMessageContaining("namespace dev")
			.withMessageContaining("server memory:8848")
			.withMessageContaining("does not exist");
		assertThat(this.nacos.isShutDown()).isTrue();
	}

	@Test
	void failsStartupWhenRequiredDataIdIsMalformedNamingDataIdGroupNamespaceAndServer() throws Exception {
		this.nacos.publishConfig("app.yaml", "ORDERS", "app:\n  name: [unclosed\n");
		assertThatIllegalStateException().isThrownBy(() -> run("app.yaml@ORDERS"))
			.withMessageContaining("data-id 'app.yaml'")
			.withMessageContaining("group ORDERS")
			.withMessageContaining("namespace dev")
			.withMessageContaining("server memory:8848")
			.withMessageContaining("Malformed yaml content");
		assertThat(this.nacos.isShutDown()).isTrue();
	}

	@Test
	void startsWithoutOptionalDataIdAndAppliesItOncePublished() throws Exception {
		try (ConfigurableApplicationContext context = run("?later.properties")) {
			assertThat(context.getEnvironment().containsProperty("later.value")).isFalse();
			this.nacos.publishConfig("later.properties", GROUP, "later.value=published\n");
			await().atMost(Duration.ofSeconds(10))
				.until(() -> "published".equals(context.getEnvironment().getProperty("later.value")));
		}
		assertThat(this.nacos.isShutDown()).isTrue();
	}

	@Test
	void failsStartupWhenServerIsUnreachableAndFailFastIsOn() throws Exception {
		this.nacos.publishConfig("app.properties", GROUP, "app.name=server\n");
		this.nacos.snapshot("app.properties", GROUP, "app.name=snapshot\n");
		this.nacos.down();
		assertThatIllegalStateException().isThrownBy(() -> run("app.properties"))
			.withMessageContaining("Cannot reach Nacos server memory:8848")
			.withMessageContaining("data-id 'app.properties'")
			.withMessageContaining("hotreload.nacos.fail-fast=false");
		assertThat(this.nacos.isShutDown()).isTrue();
	}

	@Test
	void startsFromLocalSnapshotWhenServerIsUnreachableAndFailFastIsOff(CapturedOutput output) throws Exception {
		this.nacos.publishConfig("app.properties", GROUP, "app.name=server\n");
		this.nacos.snapshot("app.properties", GROUP, "app.name=snapshot\n");
		this.nacos.down();
		try (ConfigurableApplicationContext context = run("app.properties", "hotreload.nacos.fail-fast=false")) {
			assertThat(context.getEnvironment().getProperty("app.name")).isEqualTo("snapshot");
			assertThat(output).contains("WARN")
				.contains("Nacos server memory:8848 is unreachable: started nacos:app.properties from nacos-client's"
						+ " local snapshot");
			assertThat(source(context, "nacos:app.properties").status()).containsEntry("connected", false)
				.containsEntry("snapshot", true);
			this.nacos.up();
			await().atMost(Duration.ofSeconds(10))
				.until(() -> "server".equals(context.getEnvironment().getProperty("app.name")));
			assertThat(source(context, "nacos:app.properties").status()).containsEntry("connected", true)
				.containsEntry("snapshot", false);
		}
	}

	@Test
	void failsStartupWhenServerIsUnreachableAndRequiredDataIdHasNoSnapshot() throws Exception {
		this.nacos.publishConfig("app.properties", GROUP, "app.name=server\n");
		this.nacos.down();
		assertThatIllegalStateException().isThrownBy(() -> run("app.properties", "hotreload.nacos.fail-fast=false"))
			.withMessageContaining("no local snapshot")
			.withMessageContaining("data-id 'app.properties'");
	}

	@Test
	void keysSetAsEnvironmentVariablesAloneTurnTheSourceOn() throws Exception {
		this.nacos.publishConfig("app.properties", GROUP, "app.name=server\n");
		StandardEnvironment environment = Environments.withSystemEnvironment(Map.of("HOTRELOAD_NACOS_SERVERADDR",
				"memory:8848", "HOTRELOAD_NACOS_CONFIGS_0_DATAID", "app.properties"));
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class)
			.web(WebApplicationType.NONE)
			.environment(environment)
			.addBootstrapRegistryInitializer((registry) -> registry.register(NacosConfigServiceFactory.class,
					(bootstrap) -> this.nacos.factory()))
			.run()) {
			assertThat(context.getEnvironment().getProperty("app.name")).isEqualTo("server");
			assertThat(context.getBean(NacosConnection.class).sources()).extracting(NacosConfigSource::name)
				.containsExactly("nacos:app.properties");
		}
	}

	@Test
	void sourceIsOffWithoutServerAddress() {
		AtomicInteger created = new AtomicInteger();
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class)
			.web(WebApplicationType.NONE)
			.addBootstrapRegistryInitializer(
					(registry) -> registry.register(NacosConfigServiceFactory.class, (bootstrap) -> (properties) -> {
						created.incrementAndGet();
						return this.nacos;
					}))
			.run("--hotreload.nacos.configs[0].data-id=app.properties")) {
			assertThat(context.getBeansOfType(NacosConnection.class)).isEmpty();
			assertThat(created).hasValue(0);
		}
	}

	private static SourceState source(ConfigurableApplicationContext context, String name) {
		return context.getBean(ReloadEngine.class)
			.sources()
			.stream()
			.filter((state) -> state.name().equals(name))
			.findFirst()
			.orElseThrow();
	}

	/**
	 * Run the application with data-ids written {@code [?]data-id[@group]}, {@code ?}
	 * marking an optional one.
	 */
	private ConfigurableApplicationContext run(String dataId, String... extra) {
		List<String> args = new ArrayList<>();
		args.add("--hotreload.nacos.server-addr=memory:8848");
		args.add("--hotreload.nacos.namespace=dev");
		args.add("--hotreload.nacos.health-check-interval=100ms");
		boolean optional = dataId.startsWith("?");
		String value = optional ? dataId.substring(1) : dataId;
		int at = value.indexOf('@');
		args.add("--hotreload.nacos.configs[0].data-id=" + ((at >= 0) ? value.substring(0, at) : value));
		if (at >= 0) {
			args.add("--hotreload.nacos.configs[0].group=" + value.substring(at + 1));
		}
		args.add("--hotreload.nacos.configs[0].optional=" + optional);
		for (String property : extra) {
			args.add("--" + property);
		}
		return new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
			.addBootstrapRegistryInitializer((registry) -> registry.register(NacosConfigServiceFactory.class,
					(bootstrap) -> this.nacos.factory()))
			.run(args.toArray(String[]::new));
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ HotReloadAutoConfiguration.class, NacosSourceAutoConfiguration.class })
	static class App {

	}

}

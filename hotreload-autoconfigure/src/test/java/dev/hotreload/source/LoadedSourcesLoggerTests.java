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

package dev.hotreload.source;

import java.nio.file.Files;
import java.nio.file.Path;

import dev.hotreload.engine.ReloadEngine;
import dev.hotreload.engine.SourceState;
import dev.hotreload.source.nacos.InMemoryConfigService;
import dev.hotreload.source.nacos.NacosConfigServiceFactory;
import dev.hotreload.source.nacos.NacosSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests of the INFO line each source writes at startup.
 *
 * @author hotreload authors
 */
@ExtendWith(OutputCaptureExtension.class)
class LoadedSourcesLoggerTests {

	@TempDir
	Path directory;

	@Test
	void logsOneLinePerSourceWithNameLocationKeyCountAndShortDigest(CapturedOutput output) throws Exception {
		Path file = this.directory.resolve("app.yaml");
		Files.writeString(file, "app:\n  name: orders\n  region: eu\ngreeting: hello\n");
		InMemoryConfigService nacos = new InMemoryConfigService();
		nacos.publishConfig("app.properties", NacosSettings.DEFAULT_GROUP, "db.url=jdbc:h2:mem:a\ndb.pool=4\n");
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class)
			.web(WebApplicationType.NONE)
			.addBootstrapRegistryInitializer(
					(registry) -> registry.register(NacosConfigServiceFactory.class, (bootstrap) -> nacos.factory()))
			.run("--hotreload.file.locations=" + file, "--hotreload.file.watch=false",
					"--hotreload.file.poll-interval=0", "--hotreload.nacos.server-addr=memory:8848",
					"--hotreload.nacos.configs[0].data-id=app.properties",
					"--hotreload.nacos.health-check-interval=0")) {
			SourceState fileSource = source(context, "file:" + file);
			SourceState nacosSource = source(context, "nacos:app.properties");
			String fileLine = "Loaded file:" + file + " (" + fileSource.location() + "): 3 keys, digest "
					+ ConfigParser.sha256(Files.readAllBytes(file)).substring(0, 8);
			String nacosLine = "Loaded nacos:app.properties (memory:8848/public/DEFAULT_GROUP/app.properties): 2 keys,"
					+ " digest " + nacosSource.digest().substring(0, 8);
			assertThat(output.getOut().lines().filter((line) -> line.contains(fileLine))).singleElement()
				.satisfies((line) -> assertThat(line).contains(" INFO "));
			assertThat(output.getOut().lines().filter((line) -> line.contains(nacosLine))).singleElement()
				.satisfies((line) -> assertThat(line).contains(" INFO "));
			assertThat(output.getOut().indexOf(fileLine)).isLessThan(output.getOut().indexOf("Started "));
		}
	}

	@Test
	void saysWhenAnOptionalSourceHadNoContent(CapturedOutput output) {
		Path missing = this.directory.resolve("missing.yaml");
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class)
			.web(WebApplicationType.NONE)
			.run("--hotreload.file.locations=optional:" + missing, "--hotreload.file.watch=false",
					"--hotreload.file.poll-interval=0")) {
			SourceState state = context.getBean(ReloadEngine.class).sources().get(0);
			assertThat(output.getOut())
				.contains("Loaded " + state.name() + " (" + state.location() + "): no content, no keys");
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

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration(excludeName = { "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
			"org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
			"org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration",
			"org.springframework.boot.data.redis.autoconfigure.DataRedisRepositoriesAutoConfiguration" })
	static class App {

	}

}

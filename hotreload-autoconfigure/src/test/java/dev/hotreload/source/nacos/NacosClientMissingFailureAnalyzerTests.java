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

import java.util.List;

import com.alibaba.nacos.api.config.ConfigService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.DefaultResourceLoader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests of the failure analysis shown when the Nacos source is configured and
 * nacos-client is missing.
 *
 * @author hotreload authors
 */
@ExtendWith(OutputCaptureExtension.class)
class NacosClientMissingFailureAnalyzerTests {

	@Test
	void startupFailsWithAnAnalysisThatSaysWhatToAdd(CapturedOutput output) {
		SpringApplication application = applicationWithoutNacosClient();
		assertThatExceptionOfType(NacosClientMissingException.class)
			.isThrownBy(() -> application.run("--hotreload.nacos.server-addr=127.0.0.1:8848",
					"--hotreload.nacos.configs[0].data-id=app.properties"))
			.satisfies((ex) -> assertThat(ex.getProperties()).containsExactly("hotreload.nacos.server-addr",
					"hotreload.nacos.configs"));
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("The Nacos source is configured (hotreload.nacos.server-addr, hotreload.nacos.configs)"
					+ " but nacos-client is not on the class path")
			.contains("Add com.alibaba.nacos:nacos-client to the application");
	}

	@Test
	void startsWithoutNacosClientWhenNacosIsNotConfigured() {
		try (ConfigurableApplicationContext context = applicationWithoutNacosClient().run()) {
			assertThat(context.isActive()).isTrue();
			assertThat(context.getBeansOfType(NacosConnection.class)).isEmpty();
		}
	}

	@Test
	void analysisNamesThePropertiesAndTheDependency() {
		FailureAnalysis analysis = new NacosClientMissingFailureAnalyzer().analyze(new IllegalStateException("wrapped",
				new NacosClientMissingException(List.of("hotreload.nacos.configs"))));
		assertThat(analysis).isNotNull();
		assertThat(analysis.getDescription()).isEqualTo("The Nacos source is configured (hotreload.nacos.configs)"
				+ " but nacos-client is not on the class path, so no data-id can be loaded from Nacos.");
		assertThat(analysis.getAction()).contains("com.alibaba.nacos:nacos-client")
			.contains("hotreload-spring-boot-starter brings it unless it is excluded")
			.contains("remove the hotreload.nacos.* properties");
	}

	private static SpringApplication applicationWithoutNacosClient() {
		SpringApplication application = new SpringApplication(App.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		application.setResourceLoader(new DefaultResourceLoader(new FilteredClassLoader(ConfigService.class)));
		return application;
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration(excludeName = { "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
			"org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
			"org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration",
			"org.springframework.boot.data.redis.autoconfigure.DataRedisRepositoriesAutoConfiguration" })
	static class App {

	}

}

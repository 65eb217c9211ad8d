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

package dev.hotreload.demo;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * A small orders service whose DataSource, Redis client and greeting follow
 * {@code config/demo.yaml} (or Nacos) live.
 *
 * @author hotreload authors
 */
@SpringBootApplication
@EnableConfigurationProperties(DemoProperties.class)
public class DemoApplication {

	private static final Log logger = LogFactory.getLog(DemoApplication.class);

	@Bean
	ApplicationRunner redisNotice(DemoProperties properties) {
		return (args) -> {
			if (!properties.isRedisEnabled()) {
				logger.info("Redis is off in this mode; run with the 'redis' profile to use it");
			}
		};
	}

	public static void main(String[] args) throws IOException {
		createDefaultConfig(Path.of("config", "demo.yaml"), "/demo-default.yaml");
		createDefaultConfig(Path.of("config", "demo-postgres.yaml"), "/demo-postgres-default.yaml");
		SpringApplication.run(DemoApplication.class, args);
	}

	/**
	 * Write a config file with sensible content on the first run, so that the demo has a
	 * file to edit.
	 */
	private static void createDefaultConfig(Path file, String template) throws IOException {
		if (Files.exists(file)) {
			return;
		}
		Files.createDirectories(file.toAbsolutePath().getParent());
		try (InputStream content = DemoApplication.class.getResourceAsStream(template)) {
			Files.copy(content, file);
		}
	}

}

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

package dev.hotreload.autoconfigure;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks the README's configuration reference against the configuration metadata, so that
 * every property is documented with its default.
 */
class ConfigurationReferenceTests {

	@Test
	void readmeDocumentsEveryPropertyWithItsDefault() throws Exception {
		String readme = Files.readString(Path.of("..", "README.md"));
		JsonNode metadata = JsonMapper.builder()
			.build()
			.readTree(Path.of("target", "classes", "META-INF", "spring-configuration-metadata.json").toFile());
		assertThat(metadata.get("properties").size()).isGreaterThan(10);
		for (JsonNode property : metadata.get("properties")) {
			String name = property.get("name").asString();
			JsonNode defaultValue = property.get("defaultValue");
			String expected = "| `" + name + "` | "
					+ ((defaultValue == null || defaultValue.isNull() || defaultValue.isArray()) ? ""
							: "`" + defaultValue.asString() + "`");
			assertThat(readme).as("README row for %s; regenerate with python3 docs/config-table.py --write", name)
				.contains(expected);
			assertThat(property.has("description")).as("description of %s", name).isTrue();
		}
	}

}

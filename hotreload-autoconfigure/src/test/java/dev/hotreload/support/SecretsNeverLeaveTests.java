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

package dev.hotreload.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.tck.TestObservationRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Plants a distinct secret in every way a parser or a driver can repeat one, applies or
 * rejects each change through the real application (HikariCP on H2 and a PostgreSQL
 * driver, Lettuce, the endpoint over HTTP, the history file, Micrometer meters and
 * observations), and asserts that none of them appears in the log, the endpoint's
 * answers, the history file, a meter tag or an observation's key values.
 */
@ExtendWith(OutputCaptureExtension.class)
class SecretsNeverLeaveTests {

	private static final String BASE = """
			spring:
			  datasource:
			    url: "jdbc:h2:mem:secrets_base;DB_CLOSE_DELAY=-1"
			    username: sa
			    password: "BasePw0001"
			    hikari:
			      connection-timeout: 1000
			  data:
			    redis:
			      host: 127.0.0.1
			      port: 6379
			app:
			  greeting: hello
			""";

	private static final HttpClient http = HttpClient.newHttpClient();

	private static final JsonMapper json = JsonMapper.builder().build();

	@TempDir
	Path directory;

	@Test
	void noPlantedSecretLeavesThroughAnyPath(CapturedOutput output) throws Exception {
		Path file = this.directory.resolve("app.yaml");
		Path historyFile = this.directory.resolve("history.jsonl");
		Files.writeString(file, BASE);
		List<String> answers = new ArrayList<>();
		Map<String, String> planted = new LinkedHashMap<>();
		try (ConfigurableApplicationContext context = new SpringApplication(TestApplication.class).run(
				"--server.port=0", "--management.endpoints.web.exposure.include=hotreload",
				"--management.endpoint.hotreload.show-values=always", "--hotreload.file.locations=" + file,
				"--hotreload.file.watch=false", "--hotreload.file.poll-interval=0",
				"--hotreload.history.file=" + historyFile, "--hotreload.datasource.validation-timeout=3s",
				"--hotreload.redis.validation-timeout=2s", "--spring.datasource.hikari.initialization-fail-timeout=0",
				"--management.tracing.sampling.probability=1.0")) {
			String port = context.getEnvironment().getProperty("local.server.port");

			// SnakeYAML quotes the offending line of malformed YAML
			planted.put("malformed yaml", "PlantedYaml111");
			JsonNode entry = reload(port, BASE + "  password: \"PlantedYaml111\n", file, answers);
			assertThat(entry.get("outcome").asString()).isEqualTo("REJECTED");
			assertThat(entry.get("error").asString()).contains("Malformed yaml content");

			// the PostgreSQL driver repeats a url's user:password
			planted.put("driver message", "PlantedPg222");
			entry = reload(port, BASE.replace("jdbc:h2:mem:secrets_base;DB_CLOSE_DELAY=-1",
					"jdbc:postgresql://postgres:PlantedPg222@127.0.0.1:5432/secrets_nowhere"), file, answers);
			assertThat(entry.get("outcome").asString()).isEqualTo("REJECTED");
			assertThat(entry.get("error").asString()).contains("jdbc resource 'dataSource'")
				.contains("The connection attempt failed")
				.contains("postgres:******@127.0.0.1");

			// Oracle's user/password@ form, in a message of HikariCP that quotes the url
			planted.put("oracle url", "PlantedOra333");
			entry = reload(port, BASE.replace("jdbc:h2:mem:secrets_base;DB_CLOSE_DELAY=-1",
					"jdbc:oracle:thin:scott/PlantedOra333@db.invalid:1521/orcl"), file, answers);
			assertThat(entry.get("outcome").asString()).isEqualTo("REJECTED");

			// Spring Boot's DataRedisUrlSyntaxException quotes the raw url
			planted.put("invalid redis url", "PlantedRedisUrl555");
			entry = reload(port, BASE.replace("      host: 127.0.0.1\n",
					"      url: \"redis://u:PlantedRedisUrl555@bad host:6379\"\n"), file, answers);
			assertThat(entry.get("outcome").asString()).isEqualTo("REJECTED");
			assertThat(entry.get("error").asString()).contains("spring.data.redis.url is not a valid URL");

			// Lettuce failing to connect to a url with a password
			planted.put("redis connect", "PlantedRedis999");
			entry = reload(port,
					BASE.replace("      host: 127.0.0.1\n", "      url: \"redis://u:PlantedRedis999@127.0.0.1:1\"\n"),
					file, answers);
			assertThat(entry.get("outcome").asString()).isEqualTo("REJECTED");

			// show-values=always still masks urls with user-info or password parameters
			planted.put("redis url value", "PlantedShown666");
			planted.put("password parameter value", "PlantedShown777");
			planted.put("oracle url value", "PlantedShown888");
			planted.put("password with @ and /", "Pl@nted/444x");
			entry = reload(port, BASE + """
					  cache-url: "redis://u:PlantedShown666@cache.invalid:6379"
					  reporting:
					    jdbc-url: "jdbc:postgresql://db.invalid/x?user=a&password=PlantedShown777"
					  legacy:
					    url: "jdbc:oracle:thin:scott/PlantedShown888@db.invalid:1521/x"
					  other:
					    url: "jdbc:postgresql://app:Pl@nted/444x@db.invalid:5432/x"
					""", file, answers);
			assertThat(entry.get("outcome").asString()).isEqualTo("APPLIED");
			assertThat(value(entry, "app.cache-url")).isEqualTo("redis://u:******@cache.invalid:6379");
			assertThat(value(entry, "app.reporting.jdbc-url"))
				.isEqualTo("jdbc:postgresql://db.invalid/x?user=a&password=******");
			assertThat(value(entry, "app.legacy.url")).isEqualTo("jdbc:oracle:thin:scott/******@db.invalid:1521/x");
			assertThat(value(entry, "app.other.url")).isEqualTo("jdbc:postgresql://app:******@db.invalid:5432/x");
			assertThat(context.getEnvironment().getProperty("app.cache-url")).contains("PlantedShown666");

			answers.add(get(port));
			String log = output.getAll();
			String history = Files.readString(historyFile);
			List<String> tags = new ArrayList<>();
			for (Meter meter : context.getBean(MeterRegistry.class).getMeters()) {
				tags.add(meter.getId().getName());
				for (Tag tag : meter.getId().getTags()) {
					tags.add(tag.getKey() + "=" + tag.getValue());
				}
			}
			List<String> observations = context.getBean(ObservedTexts.class).texts;
			assertThat(observations).anyMatch((text) -> text.contains("error="));
			assertThat(tags).anyMatch((tag) -> tag.equals("outcome=REJECTED"));
			assertThat(history.lines().count()).isGreaterThanOrEqualTo(6);
			planted.forEach((path, secret) -> {
				assertThat(log).as("log (%s)", path).doesNotContain(secret);
				assertThat(answers).as("endpoint (%s)", path).noneMatch((answer) -> answer.contains(secret));
				assertThat(history).as("history file (%s)", path).doesNotContain(secret);
				assertThat(tags).as("meter tags (%s)", path).noneMatch((tag) -> tag.contains(secret));
				assertThat(observations).as("observations (%s)", path)
					.noneMatch((observation) -> observation.contains(secret));
			});
			assertThat(log).doesNotContain("444x").doesNotContain("BasePw0001");
			assertThat(answers).noneMatch((answer) -> answer.contains("444x") || answer.contains("BasePw0001"));
			assertThat(history).doesNotContain("444x");
		}
	}

	private static JsonNode reload(String port, String content, Path file, List<String> answers) throws Exception {
		Files.writeString(file, content, StandardCharsets.UTF_8);
		HttpResponse<String> response = http.send(HttpRequest.newBuilder(endpoint(port))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{}", StandardCharsets.UTF_8))
			.build(), HttpResponse.BodyHandlers.ofString());
		JsonNode entry = json.readTree(response.body());
		// the status follows the outcome: 422 for a rejected change, 200 otherwise
		assertThat(response.statusCode()).isEqualTo("REJECTED".equals(entry.path("outcome").asText()) ? 422 : 200);
		answers.add(response.body());
		answers.add(get(port));
		return entry;
	}

	private static String get(String port) throws Exception {
		HttpResponse<String> response = http.send(HttpRequest.newBuilder(endpoint(port)).GET().build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		return response.body();
	}

	private static String value(JsonNode entry, String key) {
		for (JsonNode changed : entry.get("changedKeys")) {
			if (changed.get("key").asString().equals(key)) {
				return changed.get("value").asString();
			}
		}
		throw new AssertionError("No changed key " + key + " in " + entry);
	}

	private static URI endpoint(String port) {
		return URI.create("http://127.0.0.1:" + port + "/actuator/hotreload");
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class TestApplication {

		@Bean
		ObservedTexts observedTexts() {
			return new ObservedTexts();
		}

		@Bean
		TestObservationRegistry observationRegistry(ObservedTexts texts) {
			TestObservationRegistry registry = TestObservationRegistry.create();
			registry.observationConfig().observationHandler(texts);
			return registry;
		}

	}

	/**
	 * Everything an observation carries when it stops: names and key values.
	 */
	static final class ObservedTexts implements ObservationHandler<Observation.Context> {

		final List<String> texts = new CopyOnWriteArrayList<>();

		@Override
		public void onStop(Observation.Context context) {
			this.texts.add(context.getName() + " " + context.getContextualName() + " " + context.getAllKeyValues() + " "
					+ ((context.getError() != null) ? context.getError().getMessage() : ""));
		}

		@Override
		public boolean supportsContext(Observation.Context context) {
			return true;
		}

	}

}

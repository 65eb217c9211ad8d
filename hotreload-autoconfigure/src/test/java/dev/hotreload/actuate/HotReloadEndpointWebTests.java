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

package dev.hotreload.actuate;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Properties;

import dev.hotreload.engine.TestResource;
import dev.hotreload.source.ConfigParser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests of {@code /actuator/hotreload} over real HTTP.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HotReloadEndpointWebTests {

	@TempDir
	static Path directory;

	static Path file;

	static ConfigurableApplicationContext context;

	static final HttpClient http = HttpClient.newHttpClient();

	static final JsonMapper json = JsonMapper.builder().build();

	@BeforeAll
	static void start() throws IOException {
		file = directory.resolve("app.yaml");
		Files.writeString(file, "resource.url: db1\napp.password: s3cret\ngreeting: hello\n");
		context = new SpringApplication(TestApplication.class).run("--server.port=0",
				"--management.endpoints.web.exposure.include=hotreload", "--hotreload.file.locations=" + file,
				"--hotreload.file.watch=false", "--hotreload.file.poll-interval=0");
	}

	@AfterAll
	static void stop() {
		context.close();
	}

	@Test
	@Order(1)
	void getShowsBuildSourcesResourcesAndHistory() throws Exception {
		JsonNode body = get();
		assertThat(body.at("/build/version").asString()).isEqualTo("2.4.1");
		assertThat(body.at("/build/artifact").asString()).isEqualTo("orders");
		assertThat(body.at("/build/springBoot").asString()).startsWith("4.0");
		assertThat(body.at("/build/java").asString()).isEqualTo(System.getProperty("java.version"));
		assertThat(body.at("/build/hotreload").asString()).isNotBlank().isNotEqualTo("unknown");
		JsonNode source = body.at("/sources/0");
		assertThat(source.get("name").asString()).isEqualTo("file:" + file);
		assertThat(source.get("format").asString()).isEqualTo("YAML");
		assertThat(source.get("digest").asString()).isEqualTo(ConfigParser.sha256(Files.readAllBytes(file)));
		assertThat(source.get("lastModified").isNull()).isFalse();
		assertThat(body.at("/resources/0/name").asString()).isEqualTo("resource");
		assertThat(body.at("/resources/0/generation").asLong()).isEqualTo(1);
		assertThat(body.get("history").isArray()).isTrue();
	}

	@Test
	@Order(2)
	void postAppliesTheChangeAndAnswersWithASanitizedHistoryEntry() throws Exception {
		Files.writeString(file, "resource.url: db2\napp.password: n3w\ngreeting: bonjour\n");
		HttpResponse<String> response = post("{}");
		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode entry = json.readTree(response.body());
		assertThat(entry.get("outcome").asString()).isEqualTo("APPLIED");
		assertThat(entry.get("trigger").asString()).isEqualTo("manual");
		assertThat(entry.get("digest").asString()).isEqualTo(ConfigParser.sha256(Files.readAllBytes(file)));
		assertThat(entry.get("changedKeys")).hasSize(3);
		for (JsonNode key : entry.get("changedKeys")) {
			assertThat(key.get("value").asString()).isEqualTo("******");
			assertThat(key.get("previousValue").asString()).isEqualTo("******");
		}
		assertThat(entry.at("/resources/0/generation").asLong()).isEqualTo(2);
		assertThat(response.body()).doesNotContain("n3w").doesNotContain("s3cret");
		assertThat(context.getEnvironment().getProperty("greeting")).isEqualTo("bonjour");
		JsonNode body = get();
		assertThat(body.at("/history/0/id").asLong()).isEqualTo(entry.get("id").asLong());
		assertThat(body.at("/resources/0/generation").asLong()).isEqualTo(2);
		assertThat(body.toString()).doesNotContain("n3w");
	}

	@Test
	@Order(3)
	void postWithDryRunValidatesWithoutApplying() throws Exception {
		Files.writeString(file, "resource.url: db3\napp.password: n3w\ngreeting: hola\n");
		JsonNode entry = json.readTree(post("{\"dryRun\": true}").body());
		assertThat(entry.get("outcome").asString()).isEqualTo("VALIDATED");
		assertThat(entry.get("dryRun").asBoolean()).isTrue();
		assertThat(context.getEnvironment().getProperty("greeting")).isEqualTo("bonjour");
		assertThat(context.getBean(TestResource.class).describe().generation()).isEqualTo(2);
	}

	@Test
	@Order(4)
	void postWithAnExpectedDigestThatDoesNotMatchIsRejected() throws Exception {
		JsonNode entry = json.readTree(post("{\"expectedDigest\": \"abc123\"}").body());
		assertThat(entry.get("outcome").asString()).isEqualTo("REJECTED");
		assertThat(entry.get("error").asString()).contains("not the expected abc123");
		assertThat(context.getEnvironment().getProperty("greeting")).isEqualTo("bonjour");
		String digest = ConfigParser.sha256(Files.readAllBytes(file));
		JsonNode source = get().at("/sources/0");
		assertThat(source.at("/current/digest").asString()).isEqualTo(digest)
			.isNotEqualTo(source.get("digest").asString());
		assertThat(source.at("/current/exists").asBoolean()).isTrue();
		assertThat(source.at("/lastRejection/outcome").asString()).isEqualTo("REJECTED");
		assertThat(source.at("/lastRejection/reason").asString()).contains("not the expected abc123");
		JsonNode applied = json.readTree(post("{\"expectedDigest\": \"" + digest + "\"}").body());
		assertThat(applied.get("outcome").asString()).isEqualTo("APPLIED");
		assertThat(context.getEnvironment().getProperty("greeting")).isEqualTo("hola");
		source = get().at("/sources/0");
		assertThat(source.at("/current/digest").asString()).isEqualTo(source.get("digest").asString());
		assertThat(source.path("lastRejection").isMissingNode() || source.path("lastRejection").isNull()).isTrue();
	}

	@Test
	@Order(5)
	void postNamingAnUnknownSourceIsRejected() throws Exception {
		JsonNode entry = json.readTree(post("{\"source\": \"file:nope.yaml\"}").body());
		assertThat(entry.get("outcome").asString()).isEqualTo("REJECTED");
		assertThat(entry.get("error").asString()).contains("Unknown source 'file:nope.yaml'");
	}

	@Test
	@Order(6)
	void showsValuesWhenAllowedButNeverCredentials() throws Exception {
		try (ConfigurableApplicationContext shown = new SpringApplication(TestApplication.class).run("--server.port=0",
				"--management.endpoints.web.exposure.include=hotreload", "--hotreload.file.locations=" + file,
				"--hotreload.file.watch=false", "--hotreload.file.poll-interval=0",
				"--management.endpoint.hotreload.show-values=always")) {
			Files.writeString(file, "resource.url: db4\napp.password: rotated\ngreeting: hallo\n");
			String port = shown.getEnvironment().getProperty("local.server.port");
			HttpResponse<String> response = http.send(HttpRequest.newBuilder(endpoint(port))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString("{}"))
				.build(), HttpResponse.BodyHandlers.ofString());
			JsonNode entry = json.readTree(response.body());
			assertThat(entry.get("outcome").asString()).isEqualTo("APPLIED");
			assertThat(valueOf(entry, "greeting")).isEqualTo("hallo");
			assertThat(valueOf(entry, "resource.url")).isEqualTo("db4");
			assertThat(valueOf(entry, "app.password")).isEqualTo("******");
			assertThat(response.body()).doesNotContain("rotated");
		}
	}

	@Test
	@Order(7)
	void readOnlyAccessRefusesPost() throws Exception {
		try (ConfigurableApplicationContext readOnly = new SpringApplication(TestApplication.class).run(
				"--server.port=0", "--management.endpoints.web.exposure.include=hotreload",
				"--hotreload.file.locations=" + file, "--hotreload.file.watch=false",
				"--hotreload.file.poll-interval=0", "--management.endpoint.hotreload.access=read-only")) {
			String port = readOnly.getEnvironment().getProperty("local.server.port");
			HttpResponse<String> post = http.send(HttpRequest.newBuilder(endpoint(port))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString("{}"))
				.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(post.statusCode()).isEqualTo(405);
			HttpResponse<String> get = http.send(HttpRequest.newBuilder(endpoint(port)).GET().build(),
					HttpResponse.BodyHandlers.ofString());
			assertThat(get.statusCode()).isEqualTo(200);
			assertThat(readOnly.getBean(dev.hotreload.history.ReloadHistory.class).entries()).isEmpty();
		}
	}

	private static String valueOf(JsonNode entry, String key) {
		for (JsonNode changed : entry.get("changedKeys")) {
			if (changed.get("key").asString().equals(key)) {
				return changed.get("value").asString();
			}
		}
		throw new AssertionError("No changed key " + key + " in " + entry);
	}

	private static JsonNode get() throws Exception {
		HttpResponse<String> response = http.send(HttpRequest.newBuilder(endpoint(port())).GET().build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		return json.readTree(response.body());
	}

	private static HttpResponse<String> post(String body) throws Exception {
		return http.send(HttpRequest.newBuilder(endpoint(port()))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static String port() {
		return context.getEnvironment().getProperty("local.server.port");
	}

	private static URI endpoint(String port) {
		return URI.create("http://127.0.0.1:" + port + "/actuator/hotreload");
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration(excludeName = { "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
			"org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
			"org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration",
			"org.springframework.boot.data.redis.autoconfigure.DataRedisRepositoriesAutoConfiguration" })
	static class TestApplication {

		@Bean
		TestResource resource() {
			return new TestResource("resource", "resource.url", "db1");
		}

		@Bean
		BuildProperties buildProperties() {
			Properties properties = new Properties();
			properties.setProperty("group", "com.example");
			properties.setProperty("artifact", "orders");
			properties.setProperty("version", "2.4.1");
			properties.setProperty("time", Instant.parse("2026-01-01T00:00:00Z").toString());
			return new BuildProperties(properties);
		}

	}

}

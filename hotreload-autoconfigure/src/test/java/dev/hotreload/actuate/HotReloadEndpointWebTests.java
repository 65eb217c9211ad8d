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
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

import dev.hotreload.engine.TestResource;
import dev.hotreload.history.ReloadHistory;
import dev.hotreload.source.ConfigParser;
import org.awaitility.Awaitility;
import org.jspecify.annotations.Nullable;
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
			HttpResponse<String> barePost = http.send(
					HttpRequest.newBuilder(endpoint(port)).POST(HttpRequest.BodyPublishers.noBody()).build(),
					HttpResponse.BodyHandlers.ofString());
			assertThat(barePost.statusCode()).isEqualTo(405);
			HttpResponse<String> queryPost = http
				.send(HttpRequest.newBuilder(URI.create(endpoint(port) + "?dryRun=true"))
					.POST(HttpRequest.BodyPublishers.noBody())
					.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(queryPost.statusCode()).isEqualTo(405);
			HttpResponse<String> get = http.send(HttpRequest.newBuilder(endpoint(port)).GET().build(),
					HttpResponse.BodyHandlers.ofString());
			assertThat(get.statusCode()).isEqualTo(200);
			assertThat(readOnly.getBean(dev.hotreload.history.ReloadHistory.class).entries()).isEmpty();
		}
	}

	@Test
	@Order(8)
	void barePostWithoutBodyOrContentTypeReloadsEverySource() throws Exception {
		Files.writeString(file, "resource.url: db5\napp.password: n3w\ngreeting: ciao\n");
		HttpResponse<String> response = send("POST", "", null, null);
		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode entry = json.readTree(response.body());
		assertThat(entry.get("outcome").asString()).isEqualTo("APPLIED");
		assertThat(entry.get("source").asString()).isEqualTo("file:" + file);
		assertThat(context.getEnvironment().getProperty("greeting")).isEqualTo("ciao");
		HttpResponse<String> again = send("POST", "", null, null);
		assertThat(again.statusCode()).isEqualTo(200);
		assertThat(json.readTree(again.body()).get("outcome").asString()).isEqualTo("NO_CHANGE");
	}

	@Test
	@Order(9)
	void postOfAJsonBodyWithCurlsFormContentTypeIsReadAsJson() throws Exception {
		Files.writeString(file, "resource.url: db5\napp.password: n3w\ngreeting: salut\n");
		HttpResponse<String> dryRun = send("POST", "", "application/x-www-form-urlencoded", "{\"dryRun\": true}");
		assertThat(dryRun.statusCode()).isEqualTo(200);
		assertThat(json.readTree(dryRun.body()).get("outcome").asString()).isEqualTo("VALIDATED");
		assertThat(context.getEnvironment().getProperty("greeting")).isEqualTo("ciao");
		HttpResponse<String> response = send("POST", "", "application/x-www-form-urlencoded", "{}");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(json.readTree(response.body()).get("outcome").asString()).isEqualTo("APPLIED");
		assertThat(context.getEnvironment().getProperty("greeting")).isEqualTo("salut");
	}

	@Test
	@Order(10)
	void queryParametersWorkWithoutAContentType() throws Exception {
		Files.writeString(file, "resource.url: db6\napp.password: n3w\ngreeting: hej\n");
		HttpResponse<String> dryRun = send("POST", "?dryRun=true", null, null);
		assertThat(dryRun.statusCode()).isEqualTo(200);
		JsonNode validated = json.readTree(dryRun.body());
		assertThat(validated.get("outcome").asString()).isEqualTo("VALIDATED");
		assertThat(validated.get("dryRun").asBoolean()).isTrue();
		assertThat(context.getEnvironment().getProperty("greeting")).isEqualTo("salut");
		assertThat(context.getBean(TestResource.class).live()).isEqualTo("db5");
		HttpResponse<String> wrongDigest = send("POST", "?expectedDigest=abc123", null, null);
		assertThat(wrongDigest.statusCode()).isEqualTo(422);
		assertThat(json.readTree(wrongDigest.body()).get("error").asString()).contains("not the expected abc123");
		assertThat(context.getEnvironment().getProperty("greeting")).isEqualTo("salut");
		String digest = ConfigParser.sha256(Files.readAllBytes(file));
		String source = URLEncoder.encode("file:" + file, StandardCharsets.UTF_8);
		HttpResponse<String> applied = send("POST", "?source=" + source + "&expectedDigest=" + digest, null, null);
		assertThat(applied.statusCode()).isEqualTo(200);
		JsonNode entry = json.readTree(applied.body());
		assertThat(entry.get("outcome").asString()).isEqualTo("APPLIED");
		assertThat(entry.get("source").asString()).isEqualTo("file:" + file);
		assertThat(entry.get("digest").asString()).isEqualTo(digest);
		assertThat(context.getEnvironment().getProperty("greeting")).isEqualTo("hej");
	}

	@Test
	@Order(11)
	void formFieldsWorkAsParameters() throws Exception {
		Files.writeString(file, "resource.url: db7\napp.password: n3w\ngreeting: moi\n");
		String source = URLEncoder.encode("file:" + file, StandardCharsets.UTF_8);
		HttpResponse<String> response = send("POST", "", "application/x-www-form-urlencoded",
				"source=" + source + "&dryRun=true");
		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode entry = json.readTree(response.body());
		assertThat(entry.get("outcome").asString()).isEqualTo("VALIDATED");
		assertThat(entry.get("source").asString()).isEqualTo("file:" + file);
		assertThat(context.getEnvironment().getProperty("greeting")).isEqualTo("hej");
	}

	@Test
	@Order(12)
	void rejectedChangeAnswers422WithTheEntry() throws Exception {
		context.getBean(TestResource.class).failPrepareOn("db-broken");
		Files.writeString(file, "resource.url: db-broken\napp.password: n3w\ngreeting: hej\n");
		HttpResponse<String> response = send("POST", "", null, null);
		assertThat(response.statusCode()).isEqualTo(422);
		JsonNode entry = json.readTree(response.body());
		assertThat(entry.get("outcome").asString()).isEqualTo("REJECTED");
		assertThat(entry.get("error").asString()).contains("cannot connect to db-broken");
		assertThat(context.getBean(TestResource.class).live()).isEqualTo("db6");
	}

	@Test
	@Order(13)
	void versionMismatchAnswers409WithTheEntry() throws Exception {
		Files.writeString(file,
				"hotreload.require.version: '[9.0,10.0)'\nresource.url: db8\napp.password: n3w\ngreeting: hej\n");
		HttpResponse<String> response = send("POST", "", null, null);
		assertThat(response.statusCode()).isEqualTo(409);
		JsonNode entry = json.readTree(response.body());
		assertThat(entry.get("outcome").asString()).isEqualTo("VERSION_MISMATCH");
		assertThat(entry.get("error").asString()).contains("but this instance runs 2.4.1");
		assertThat(context.getBean(TestResource.class).live()).isEqualTo("db6");
	}

	@Test
	@Order(14)
	void unknownSourceAnswers404WithTheEntry() throws Exception {
		HttpResponse<String> response = send("POST", "?source=file:nope.yaml", null, null);
		assertThat(response.statusCode()).isEqualTo(404);
		JsonNode entry = json.readTree(response.body());
		assertThat(entry.get("outcome").asString()).isEqualTo("REJECTED");
		assertThat(entry.get("error").asString()).contains("Unknown source 'file:nope.yaml'");
		HttpResponse<String> json = post("{\"source\": \"file:nope.yaml\"}");
		assertThat(json.statusCode()).isEqualTo(404);
	}

	@Test
	@Order(15)
	void selectorPathsReadPartsOfTheStatus() throws Exception {
		Files.writeString(file, "resource.url: db9\napp.password: n3w\ngreeting: hej\n");
		JsonNode applied = json.readTree(send("POST", "", null, null).body());
		assertThat(applied.get("outcome").asString()).isEqualTo("APPLIED");
		long id = applied.get("id").asLong();
		HttpResponse<String> sources = send("GET", "/sources", null, null);
		assertThat(sources.statusCode()).isEqualTo(200);
		JsonNode sourcesBody = json.readTree(sources.body());
		assertThat(sourcesBody.at("/sources/0/name").asString()).isEqualTo("file:" + file);
		assertThat(sourcesBody.at("/sources/0/digest").asString())
			.isEqualTo(ConfigParser.sha256(Files.readAllBytes(file)));
		assertThat(sourcesBody.has("history")).isFalse();
		HttpResponse<String> resources = send("GET", "/resources", null, null);
		assertThat(resources.statusCode()).isEqualTo(200);
		JsonNode resourcesBody = json.readTree(resources.body());
		assertThat(resourcesBody.at("/resources/0/name").asString()).isEqualTo("resource");
		assertThat(resourcesBody.at("/resources/0/details/value").asString()).isEqualTo("db9");
		assertThat(resourcesBody.has("history")).isFalse();
		HttpResponse<String> history = send("GET", "/history", null, null);
		assertThat(history.statusCode()).isEqualTo(200);
		assertThat(json.readTree(history.body()).at("/history/0/id").asLong()).isEqualTo(id);
		HttpResponse<String> one = send("GET", "/history/" + id, null, null);
		assertThat(one.statusCode()).isEqualTo(200);
		JsonNode entry = json.readTree(one.body());
		assertThat(entry.get("id").asLong()).isEqualTo(id);
		assertThat(entry.get("outcome").asString()).isEqualTo("APPLIED");
		for (JsonNode key : entry.get("changedKeys")) {
			assertThat(key.get("value").asString()).isEqualTo("******");
		}
		assertThat(send("GET", "/history/" + (id + 1000), null, null).statusCode()).isEqualTo(404);
		assertThat(send("GET", "/nothing", null, null).statusCode()).isEqualTo(404);
		assertThat(send("GET", "/sources/" + id, null, null).statusCode()).isEqualTo(404);
	}

	@Test
	@Order(16)
	void reloadStillRunningAtTheRequestTimeoutAnswers202WithItsId() throws Exception {
		Files.writeString(file, "resource.url: slow1\ngreeting: hej\n");
		try (ConfigurableApplicationContext slow = new SpringApplication(TestApplication.class).run("--server.port=0",
				"--management.endpoints.web.exposure.include=hotreload", "--hotreload.file.locations=" + file,
				"--hotreload.file.watch=false", "--hotreload.file.poll-interval=0",
				"--hotreload.request-timeout=300ms")) {
			String port = slow.getEnvironment().getProperty("local.server.port");
			TestResource resource = slow.getBean(TestResource.class);
			CountDownLatch release = new CountDownLatch(1);
			resource.blockPrepare(release);
			Files.writeString(file, "resource.url: slow2\ngreeting: hej\n");
			HttpResponse<String> response = send(port, "POST", "", null, null);
			assertThat(response.statusCode()).isEqualTo(202);
			JsonNode running = json.readTree(response.body());
			long id = running.get("id").asLong();
			assertThat(running.get("state").asString()).isEqualTo("RUNNING");
			assertThat(running.get("message").asString()).contains("history/" + id);
			HttpResponse<String> stillRunning = send(port, "GET", "/history/" + id, null, null);
			assertThat(stillRunning.statusCode()).isEqualTo(202);
			assertThat(json.readTree(stillRunning.body()).get("id").asLong()).isEqualTo(id);
			release.countDown();
			Awaitility.await()
				.atMost(Duration.ofSeconds(10))
				.until(() -> send(port, "GET", "/history/" + id, null, null).statusCode() == 200);
			JsonNode entry = json.readTree(send(port, "GET", "/history/" + id, null, null).body());
			assertThat(entry.get("outcome").asString()).isEqualTo("APPLIED");
			assertThat(resource.live()).isEqualTo("slow2");
		}
	}

	@Test
	@Order(17)
	void rolledBackSwapAnswers409WithTheEntry() throws Exception {
		Files.writeString(file, "resource.url: swap1\ngreeting: hej\n");
		try (ConfigurableApplicationContext failing = new SpringApplication(TestApplication.class).run(
				"--server.port=0", "--management.endpoints.web.exposure.include=hotreload",
				"--hotreload.file.locations=" + file, "--hotreload.file.watch=false",
				"--hotreload.file.poll-interval=0")) {
			String port = failing.getEnvironment().getProperty("local.server.port");
			TestResource resource = failing.getBean(TestResource.class);
			String before = resource.live();
			resource.failCommit();
			Files.writeString(file, "resource.url: swap2\ngreeting: hej\n");
			HttpResponse<String> response = send(port, "POST", "", null, null);
			assertThat(response.statusCode()).isEqualTo(409);
			JsonNode entry = json.readTree(response.body());
			assertThat(entry.get("outcome").asString()).isEqualTo("ROLLED_BACK");
			assertThat(entry.get("error").asString()).contains("swap failed");
			assertThat(resource.live()).isEqualTo(before);
			assertThat(failing.getEnvironment().getProperty("resource.url")).isEqualTo("swap1");
		}
	}

	@Test
	@Order(18)
	void barePostWorksOnASeparateManagementPort() throws Exception {
		Files.writeString(file, "resource.url: mgmt1\ngreeting: hej\n");
		try (ConfigurableApplicationContext separate = new SpringApplication(TestApplication.class).run(
				"--server.port=0", "--management.server.port=0",
				"--management.endpoints.web.exposure.include=hotreload", "--hotreload.file.locations=" + file,
				"--hotreload.file.watch=false", "--hotreload.file.poll-interval=0")) {
			String port = separate.getEnvironment().getProperty("local.management.port");
			assertThat(port).isNotEqualTo(separate.getEnvironment().getProperty("local.server.port"));
			Files.writeString(file, "resource.url: mgmt2\ngreeting: hej\n");
			HttpResponse<String> response = send(port, "POST", "?dryRun=true", null, null);
			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(json.readTree(response.body()).get("outcome").asString()).isEqualTo("VALIDATED");
			HttpResponse<String> applied = send(port, "POST", "", null, null);
			assertThat(applied.statusCode()).isEqualTo(200);
			assertThat(json.readTree(applied.body()).get("outcome").asString()).isEqualTo("APPLIED");
			assertThat(separate.getBean(TestResource.class).live()).isEqualTo("mgmt2");
		}
	}

	@Test
	@Order(19)
	void oversizedFormBodyIsRefusedWithoutReloading() throws Exception {
		int before = context.getBean(ReloadHistory.class).entries().size();
		HttpResponse<String> response = send("POST", "", "application/x-www-form-urlencoded",
				"source=" + "x".repeat(20_000));
		assertThat(response.statusCode()).isEqualTo(413);
		assertThat(context.getBean(ReloadHistory.class).entries()).hasSize(before);
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

	private static HttpResponse<String> send(String method, String path, @Nullable String contentType,
			@Nullable String body) throws Exception {
		return send(port(), method, path, contentType, body);
	}

	private static HttpResponse<String> send(String port, String method, String path, @Nullable String contentType,
			@Nullable String body) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(endpoint(port) + path));
		if (contentType != null) {
			request.header("Content-Type", contentType);
		}
		request.method(method, (body != null) ? HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)
				: HttpRequest.BodyPublishers.noBody());
		return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
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

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

package dev.hotreload.engine;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A 20,000-key, 5 MB file applied 20 times: the log line, the history file and the
 * endpoint's answer stay bounded.
 */
@ExtendWith(OutputCaptureExtension.class)
class BigConfigTests {

	private static final int KEYS = 20_000;

	private static final int RELOADS = 20;

	private static final int HISTORY_SIZE = 5;

	private static final HttpClient http = HttpClient.newHttpClient();

	private static final JsonMapper json = JsonMapper.builder().build();

	@TempDir
	Path directory;

	@Test
	void aTwentyThousandKeyFileAppliedTwentyTimesKeepsLogHistoryAndEndpointBounded(CapturedOutput output)
			throws Exception {
		Path file = this.directory.resolve("big.properties");
		Path historyFile = this.directory.resolve("history.jsonl");
		Files.writeString(file, content(0));
		assertThat(Files.size(file)).isGreaterThan(5_000_000);
		try (ConfigurableApplicationContext context = new SpringApplication(TestApplication.class).run(
				"--server.port=0", "--management.endpoints.web.exposure.include=hotreload",
				"--hotreload.file.locations=" + file, "--hotreload.file.watch=false",
				"--hotreload.file.poll-interval=0", "--hotreload.history.file=" + historyFile,
				"--hotreload.history.size=" + HISTORY_SIZE)) {
			String port = context.getEnvironment().getProperty("local.server.port");
			long longestAnswer = 0;
			long largestHistoryFile = 0;
			for (int i = 1; i <= RELOADS; i++) {
				Files.writeString(file, content(i));
				HttpResponse<String> response = post(port);
				assertThat(response.statusCode()).isEqualTo(200);
				JsonNode entry = json.readTree(response.body());
				assertThat(entry.get("outcome").asString()).isEqualTo("APPLIED");
				assertThat(entry.get("changedKeyCount").asInt()).isEqualTo(KEYS);
				assertThat(entry.get("changedKeys")).hasSize(100);
				longestAnswer = Math.max(longestAnswer, response.body().length());
				largestHistoryFile = Math.max(largestHistoryFile, Files.size(historyFile));
			}
			assertThat(context.getEnvironment().getProperty("app.big.key19999")).startsWith("value-" + RELOADS + "-");
			String answer = get(port);
			longestAnswer = Math.max(longestAnswer, answer.length());
			JsonNode body = json.readTree(answer);
			assertThat(body.get("history")).hasSize(HISTORY_SIZE);
			assertThat(body.at("/history/0/changedKeyCount").asInt()).isEqualTo(KEYS);
			List<String> reloadLines = output.getAll()
				.lines()
				.filter((line) -> line.contains("ReloadEngine") && line.contains(" APPLIED "))
				.toList();
			assertThat(reloadLines).hasSize(RELOADS);
			int longestLine = reloadLines.stream().mapToInt(String::length).max().orElseThrow();
			System.out.println("longest reload log line " + longestLine + " chars, largest history file "
					+ largestHistoryFile + " bytes, longest endpoint answer " + longestAnswer + " chars");
			assertThat(reloadLines.get(0)).contains(KEYS + " keys changed [").contains("and " + (KEYS - 5) + " more]");
			assertThat(longestLine).isLessThan(1_000);
			assertThat(Files.readAllLines(historyFile)).hasSizeBetween(HISTORY_SIZE, 2 * HISTORY_SIZE);
			assertThat(largestHistoryFile).isLessThan(2 * HISTORY_SIZE * 20_000);
			assertThat(longestAnswer).isLessThan(250_000);
		}
	}

	private static String content(int generation) {
		StringBuilder content = new StringBuilder(6_000_000);
		String padding = "x".repeat(230);
		for (int i = 0; i < KEYS; i++) {
			content.append("app.big.key")
				.append(String.format("%05d", i))
				.append("=value-")
				.append(generation)
				.append('-')
				.append(padding)
				.append('\n');
		}
		return content.toString();
	}

	private static HttpResponse<String> post(String port) throws Exception {
		return http.send(HttpRequest.newBuilder(endpoint(port))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{}", StandardCharsets.UTF_8))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static String get(String port) throws Exception {
		HttpResponse<String> response = http.send(HttpRequest.newBuilder(endpoint(port)).GET().build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		return response.body();
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

	}

}

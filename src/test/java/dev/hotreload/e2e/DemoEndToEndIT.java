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

package dev.hotreload.e2e;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Drives the packaged demo service as a user would: through HTTP and its config file,
 * against real PostgreSQL and Redis.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DemoEndToEndIT {

	static final String OTHER_DATABASE = "hotreload_e2e_b";

	@TempDir
	static Path directory;

	static Path config;

	static RedisServer otherRedis;

	static DemoProcess demo;

	static Http http;

	@BeforeAll
	static void start() throws Exception {
		createDatabase(OTHER_DATABASE);
		otherRedis = RedisServer.start(directory);
		config = directory.resolve("demo.yaml");
		writeConfig("test", 6379, "hello", "");
		demo = new DemoProcess(directory, "--spring.profiles.active=redis", "--hotreload.file.locations=" + config,
				"--hotreload.history.file=" + directory.resolve("history.jsonl"))
			.start();
		http = new Http(demo.baseUrl());
	}

	@AfterAll
	static void stop() throws Exception {
		if (demo != null) {
			demo.close();
		}
		if (otherRedis != null) {
			otherRedis.close();
		}
	}

	@Test
	@Order(1)
	void answersFromTheConfiguredDatabaseAndRedis() throws Exception {
		JsonNode whoami = http.get("/api/whoami");
		assertThat(whoami.get("database").asString()).isEqualTo("test");
		assertThat(whoami.get("redis").asString()).isEqualTo("127.0.0.1:6379");
		assertThat(whoami.get("greeting").asString()).isEqualTo("hello");
		assertThat(http.post("/api/orders", null).get("database").asString()).isEqualTo("test");
	}

	@Test
	@Order(2)
	void switchOfDatabaseRedisAndGreetingShowsWithinOneSecond() throws Exception {
		writeConfig(OTHER_DATABASE, otherRedis.port(), "bonjour", "");
		await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(25)).untilAsserted(() -> {
			JsonNode whoami = http.get("/api/whoami");
			assertThat(whoami.get("database").asString()).isEqualTo(OTHER_DATABASE);
			assertThat(whoami.get("redis").asString()).isEqualTo("127.0.0.1:" + otherRedis.port());
			assertThat(whoami.get("greeting").asString()).isEqualTo("bonjour");
		});
		assertThat(http.post("/api/orders", null).get("database").asString()).isEqualTo(OTHER_DATABASE);
		assertThat(RedisServer.command(otherRedis.port(), "GET demo:orders")).contains("1");
	}

	@Test
	@Order(3)
	void historyShowsTheAppliedChangeWithTheDigestOfTheFile() throws Exception {
		String digest = sha256(Files.readAllBytes(config));
		JsonNode status = http.get("/actuator/hotreload");
		assertThat(status.at("/sources/0/digest").asString()).isEqualTo(digest);
		JsonNode latest = status.at("/history/0");
		assertThat(latest.get("outcome").asString()).isEqualTo("APPLIED");
		assertThat(latest.get("trigger").asString()).isEqualTo("file");
		assertThat(latest.get("digest").asString()).isEqualTo(digest);
		assertThat(latest.toString()).contains("spring.datasource.url").contains("spring.data.redis.port");
		assertThat(status.at("/build/artifact").asString()).isEqualTo("demo-app");
	}

	@Test
	@Order(4)
	void brokenFileIsRejectedWhileTheServiceKeepsAnswering() throws Exception {
		AtomicBoolean running = new AtomicBoolean(true);
		AtomicInteger ok = new AtomicInteger();
		AtomicInteger failed = new AtomicInteger();
		ExecutorService clients = Executors.newFixedThreadPool(4);
		for (int i = 0; i < 4; i++) {
			clients.execute(() -> {
				while (running.get()) {
					int status = http.status("/api/whoami");
					((status == 200) ? ok : failed).incrementAndGet();
				}
			});
		}
		try {
			Files.writeString(config, "spring:\n  datasource: [broken\n", StandardCharsets.UTF_8);
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(http.get("/actuator/hotreload").at("/history/0/outcome").asString())
					.isEqualTo("REJECTED"));
			JsonNode rejected = http.get("/actuator/hotreload").at("/history/0");
			assertThat(rejected.get("error").asString()).contains("Malformed yaml");
			Thread.sleep(300);
		}
		finally {
			running.set(false);
			clients.shutdown();
			clients.awaitTermination(10, TimeUnit.SECONDS);
		}
		assertThat(failed.get()).isZero();
		assertThat(ok.get()).isPositive();
		assertThat(http.get("/api/whoami").get("database").asString()).isEqualTo(OTHER_DATABASE);
	}

	@Test
	@Order(5)
	void configRequiringAnotherVersionIsRefused() throws Exception {
		writeConfig("test", 6379, "hola", "hotreload.require.version: '[99.0,)'\n");
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(http.get("/actuator/hotreload").at("/history/0/outcome").asString())
				.isEqualTo("VERSION_MISMATCH"));
		assertThat(http.get("/actuator/hotreload").at("/history/0/error").asString())
			.contains("requires version [99.0,)")
			.contains("runs 0.1.0-SNAPSHOT");
		JsonNode whoami = http.get("/api/whoami");
		assertThat(whoami.get("database").asString()).isEqualTo(OTHER_DATABASE);
		assertThat(whoami.get("greeting").asString()).isEqualTo("bonjour");
	}

	@Test
	@Order(6)
	void historySurvivesARestart() throws Exception {
		JsonNode before = http.get("/actuator/hotreload").get("history");
		assertThat(before.size()).isGreaterThanOrEqualTo(3);
		demo.close();
		writeConfig(OTHER_DATABASE, otherRedis.port(), "bonjour", "");
		demo = new DemoProcess(directory, "--spring.profiles.active=redis", "--hotreload.file.locations=" + config,
				"--hotreload.history.file=" + directory.resolve("history.jsonl"))
			.start();
		http = new Http(demo.baseUrl());
		JsonNode after = http.get("/actuator/hotreload").get("history");
		assertThat(after.size()).isEqualTo(before.size());
		for (int i = 0; i < before.size(); i++) {
			assertThat(after.get(i).get("id").asLong()).isEqualTo(before.get(i).get("id").asLong());
			assertThat(after.get(i).get("outcome").asString()).isEqualTo(before.get(i).get("outcome").asString());
		}
	}

	static void writeConfig(String database, int redisPort, String greeting, String extra) throws Exception {
		String content = "spring:\n" + "  datasource:\n" + "    url: jdbc:postgresql://127.0.0.1:5432/" + database
				+ "\n" + "    username: postgres\n" + "    password: postgres\n" + "    hikari:\n"
				+ "      minimum-idle: 2\n" + "  data:\n" + "    redis:\n" + "      host: 127.0.0.1\n" + "      port: "
				+ redisPort + "\n" + "demo:\n" + "  greeting: " + greeting + "\n" + extra;
		Path temp = config.resolveSibling(".demo.yaml.tmp");
		Files.writeString(temp, content, StandardCharsets.UTF_8);
		Files.move(temp, config, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
				java.nio.file.StandardCopyOption.ATOMIC_MOVE);
	}

	static void createDatabase(String name) throws SQLException {
		try (Connection connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test", "postgres",
				"postgres"); Statement statement = connection.createStatement()) {
			if (!statement.executeQuery("select 1 from pg_database where datname = '" + name + "'").next()) {
				statement.execute("create database " + name);
			}
		}
	}

	static String sha256(byte[] bytes) throws Exception {
		return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
	}

}

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

package dev.hotreload.source.file;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import dev.hotreload.autoconfigure.FileSourceAutoConfiguration;
import dev.hotreload.autoconfigure.HotReloadAutoConfiguration;
import dev.hotreload.engine.TestResource;
import dev.hotreload.history.HistoryEntry;
import dev.hotreload.history.ReloadHistory;
import dev.hotreload.history.ReloadOutcome;
import dev.hotreload.source.ConfigParser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.cloud.autoconfigure.ConfigurationPropertiesRebinderAutoConfiguration;
import org.springframework.cloud.autoconfigure.RefreshAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests of a config file replaced by another one renamed over it, within the same tick of
 * the file system's clock as its last write (as atomic writers do): its resources are
 * prepared during its quiet period, and it is applied, or refused, only once it settled.
 */
class ReplacedFileTests {

	private static final Duration SETTLE_TIME = Duration.ofSeconds(2);

	@TempDir
	Path directory;

	private Path file;

	private ConfigurableApplicationContext context;

	@BeforeEach
	void createFile() throws IOException {
		this.file = this.directory.resolve("app.yaml");
		Files.writeString(this.file, "resource.url: one\n", StandardCharsets.UTF_8);
	}

	@AfterEach
	void close() {
		if (this.context != null) {
			this.context.close();
		}
	}

	@Test
	void aReplacedFileIsPreparedDuringItsQuietPeriodAndAppliedOnceItSettled() throws Exception {
		start();
		Instant modified = replace("resource.url: two\n");
		TestResource resource = this.context.getBean(TestResource.class);
		assertThat(resource.awaitPreparing(SETTLE_TIME.dividedBy(2))).isTrue();
		// preparing, well before the quiet period has passed: nothing is applied yet
		assertThat(Instant.now()).isBefore(modified.plus(SETTLE_TIME));
		assertThat(this.context.getEnvironment().getProperty("resource.url")).isEqualTo("one");
		await().atMost(Duration.ofSeconds(10)).until(() -> "two".equals(resource.live()));
		HistoryEntry applied = singleApplied();
		assertThat(applied.digest()).isEqualTo(digest("resource.url: two\n"));
		// the commit came once the file had not changed for the quiet period
		assertThat(applied.timestamp().plusMillis(applied.durationMs() + 5)).isAfter(modified.plus(SETTLE_TIME));
		assertThat(applied.phases()).containsKey("settle");
		assertThat(resource.events()).containsExactly("prepare two", "commit two");
		assertThat(this.context.getEnvironment().getProperty("resource.url")).isEqualTo("two");
	}

	@Test
	void aReplacedFileWrittenAgainBeforeItSettledIsAppliedOnlyWithItsLastContent() throws Exception {
		start();
		TestResource resource = this.context.getBean(TestResource.class);
		CountDownLatch release = new CountDownLatch(1);
		resource.blockPrepare(release);
		replace("resource.url: two\n");
		assertThat(resource.awaitPreparing(SETTLE_TIME.dividedBy(2))).isTrue();
		// written again in place while the first content is being prepared
		Files.writeString(this.file, "resource.url: three\n", StandardCharsets.UTF_8);
		release.countDown();
		await().atMost(Duration.ofSeconds(10)).until(() -> "three".equals(resource.live()));
		assertThat(resource.events()).containsExactly("prepare two", "rollback two", "prepare three", "commit three");
		assertThat(singleApplied().digest()).isEqualTo(digest("resource.url: three\n"));
		assertThat(history()).extracting(HistoryEntry::digest).doesNotContain(digest("resource.url: two\n"));
		assertThat(this.context.getEnvironment().getProperty("resource.url")).isEqualTo("three");
	}

	@Test
	void aReplacedFileThatDoesNotParseIsRefusedOnlyOnceItSettled() throws Exception {
		start();
		replace("resource.url: [half\n");
		Thread.sleep(SETTLE_TIME.dividedBy(4).toMillis());
		// corrected before the quiet period has passed
		Files.writeString(this.file, "resource.url: whole\n", StandardCharsets.UTF_8);
		TestResource resource = this.context.getBean(TestResource.class);
		await().atMost(Duration.ofSeconds(10)).until(() -> "whole".equals(resource.live()));
		assertThat(history()).extracting(HistoryEntry::outcome).doesNotContain(ReloadOutcome.REJECTED);
		assertThat(singleApplied().digest()).isEqualTo(digest("resource.url: whole\n"));
	}

	@Test
	void aReplacedFileThatDoesNotParseAndStaysSoIsRefused() throws Exception {
		start();
		replace("resource.url: [half\n");
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(
					() -> assertThat(history()).extracting(HistoryEntry::outcome).contains(ReloadOutcome.REJECTED));
		assertThat(this.context.getBean(TestResource.class).live()).isEqualTo("one");
		assertThat(this.context.getEnvironment().getProperty("resource.url")).isEqualTo("one");
	}

	/**
	 * Write a file beside the config file and rename it over it at once, in the same
	 * clock tick as the write.
	 * @return the new file's modification time
	 */
	private Instant replace(String content) throws IOException {
		Path temp = this.directory.resolve(".app.yaml.tmp");
		Files.writeString(temp, content, StandardCharsets.UTF_8);
		Files.move(temp, this.file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		return Files.getLastModifiedTime(this.file).toInstant();
	}

	private HistoryEntry singleApplied() {
		List<HistoryEntry> applied = history().stream()
			.filter((entry) -> entry.outcome() == ReloadOutcome.APPLIED)
			.toList();
		assertThat(applied).hasSize(1);
		return applied.get(0);
	}

	private List<HistoryEntry> history() {
		return this.context.getBean(ReloadHistory.class).entries();
	}

	private static String digest(String content) {
		return ConfigParser.sha256(content.getBytes(StandardCharsets.UTF_8));
	}

	private void start() {
		SpringApplication application = new SpringApplication(TestApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		this.context = application.run("--hotreload.file.locations=" + this.file,
				"--hotreload.file.settle-time=" + SETTLE_TIME.toMillis() + "ms", "--hotreload.file.poll-interval=0");
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ HotReloadAutoConfiguration.class, FileSourceAutoConfiguration.class,
			RefreshAutoConfiguration.class, ConfigurationPropertiesRebinderAutoConfiguration.class })
	static class TestApplication {

		@Bean
		TestResource resource(Environment environment) {
			return new TestResource("resource", "resource.url", environment.getProperty("resource.url"));
		}

	}

}

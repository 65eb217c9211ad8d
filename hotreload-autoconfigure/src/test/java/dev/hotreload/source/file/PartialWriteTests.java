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
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import dev.hotreload.autoconfigure.DataSourceReloadAutoConfiguration;
import dev.hotreload.autoconfigure.FileSourceAutoConfiguration;
import dev.hotreload.autoconfigure.HotReloadAutoConfiguration;
import dev.hotreload.engine.ReloadEngine;
import dev.hotreload.engine.SourceState;
import dev.hotreload.history.HistoryEntry;
import dev.hotreload.history.ReloadHistory;
import dev.hotreload.history.ReloadOutcome;
import dev.hotreload.source.ConfigParser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.cloud.autoconfigure.ConfigurationPropertiesRebinderAutoConfiguration;
import org.springframework.cloud.autoconfigure.RefreshAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests that a file written in place, truncated or cut mid-write is never applied
 * half-written, with real files, a real (H2) DataSource that follows the file and real
 * concurrent readers.
 */
class PartialWriteTests {

	private static final String BASE_URL = "jdbc:h2:mem:partial_base;DB_CLOSE_DELAY=-1";

	private static final String OVERRIDE_URL = "jdbc:h2:mem:partial_override;DB_CLOSE_DELAY=-1";

	@TempDir
	Path directory;

	private ConfigurableApplicationContext context;

	@AfterEach
	void close() {
		if (this.context != null) {
			this.context.close();
		}
	}

	@Test
	void inPlaceRewritesOfIdenticalContentNeverApplyAndNoReaderSeesTheWrongDatabase() throws Exception {
		Path base = write("base.yaml", "spring:\n  datasource:\n    url: \"" + BASE_URL + "\"\napp:\n  marker: base\n");
		String overrideContent = overrideContent(10);
		Path override = write("override.properties", overrideContent);
		// the quiet period is the promise: a write that stops for longer than it is
		// taken as complete. It is set well above the longest pause this test's writer
		// has between its pieces on a loaded two-core machine (a 3 ms sleep was seen
		// taking 94 ms, longer than the 50 ms default), and the rewrites come further
		// apart than it, so the file is also read, settled, between them
		start(base, override, "--hotreload.file.settle-time=250ms", "--hotreload.file.poll-interval=100ms");
		assertThat(effective()).isEqualTo("PARTIAL_OVERRIDE|override");
		Readers readers = new Readers(6, "PARTIAL_OVERRIDE|override");
		readers.start();
		byte[] bytes = overrideContent.getBytes(StandardCharsets.UTF_8);
		for (int i = 0; i < 20; i++) {
			// as printf > file does, only slower: truncate, then write in two pieces
			try (OutputStream out = Files.newOutputStream(override, StandardOpenOption.TRUNCATE_EXISTING,
					StandardOpenOption.WRITE)) {
				Thread.sleep(3);
				out.write(bytes, 0, bytes.length / 2);
				out.flush();
				Thread.sleep(3);
				out.write(bytes, bytes.length / 2, bytes.length - bytes.length / 2);
			}
			Thread.sleep(300 + (i % 5) * 40);
		}
		Thread.sleep(1500);
		readers.stop();
		assertThat(readers.answers.get()).isGreaterThan(1000);
		assertThat(readers.wrong.get()).as("wrong answers, first %s", readers.firstWrong.get()).isZero();
		assertThat(outcomes()).doesNotContain(ReloadOutcome.APPLIED);
		assertThat(effective()).isEqualTo("PARTIAL_OVERRIDE|override");
	}

	@Test
	void aFileTruncatedToZeroAndRestoredIsNeverAppliedEmpty() throws Exception {
		Path base = write("base.yaml", "spring:\n  datasource:\n    url: \"" + BASE_URL + "\"\napp:\n  marker: base\n");
		String overrideContent = overrideContent(10);
		Path override = write("override.properties", overrideContent);
		start(base, override, "--hotreload.file.settle-time=300ms", "--hotreload.file.poll-interval=100ms");
		Readers readers = new Readers(4, "PARTIAL_OVERRIDE|override");
		readers.start();
		for (int i = 0; i < 5; i++) {
			Files.write(override, new byte[0]);
			Thread.sleep(100);
			Files.writeString(override, overrideContent);
			Thread.sleep(400);
		}
		Thread.sleep(1000);
		readers.stop();
		assertThat(readers.answers.get()).isGreaterThan(100);
		assertThat(readers.wrong.get()).as("wrong answers, first %s", readers.firstWrong.get()).isZero();
		assertThat(outcomes()).doesNotContain(ReloadOutcome.APPLIED);
	}

	@Test
	void aFileThatStaysEmptyIsAppliedAndItsRestoreToo() throws Exception {
		Path base = write("base.yaml", "spring:\n  datasource:\n    url: \"" + BASE_URL + "\"\napp:\n  marker: base\n");
		String overrideContent = overrideContent(10);
		Path override = write("override.properties", overrideContent);
		start(base, override, "--hotreload.file.poll-interval=100ms");
		Files.write(override, new byte[0]);
		await().atMost(Duration.ofSeconds(10)).until(() -> "PARTIAL_BASE|base".equals(effective()));
		HistoryEntry emptied = history().get(0);
		assertThat(emptied.outcome()).isEqualTo(ReloadOutcome.APPLIED);
		assertThat(emptied.digest()).isEqualTo(ConfigParser.sha256(new byte[0]));
		assertThat(emptied.changedKeyCount()).isEqualTo(11);
		Files.writeString(override, overrideContent);
		await().atMost(Duration.ofSeconds(10)).until(() -> "PARTIAL_OVERRIDE|override".equals(effective()));
	}

	@Test
	void aWriteCutAtAKeyBoundaryIsNotAppliedAndTheWholeFileIs() throws Exception {
		Path base = write("base.yaml", "spring:\n  datasource:\n    url: \"" + BASE_URL + "\"\napp:\n  marker: base\n");
		Path override = write("override.properties", overrideContent(10));
		start(base, override, "--hotreload.file.settle-time=300ms", "--hotreload.file.poll-interval=100ms");
		String next = overrideContent(10).replace("=override\n", "=next\n");
		int cut = next.indexOf("spring.data.red") + "spring.data.red".length();
		assertThat(cut).isGreaterThan(20);
		String partial = next.substring(0, cut);
		Readers readers = new Readers(4, "PARTIAL_OVERRIDE|override", "PARTIAL_OVERRIDE|next");
		readers.start();
		try (OutputStream out = Files.newOutputStream(override, StandardOpenOption.TRUNCATE_EXISTING,
				StandardOpenOption.WRITE)) {
			out.write(partial.getBytes(StandardCharsets.UTF_8));
			out.flush();
			// the writer stalls for less than the quiet period, as a slow copy does
			Thread.sleep(150);
			out.write(next.substring(cut).getBytes(StandardCharsets.UTF_8));
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> "PARTIAL_OVERRIDE|next".equals(effective()));
		Thread.sleep(500);
		readers.stop();
		String partialDigest = ConfigParser.sha256(partial.getBytes(StandardCharsets.UTF_8));
		assertThat(history()).noneMatch((entry) -> partialDigest.equals(entry.digest()));
		assertThat(history()).filteredOn((entry) -> entry.outcome() == ReloadOutcome.APPLIED)
			.singleElement()
			.satisfies((entry) -> assertThat(entry.digest())
				.isEqualTo(ConfigParser.sha256(next.getBytes(StandardCharsets.UTF_8))));
		assertThat(readers.wrong.get()).as("wrong answers, first %s", readers.firstWrong.get()).isZero();
	}

	@Test
	void theEndpointStateShowsWhatIsOnDiskBesideWhatIsLiveAndWhy() throws Exception {
		Path base = write("base.yaml", "spring:\n  datasource:\n    url: \"" + BASE_URL + "\"\napp:\n  marker: base\n");
		String good = overrideContent(10);
		Path override = write("override.properties", good);
		start(base, override, "--hotreload.file.poll-interval=100ms");
		String broken = "app.marker=broken\nspring.datasource.url=jdbc:nowhere:db\n";
		Files.writeString(override, broken);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> history().stream().anyMatch((entry) -> entry.outcome() == ReloadOutcome.REJECTED));
		SourceState state = this.context.getBean(ReloadEngine.class)
			.sources()
			.stream()
			.filter((candidate) -> candidate.name().equals("file:" + override))
			.findFirst()
			.orElseThrow();
		assertThat(state.digest()).isEqualTo(ConfigParser.sha256(good.getBytes(StandardCharsets.UTF_8)));
		assertThat(state.keys()).isEqualTo(11);
		assertThat(state.current()).isNotNull();
		assertThat(state.current().digest()).isEqualTo(ConfigParser.sha256(broken.getBytes(StandardCharsets.UTF_8)));
		assertThat(state.current().keys()).isEqualTo(2);
		assertThat(state.current().exists()).isTrue();
		assertThat(state.lastRejection()).isNotNull();
		assertThat(state.lastRejection().outcome()).isEqualTo("REJECTED");
		assertThat(state.lastRejection().reason()).contains("jdbc resource 'dataSource'");
		assertThat(effective()).isEqualTo("PARTIAL_OVERRIDE|override");
		Files.writeString(override, good.replace("=override\n", "=fixed\n"));
		await().atMost(Duration.ofSeconds(10)).until(() -> "PARTIAL_OVERRIDE|fixed".equals(effective()));
		SourceState fixed = this.context.getBean(ReloadEngine.class)
			.sources()
			.stream()
			.filter((candidate) -> candidate.name().equals("file:" + override))
			.findFirst()
			.orElseThrow();
		assertThat(fixed.current().digest()).isEqualTo(fixed.digest());
		assertThat(fixed.lastRejection()).isNull();
	}

	@Test
	void theSourceStateShowsTheFileOnDiskNowBeforeAnyReload() throws Exception {
		Path base = write("base.yaml", "spring:\n  datasource:\n    url: \"" + BASE_URL + "\"\napp:\n  marker: base\n");
		String good = overrideContent(10);
		Path override = write("override.properties", good);
		start(base, override, "--hotreload.file.watch=false", "--hotreload.file.poll-interval=0");
		assertThat(state(override).current().digest()).isEqualTo(state(override).digest());
		assertThat(state(override).current().keys()).isEqualTo(11);
		String edited = good + "app.added=yes\n";
		Files.writeString(override, edited);
		SourceState state = state(override);
		assertThat(state.digest()).isEqualTo(ConfigParser.sha256(good.getBytes(StandardCharsets.UTF_8)));
		assertThat(state.current().digest()).isEqualTo(ConfigParser.sha256(edited.getBytes(StandardCharsets.UTF_8)));
		assertThat(state.current().keys()).isNull();
		Files.delete(override);
		assertThat(state(override).current().exists()).isFalse();
		assertThat(state(override).current().keys()).isZero();
		assertThat(state(override).keys()).isEqualTo(11);
		assertThat(history()).isEmpty();
	}

	private SourceState state(Path file) {
		return this.context.getBean(ReloadEngine.class)
			.sources()
			.stream()
			.filter((candidate) -> candidate.name().equals("file:" + file))
			.findFirst()
			.orElseThrow();
	}

	private static String overrideContent(int extraKeys) {
		StringBuilder content = new StringBuilder("spring.datasource.url=" + OVERRIDE_URL + "\n");
		for (int i = 0; i < extraKeys - 2; i++) {
			content.append("app.extra").append(i).append("=value").append(i).append('\n');
		}
		content.append("spring.data.redis.client-name=override\n");
		content.append("app.marker=override\n");
		return content.toString();
	}

	private String effective() {
		try (Connection connection = this.context.getBean(DataSource.class).getConnection();
				Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery("CALL DATABASE()")) {
			result.next();
			return result.getString(1) + "|" + this.context.getEnvironment().getProperty("app.marker");
		}
		catch (Exception ex) {
			return "failed: " + ex.getMessage();
		}
	}

	private List<HistoryEntry> history() {
		return this.context.getBean(ReloadHistory.class).entries();
	}

	private List<ReloadOutcome> outcomes() {
		return history().stream().map(HistoryEntry::outcome).toList();
	}

	private Path write(String name, String content) throws IOException {
		Path path = this.directory.resolve(name);
		Files.writeString(path, content, StandardCharsets.UTF_8);
		return path;
	}

	private void start(Path base, Path override, String... args) {
		SpringApplication application = new SpringApplication(TestApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		List<String> all = new ArrayList<>(List.of("--hotreload.file.locations=" + base + "," + override,
				"--spring.datasource.hikari.maximum-pool-size=4", "--spring.datasource.hikari.minimum-idle=1"));
		all.addAll(List.of(args));
		this.context = application.run(all.toArray(String[]::new));
	}

	/**
	 * Threads that ask the application, as clients would, which database and marker it
	 * serves, and count answers that are not among the expected ones.
	 */
	private final class Readers {

		private final int count;

		private final List<String> expected;

		private final AtomicBoolean running = new AtomicBoolean(true);

		private final AtomicInteger answers = new AtomicInteger();

		private final AtomicInteger wrong = new AtomicInteger();

		private final AtomicReference<String> firstWrong = new AtomicReference<>();

		private final List<Thread> threads = new ArrayList<>();

		Readers(int count, String... expected) {
			this.count = count;
			this.expected = List.of(expected);
		}

		void start() {
			for (int i = 0; i < this.count; i++) {
				Thread thread = new Thread(() -> {
					while (this.running.get()) {
						String answer = effective();
						this.answers.incrementAndGet();
						if (!this.expected.contains(answer)) {
							this.wrong.incrementAndGet();
							this.firstWrong.compareAndSet(null, answer);
						}
						try {
							Thread.sleep(1);
						}
						catch (InterruptedException ex) {
							return;
						}
					}
				}, "partial-write-reader-" + i);
				thread.start();
				this.threads.add(thread);
			}
		}

		void stop() throws InterruptedException {
			this.running.set(false);
			for (Thread thread : this.threads) {
				thread.join(5000);
			}
			Map<ReloadOutcome, Long> outcomes = outcomes().stream()
				.collect(Collectors.groupingBy((outcome) -> outcome, Collectors.counting()));
			System.out.println(
					"readers: " + this.answers.get() + " answers, " + this.wrong.get() + " wrong; reloads " + outcomes);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ HotReloadAutoConfiguration.class, FileSourceAutoConfiguration.class,
			DataSourceReloadAutoConfiguration.class, DataSourceAutoConfiguration.class, RefreshAutoConfiguration.class,
			ConfigurationPropertiesRebinderAutoConfiguration.class })
	static class TestApplication {

	}

}

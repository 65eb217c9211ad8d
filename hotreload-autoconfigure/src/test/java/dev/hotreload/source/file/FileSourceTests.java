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
import java.nio.file.attribute.FileTime;
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
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * Tests of the local-file source with real files, for every way a file really changes. A
 * file replaced by another one renamed over it in the same tick of the file system's
 * clock as its last write (as atomic writers do) has its resources prepared during its
 * quiet period, and is applied, or refused, only once it settled.
 */
class FileSourceTests {

	private static final Duration REPLACED_SETTLE_TIME = Duration.ofSeconds(2);

	@TempDir
	Path directory;

	private Path file;

	private ConfigurableApplicationContext context;

	@BeforeEach
	void createFile() throws IOException {
		this.file = this.directory.resolve("app.yaml");
		write(this.file, "greeting: one\n");
	}

	@AfterEach
	void close() {
		if (this.context != null) {
			this.context.close();
		}
	}

	@Test
	void loadsFilesBeforeBeansAreBuiltWithLaterFilesWinning() throws IOException {
		Path override = this.directory.resolve("override.properties");
		write(override, "greeting=two\nextra=yes\n");
		start("--hotreload.file.locations=" + this.file + "," + override);
		assertThat(this.context.getEnvironment().getProperty("greeting")).isEqualTo("two");
		assertThat(this.context.getEnvironment().getProperty("extra")).isEqualTo("yes");
	}

	@Test
	void commandLineArgumentsOverrideTheFile() {
		start("--hotreload.file.locations=" + this.file, "--greeting=cli");
		assertThat(this.context.getEnvironment().getProperty("greeting")).isEqualTo("cli");
	}

	@Test
	void failsStartupWhenARequiredFileIsMissing() {
		Path missing = this.directory.resolve("missing.yaml");
		assertThatIllegalStateException().isThrownBy(() -> start("--hotreload.file.locations=" + missing))
			.withMessageContaining("cannot read " + missing)
			.withMessageContaining("optional:");
	}

	@Test
	void startsWithoutAnOptionalFileAndAppliesItOnceCreated() throws IOException {
		Path later = this.directory.resolve("later.yaml");
		start("--hotreload.file.locations=optional:" + later);
		assertThat(this.context.getEnvironment().getProperty("greeting")).isNull();
		write(later, "greeting: created\n");
		awaitGreeting("created");
	}

	@Test
	void appliesAnInPlaceWrite() throws IOException {
		start("--hotreload.file.locations=" + this.file);
		write(this.file, "greeting: two\n");
		awaitGreeting("two");
		// an in-place write may be seen twice (truncated, then written): the second is a
		// NO_CHANGE
		HistoryEntry entry = history().stream()
			.filter((candidate) -> candidate.outcome() == ReloadOutcome.APPLIED)
			.findFirst()
			.orElseThrow();
		assertThat(entry.trigger()).isEqualTo("file");
		assertThat(entry.source()).isEqualTo("file:" + this.file);
		assertThat(entry.digest()).isEqualTo(ConfigParser.sha256(Files.readAllBytes(this.file)));
	}

	@Test
	void appliesAnEditorStyleWriteToATempFileAndRename() throws IOException {
		start("--hotreload.file.locations=" + this.file);
		Path temp = this.directory.resolve(".app.yaml.swp");
		write(temp, "greeting: renamed\n");
		Files.move(temp, this.file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		awaitGreeting("renamed");
	}

	@Test
	void aCompleteFileRenamedIntoPlaceIsAppliedWithoutWaitingTheQuietPeriod() throws Exception {
		start("--hotreload.file.locations=" + this.file, "--hotreload.file.settle-time=20s",
				"--hotreload.file.poll-interval=0");
		Path temp = this.directory.resolve(".app.yaml.tmp");
		write(temp, "greeting: renamed\n");
		// a later clock tick than the write, on file systems with coarse timestamps
		Thread.sleep(50);
		Files.move(temp, this.file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		assertThat(FileConfigSource.of(this.file.toString()).placedAfterLastWrite()).isTrue();
		// well before the 20 s quiet period
		awaitGreeting("renamed");
		assertThat(history()).filteredOn((entry) -> entry.outcome() == ReloadOutcome.APPLIED)
			.singleElement()
			.satisfies((entry) -> assertThat(entry.digest())
				.isEqualTo(ConfigParser.sha256("greeting: renamed\n".getBytes(StandardCharsets.UTF_8))));
	}

	@Test
	void aFileWrittenInPlaceStillWaitsTheQuietPeriod() throws Exception {
		Thread.sleep(50);
		start("--hotreload.file.locations=" + this.file, "--hotreload.file.settle-time=3s",
				"--hotreload.file.poll-interval=0");
		write(this.file, "greeting: in-place\n");
		assertThat(FileConfigSource.of(this.file.toString()).placedAfterLastWrite()).isFalse();
		Thread.sleep(1000);
		assertThat(this.context.getEnvironment().getProperty("greeting")).isEqualTo("one");
		awaitGreeting("in-place");
	}

	@Test
	void appliesAKubernetesConfigMapSymlinkSwap() throws IOException {
		Path first = Files.createDirectory(this.directory.resolve("..2026_01_01_v1"));
		write(first.resolve("cm.yaml"), "greeting: v1\n");
		Path data = this.directory.resolve("..data");
		Files.createSymbolicLink(data, first.getFileName());
		Path configured = this.directory.resolve("cm.yaml");
		Files.createSymbolicLink(configured, Path.of("..data/cm.yaml"));
		start("--hotreload.file.locations=" + configured);
		assertThat(this.context.getEnvironment().getProperty("greeting")).isEqualTo("v1");
		Path second = Files.createDirectory(this.directory.resolve("..2026_01_01_v2"));
		write(second.resolve("cm.yaml"), "greeting: v2\n");
		Path newData = this.directory.resolve("..data_tmp");
		Files.createSymbolicLink(newData, second.getFileName());
		Files.move(newData, data, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		awaitGreeting("v2");
	}

	@Test
	void keepsTheLiveConfigWhileTheFileIsDeletedAndAppliesItWhenRecreated() throws Exception {
		start("--hotreload.file.locations=" + this.file);
		Files.delete(this.file);
		Thread.sleep(600);
		assertThat(this.context.getEnvironment().getProperty("greeting")).isEqualTo("one");
		assertThat(history()).isEmpty();
		write(this.file, "greeting: recreated\n");
		awaitGreeting("recreated");
	}

	@Test
	void rejectsAHalfWrittenFileAndAppliesTheNextGoodWrite() throws IOException {
		start("--hotreload.file.locations=" + this.file);
		write(this.file, "greeting: [half\n");
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(
					() -> assertThat(history()).extracting(HistoryEntry::outcome).contains(ReloadOutcome.REJECTED));
		assertThat(this.context.getEnvironment().getProperty("greeting")).isEqualTo("one");
		write(this.file, "greeting: whole\n");
		awaitGreeting("whole");
	}

	@Test
	void pollingFindsChangesWhenTheWatchServiceIsOff() throws IOException {
		start("--hotreload.file.locations=" + this.file, "--hotreload.file.watch=false",
				"--hotreload.file.poll-interval=200ms");
		write(this.file, "greeting: polled\n");
		awaitGreeting("polled");
	}

	@Test
	void aReplacedFileIsPreparedDuringItsQuietPeriodAndAppliedOnceItSettled() throws Exception {
		startWithResource();
		Instant written = replace("resource.url: two\n");
		TestResource resource = this.context.getBean(TestResource.class);
		assertThat(resource.awaitPreparing(REPLACED_SETTLE_TIME.dividedBy(2))).isTrue();
		// preparing, well before the quiet period has passed: nothing is applied yet
		assertThat(Instant.now()).isBefore(written.plus(REPLACED_SETTLE_TIME));
		assertThat(this.context.getEnvironment().getProperty("resource.url")).isEqualTo("one");
		HistoryEntry applied = awaitSingleApplied();
		assertThat(applied.digest()).isEqualTo(digest("resource.url: two\n"));
		// the commit came once the file had not changed for the quiet period
		assertThat(applied.timestamp().plusMillis(applied.durationMs() + 5))
			.isAfter(written.plus(REPLACED_SETTLE_TIME));
		assertThat(applied.phases()).containsKey("settle");
		assertThat(resource.events()).containsExactly("prepare two", "commit two");
		assertThat(this.context.getEnvironment().getProperty("resource.url")).isEqualTo("two");
	}

	@Test
	void aReplacedFileWrittenAgainBeforeItSettledIsAppliedOnlyWithItsLastContent() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		TestResource resource = replaceWhilePreparing(release);
		// written again in place while the first content is being prepared
		write(this.file, "resource.url: three\n");
		release.countDown();
		assertThat(awaitSingleApplied().digest()).isEqualTo(digest("resource.url: three\n"));
		assertThat(resource.events()).containsExactly("prepare two", "rollback two", "prepare three", "commit three");
		assertThat(history()).extracting(HistoryEntry::digest).doesNotContain(digest("resource.url: two\n"));
		assertThat(this.context.getEnvironment().getProperty("resource.url")).isEqualTo("three");
	}

	@Test
	void aReplacedFileThatDoesNotParseIsRefusedOnlyOnceItSettled() throws Exception {
		startWithResource();
		replace("resource.url: [half\n");
		Thread.sleep(REPLACED_SETTLE_TIME.dividedBy(4).toMillis());
		// corrected before the quiet period has passed
		write(this.file, "resource.url: whole\n");
		TestResource resource = this.context.getBean(TestResource.class);
		assertThat(awaitSingleApplied().digest()).isEqualTo(digest("resource.url: whole\n"));
		assertThat(history()).extracting(HistoryEntry::outcome).doesNotContain(ReloadOutcome.REJECTED);
		assertThat(resource.live()).isEqualTo("whole");
	}

	@Test
	void aReplacedFileThatDoesNotParseAndStaysSoIsRefused() throws Exception {
		startWithResource();
		replace("resource.url: [half\n");
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(
					() -> assertThat(history()).extracting(HistoryEntry::outcome).contains(ReloadOutcome.REJECTED));
		assertThat(this.context.getBean(TestResource.class).live()).isEqualTo("one");
		assertThat(this.context.getEnvironment().getProperty("resource.url")).isEqualTo("one");
	}

	@Test
	void aReplacedFileWithAModificationTimeAheadOfTheClockWaitsNoLongerThanTheQuietPeriod() throws Exception {
		startWithResource();
		replace("resource.url: ahead\n", Instant.now().plus(Duration.ofHours(1)));
		TestResource resource = this.context.getBean(TestResource.class);
		// two reads a quiet period apart agree: applied, not an hour later
		assertThat(awaitSingleApplied().digest()).isEqualTo(digest("resource.url: ahead\n"));
		assertThat(resource.live()).isEqualTo("ahead");
	}

	@Test
	void aReplacedFileDeletedBeforeItSettledKeepsTheLiveKeysUntilItIsBack() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		TestResource resource = replaceWhilePreparing(release);
		Files.delete(this.file);
		release.countDown();
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(history()).extracting(HistoryEntry::outcome)
				.containsExactly(ReloadOutcome.NO_CHANGE));
		assertThat(history().get(0).error()).contains("is gone");
		assertThat(resource.events()).containsExactly("prepare two", "rollback two");
		assertThat(resource.live()).isEqualTo("one");
		assertThat(this.context.getEnvironment().getProperty("resource.url")).isEqualTo("one");
		write(this.file, "resource.url: back\n");
		await().atMost(Duration.ofSeconds(10)).until(() -> "back".equals(resource.live()));
	}

	/**
	 * Start, replace the file with {@code resource.url: two} and return once the resource
	 * is preparing it, held until the latch is released.
	 */
	private TestResource replaceWhilePreparing(CountDownLatch release) throws Exception {
		startWithResource();
		TestResource resource = this.context.getBean(TestResource.class);
		resource.blockPrepare(release);
		replace("resource.url: two\n");
		assertThat(resource.awaitPreparing(REPLACED_SETTLE_TIME.dividedBy(2))).isTrue();
		return resource;
	}

	/**
	 * Write a file beside the config file and rename it over it at once. Its modification
	 * time is set a few milliseconds ahead, so that the rename never looks later than the
	 * write, as when both fall in the same tick of the file system's clock (a rename in
	 * the next tick would be read as settled at once).
	 * @return when the file was written, at the latest
	 */
	private Instant replace(String content) throws IOException {
		Instant written = Instant.now();
		replace(content, Instant.now().plusMillis(20));
		return written;
	}

	/**
	 * Write a file beside the config file, with the given modification time, and rename
	 * it over the config file at once.
	 */
	private void replace(String content, Instant modified) throws IOException {
		Path temp = this.directory.resolve(".app.yaml.new");
		write(temp, content);
		Files.setLastModifiedTime(temp, FileTime.from(modified));
		Files.move(temp, this.file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		assertThat(FileConfigSource.of(this.file.toString()).placedAfterLastWrite()).isFalse();
	}

	/**
	 * The one applied reload, once it is recorded: the resource serves it a moment
	 * before.
	 */
	private HistoryEntry awaitSingleApplied() {
		await().atMost(Duration.ofSeconds(10))
			.until(() -> history().stream().anyMatch((entry) -> entry.outcome() == ReloadOutcome.APPLIED));
		return singleApplied();
	}

	private HistoryEntry singleApplied() {
		List<HistoryEntry> applied = history().stream()
			.filter((entry) -> entry.outcome() == ReloadOutcome.APPLIED)
			.toList();
		assertThat(applied).hasSize(1);
		return applied.get(0);
	}

	private static String digest(String content) {
		return ConfigParser.sha256(content.getBytes(StandardCharsets.UTF_8));
	}

	private void awaitGreeting(String expected) {
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(this.context.getEnvironment().getProperty("greeting")).isEqualTo(expected));
	}

	private List<HistoryEntry> history() {
		return this.context.getBean(ReloadHistory.class).entries();
	}

	private void start(String... args) {
		SpringApplication application = new SpringApplication(TestApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		String[] all = new String[args.length + 1];
		System.arraycopy(args, 0, all, 0, args.length);
		all[args.length] = "--hotreload.file.poll-interval=500ms";
		if (List.of(args).stream().anyMatch((arg) -> arg.startsWith("--hotreload.file.poll-interval"))) {
			all = args;
		}
		this.context = application.run(all);
	}

	/**
	 * Start with a resource bound to {@code resource.url}, which the file sets to
	 * {@code one}, and a quiet period long enough to tell when the resource is prepared.
	 */
	private void startWithResource() throws IOException {
		write(this.file, "resource.url: one\n");
		start("--hotreload.file.locations=" + this.file,
				"--hotreload.file.settle-time=" + REPLACED_SETTLE_TIME.toMillis() + "ms",
				"--hotreload.file.poll-interval=0");
	}

	private static void write(Path path, String content) throws IOException {
		Files.writeString(path, content, StandardCharsets.UTF_8);
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

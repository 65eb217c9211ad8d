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

package dev.hotreload.history;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ReloadHistory} backed by a {@link JsonLinesHistoryStore}.
 */
class JsonLinesHistoryStoreTests {

	@TempDir
	Path directory;

	@Test
	void historySurvivesARestartWithoutValues() throws Exception {
		Path file = this.directory.resolve("history/reloads.jsonl");
		ReloadHistory history = new ReloadHistory(10, new JsonLinesHistoryStore(file));
		HistoryEntry entry = entry(history.nextId(), ReloadOutcome.APPLIED);
		history.record(entry);
		history.update(entry.id(), (e) -> e.withResource("dataSource", (r) -> r.retired(120, 1, List.of(), null)));
		history.record(entry(history.nextId(), ReloadOutcome.REJECTED));
		assertThat(Files.readString(file)).doesNotContain("s3cret").doesNotContain("hunter2");

		ReloadHistory restarted = new ReloadHistory(10, new JsonLinesHistoryStore(file));
		List<HistoryEntry> entries = restarted.entries();
		assertThat(entries).extracting(HistoryEntry::outcome)
			.containsExactly(ReloadOutcome.REJECTED, ReloadOutcome.APPLIED);
		HistoryEntry applied = entries.get(1);
		assertThat(applied.resources().get(0).state()).isEqualTo(ResourceResult.State.RETIRED_FORCED);
		assertThat(applied.resources().get(0).connectionsCut()).isEqualTo(1);
		assertThat(applied.changedKeys().get(0).key()).isEqualTo("spring.datasource.password");
		assertThat(applied.changedKeys().get(0).value()).isNull();
		assertThat(applied.digest()).isEqualTo("abc");
		assertThat(restarted.nextId()).isEqualTo(3);
	}

	@Test
	void keepsOnlyTheLatestEntries() {
		ReloadHistory history = new ReloadHistory(3);
		for (int i = 0; i < 5; i++) {
			history.record(entry(history.nextId(), ReloadOutcome.NO_CHANGE));
		}
		assertThat(history.entries()).extracting(HistoryEntry::id).containsExactly(5L, 4L, 3L);
	}

	@Test
	void compactsAFileThatGrewPastTheRing() throws Exception {
		Path file = this.directory.resolve("reloads.jsonl");
		ReloadHistory history = new ReloadHistory(2, new JsonLinesHistoryStore(file));
		for (int i = 0; i < 10; i++) {
			history.record(entry(history.nextId(), ReloadOutcome.NO_CHANGE));
		}
		ReloadHistory restarted = new ReloadHistory(2, new JsonLinesHistoryStore(file));
		assertThat(restarted.entries()).extracting(HistoryEntry::id).containsExactly(10L, 9L);
		assertThat(Files.readAllLines(file)).hasSize(2);
	}

	@Test
	void keepsTheFileBoundedWhileRunning() throws Exception {
		Path file = this.directory.resolve("reloads.jsonl");
		ReloadHistory history = new ReloadHistory(3, new JsonLinesHistoryStore(file));
		for (int i = 0; i < 50; i++) {
			HistoryEntry entry = entry(history.nextId(), ReloadOutcome.APPLIED);
			history.record(entry);
			history.update(entry.id(), (e) -> e.withResource("dataSource", (r) -> r.retired(10, 0, List.of(), null)));
			assertThat(Files.readAllLines(file)).hasSizeLessThanOrEqualTo(6);
		}
		ReloadHistory restarted = new ReloadHistory(3, new JsonLinesHistoryStore(file));
		assertThat(restarted.entries()).extracting(HistoryEntry::id).containsExactly(50L, 49L, 48L);
		assertThat(restarted.entries()).allSatisfy(
				(entry) -> assertThat(entry.resources().get(0).state()).isEqualTo(ResourceResult.State.RETIRED));
	}

	@Test
	void skipsATornLastLineAndCutsItOffBeforeTheNextAppend() throws Exception {
		Path file = this.directory.resolve("reloads.jsonl");
		ReloadHistory history = new ReloadHistory(10, new JsonLinesHistoryStore(file));
		history.record(entry(history.nextId(), ReloadOutcome.APPLIED));
		history.record(entry(history.nextId(), ReloadOutcome.REJECTED));
		String whole = Files.readString(file);
		// a crash in the middle of writing the second line, cut inside a multi-byte
		// character
		byte[] bytes = (whole.substring(0, whole.indexOf('\n') + 1) + "{\"id\":2,\"source\":\"caf\u00e9")
			.getBytes(java.nio.charset.StandardCharsets.UTF_8);
		Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 1));
		ReloadHistory restarted = new ReloadHistory(10, new JsonLinesHistoryStore(file));
		assertThat(restarted.entries()).extracting(HistoryEntry::id).containsExactly(1L);
		HistoryEntry next = entry(restarted.nextId(), ReloadOutcome.NO_CHANGE);
		restarted.record(next);
		assertThat(Files.readAllLines(file)).hasSize(2);
		assertThat(new ReloadHistory(10, new JsonLinesHistoryStore(file)).entries()).extracting(HistoryEntry::id)
			.containsExactly(2L, 1L);
	}

	@Test
	void listsAtMostTheChangedKeysLimitAndCountsThemAll() throws Exception {
		Path file = this.directory.resolve("reloads.jsonl");
		ReloadHistory history = new ReloadHistory(10, 3, new JsonLinesHistoryStore(file));
		List<ChangedKey> keys = new java.util.ArrayList<>();
		for (int i = 0; i < 1000; i++) {
			keys.add(new ChangedKey("app.key" + i, ChangeType.ADDED, null, "v" + i));
		}
		HistoryEntry recorded = history.record(new HistoryEntry(history.nextId(), Instant.now(), "file",
				"file:app.yaml", ReloadOutcome.APPLIED, false, "abc", "def", keys, Map.of(), 5, List.of(), null));
		assertThat(recorded.changedKeys()).extracting(ChangedKey::key)
			.containsExactly("app.key0", "app.key1", "app.key2");
		assertThat(recorded.changedKeyCount()).isEqualTo(1000);
		HistoryEntry restored = new ReloadHistory(10, new JsonLinesHistoryStore(file)).entries().get(0);
		assertThat(restored.changedKeys()).hasSize(3);
		assertThat(restored.changedKeyCount()).isEqualTo(1000);
		assertThat(Files.size(file)).isLessThan(2_000);
	}

	private static HistoryEntry entry(long id, ReloadOutcome outcome) {
		return new HistoryEntry(id, Instant.now(), "file", "file:app.yaml", outcome, false, "abc", "def",
				List.of(new ChangedKey("spring.datasource.password", ChangeType.MODIFIED, "s3cret", "hunter2")),
				Map.of("read", 1L), 5,
				List.of(ResourceResult.of("dataSource", "jdbc", "new pool", 2, ResourceResult.State.RETIRING, null)),
				null);
	}

}

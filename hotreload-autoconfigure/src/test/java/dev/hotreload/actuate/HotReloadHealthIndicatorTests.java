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

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.hotreload.history.HistoryEntry;
import dev.hotreload.history.JsonLinesHistoryStore;
import dev.hotreload.history.ReloadHistory;
import dev.hotreload.history.ReloadOutcome;
import dev.hotreload.history.ResourceResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Health reflects the resources of this process, not history read back from the file.
 */
class HotReloadHealthIndicatorTests {

	@TempDir
	Path directory;

	@Test
	void historyReadBackAtStartupDoesNotTakeARestartedInstanceOutOfService() {
		Path file = this.directory.resolve("history.jsonl");
		ReloadHistory before = new ReloadHistory(10, new JsonLinesHistoryStore(file));
		before.record(retireFailed(before.nextId()));
		assertThat(new HotReloadHealthIndicator(before).health(true).getStatus()).isEqualTo(Status.OUT_OF_SERVICE);

		ReloadHistory restarted = new ReloadHistory(10, new JsonLinesHistoryStore(file));
		assertThat(restarted.entries()).hasSize(1);
		assertThat(new HotReloadHealthIndicator(restarted).health(true).getStatus()).isEqualTo(Status.UP);

		restarted.record(retireFailed(restarted.nextId()));
		assertThat(new HotReloadHealthIndicator(restarted).health(true).getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
	}

	private static HistoryEntry retireFailed(long id) {
		ResourceResult result = ResourceResult
			.of("dataSource", "jdbc", "new pool dataSource-g" + (id + 1), id + 1, ResourceResult.State.RETIRING, null)
			.retired(12, 0, List.of("thread dataSource-g" + id + ":housekeeper"), null);
		assertThat(result.state()).isEqualTo(ResourceResult.State.RETIRE_FAILED);
		return new HistoryEntry(id, Instant.now(), "file", "file:app.yaml", ReloadOutcome.APPLIED, false, null, null,
				List.of(), Map.of(), 5, List.of(result), null);
	}

}

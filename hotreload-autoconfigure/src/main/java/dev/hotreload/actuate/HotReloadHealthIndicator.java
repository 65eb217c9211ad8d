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

import java.util.ArrayList;
import java.util.List;

import dev.hotreload.history.HistoryEntry;
import dev.hotreload.history.ReloadHistory;
import dev.hotreload.history.ResourceResult;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * Health of hotreload: {@code UP} with the last reload's outcome and time. A rejected
 * change does not take the application down (the old config keeps serving); an old
 * instance that could not be closed, or a rollback that failed, reports
 * {@code OUT_OF_SERVICE} with the reason, since the instance may hold resources it should
 * not.
 *
 * @author hotreload authors
 */
public final class HotReloadHealthIndicator extends AbstractHealthIndicator {

	private final ReloadHistory history;

	public HotReloadHealthIndicator(ReloadHistory history) {
		super("hotreload health check failed");
		this.history = history;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		List<HistoryEntry> entries = this.history.entries();
		List<String> problems = new ArrayList<>();
		for (HistoryEntry entry : entries) {
			if (!this.history.isFromThisProcess(entry)) {
				// read back from the history file: about resources of an earlier process
				continue;
			}
			for (ResourceResult result : entry.resources()) {
				if (result.state() == ResourceResult.State.RETIRE_FAILED) {
					problems.add("reload #" + entry.id() + ": old instance of " + result.type() + " resource '"
							+ result.name() + "' was not closed cleanly"
							+ ((result.error() != null) ? " (" + result.error() + ")" : "")
							+ (result.leaks().isEmpty() ? "" : ", leaked " + result.leaks()));
				}
				if (result.state() == ResourceResult.State.ROLLBACK_FAILED) {
					problems.add("reload #" + entry.id() + ": rolling back " + result.type() + " resource '"
							+ result.name() + "' failed");
				}
			}
		}
		builder.status(problems.isEmpty() ? Status.UP : Status.OUT_OF_SERVICE);
		if (!entries.isEmpty()) {
			HistoryEntry last = entries.get(0);
			builder.withDetail("lastOutcome", last.outcome()).withDetail("lastReload", last.timestamp());
			if (last.error() != null) {
				builder.withDetail("lastError", last.error());
			}
		}
		if (!problems.isEmpty()) {
			builder.withDetail("problems", problems);
		}
	}

}

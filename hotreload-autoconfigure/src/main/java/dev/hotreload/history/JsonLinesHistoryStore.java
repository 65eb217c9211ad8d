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

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Appends history entries to a file as JSON lines, without the values of changed keys. An
 * updated entry is appended again with the same id; on reading back the last line of an
 * id wins. The file is compacted at startup when it has grown well past the ring size.
 *
 * @author hotreload authors
 */
public final class JsonLinesHistoryStore {

	private static final Log logger = LogFactory.getLog(JsonLinesHistoryStore.class);

	private final Path file;

	private final JsonMapper mapper = JsonMapper.builder().build();

	private final Object writeMonitor = new Object();

	public JsonLinesHistoryStore(Path file) {
		this.file = file;
	}

	/**
	 * Read back the latest entries.
	 * @param size the most entries to return
	 * @return the entries, oldest first
	 */
	List<HistoryEntry> load(int size) {
		if (!Files.exists(this.file)) {
			return List.of();
		}
		Map<Long, HistoryEntry> byId = new LinkedHashMap<>();
		int lines = 0;
		try {
			for (String line : Files.readAllLines(this.file, StandardCharsets.UTF_8)) {
				if (line.isBlank()) {
					continue;
				}
				lines++;
				try {
					HistoryEntry entry = this.mapper.readValue(line, HistoryEntry.class);
					byId.put(entry.id(), entry);
				}
				catch (JacksonException ex) {
					logger.warn("Skipping unreadable line " + lines + " of reload history file " + this.file + ": "
							+ ex.getOriginalMessage());
				}
			}
		}
		catch (IOException ex) {
			logger.warn("Could not read reload history file " + this.file + "; starting with an empty history", ex);
			return List.of();
		}
		List<HistoryEntry> entries = new ArrayList<>(byId.values());
		entries.sort((a, b) -> Long.compare(a.id(), b.id()));
		List<HistoryEntry> latest = entries.subList(Math.max(0, entries.size() - size), entries.size());
		if (lines > 2 * size) {
			compact(latest);
		}
		return List.copyOf(latest);
	}

	void append(HistoryEntry entry) {
		String line = this.mapper.writeValueAsString(entry.withoutValues());
		synchronized (this.writeMonitor) {
			try {
				Path parent = this.file.toAbsolutePath().getParent();
				if (parent != null) {
					Files.createDirectories(parent);
				}
				try (BufferedWriter writer = Files.newBufferedWriter(this.file, StandardCharsets.UTF_8,
						StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE)) {
					writer.write(line);
					writer.newLine();
				}
			}
			catch (IOException ex) {
				logger.warn("Could not append to reload history file " + this.file + ": " + ex.getMessage());
			}
		}
	}

	private void compact(List<HistoryEntry> latest) {
		synchronized (this.writeMonitor) {
			Path temp = this.file.resolveSibling(this.file.getFileName() + ".tmp");
			try {
				List<String> lines = latest.stream().map(this.mapper::writeValueAsString).toList();
				Files.write(temp, lines, StandardCharsets.UTF_8);
				Files.move(temp, this.file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
						java.nio.file.StandardCopyOption.ATOMIC_MOVE);
			}
			catch (IOException ex) {
				logger.warn("Could not compact reload history file " + this.file + ": " + ex.getMessage());
			}
		}
	}

}

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
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Appends history entries to a file as JSON lines, without the values of changed keys. An
 * updated entry is appended again with the same id; on reading back the last line of an
 * id wins. The file is rewritten (through a temporary file and an atomic move) with the
 * entries of the ring when it is read back at startup with more lines than the ring
 * holds, and whenever it grows past twice the ring size, so it stays bounded. A line torn
 * by a crash mid-write is skipped when read back and cut off before the next append.
 *
 * @author hotreload authors
 */
public final class JsonLinesHistoryStore {

	private static final Log logger = LogFactory.getLog(JsonLinesHistoryStore.class);

	private final Path file;

	private final JsonMapper mapper = JsonMapper.builder().build();

	private final Object writeMonitor = new Object();

	/**
	 * Lines in the file, {@code -1} until counted.
	 */
	private int lines = -1;

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
		boolean torn;
		try {
			byte[] bytes = Files.readAllBytes(this.file);
			torn = bytes.length > 0 && bytes[bytes.length - 1] != '\n';
			// decoded leniently: a torn multi-byte character must not lose the whole file
			for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
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
		if (lines > size || torn) {
			compact(latest);
		}
		else {
			synchronized (this.writeMonitor) {
				this.lines = lines;
			}
		}
		return List.copyOf(latest);
	}

	/**
	 * Append an entry, compacting the file to the ring's entries once it holds more than
	 * twice the ring size of lines.
	 * @param entry the entry
	 * @param size the ring size
	 * @param ring the ring's entries, oldest first, should the file be compacted
	 */
	void append(HistoryEntry entry, int size, Supplier<List<HistoryEntry>> ring) {
		String line = this.mapper.writeValueAsString(entry.withoutValues());
		synchronized (this.writeMonitor) {
			try {
				Path parent = this.file.toAbsolutePath().getParent();
				if (parent != null) {
					Files.createDirectories(parent);
				}
				if (this.lines < 0) {
					this.lines = countLines();
				}
				if (this.lines + 1 > 2 * size) {
					compact(ring.get());
					return;
				}
				cutTornLine();
				try (BufferedWriter writer = Files.newBufferedWriter(this.file, StandardCharsets.UTF_8,
						StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE)) {
					writer.write(line);
					writer.write('\n');
				}
				this.lines++;
			}
			catch (IOException ex) {
				logger.warn("Could not append to reload history file " + this.file + ": " + ex.getMessage());
			}
		}
	}

	private int countLines() throws IOException {
		if (!Files.exists(this.file)) {
			return 0;
		}
		int count = 0;
		for (byte b : Files.readAllBytes(this.file)) {
			if (b == '\n') {
				count++;
			}
		}
		return count;
	}

	/**
	 * Cut off a last line that a crash left without its newline, so that the next line is
	 * not glued to it.
	 */
	private void cutTornLine() throws IOException {
		if (!Files.exists(this.file)) {
			return;
		}
		try (FileChannel channel = FileChannel.open(this.file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
			long size = channel.size();
			if (size == 0 || lastByte(channel, size - 1) == '\n') {
				return;
			}
			long end = size - 1;
			while (end > 0 && lastByte(channel, end - 1) != '\n') {
				end--;
			}
			logger.warn("Cutting off a torn last line of reload history file " + this.file);
			channel.truncate(end);
		}
	}

	private static byte lastByte(FileChannel channel, long position) throws IOException {
		ByteBuffer buffer = ByteBuffer.allocate(1);
		channel.read(buffer, position);
		return buffer.get(0);
	}

	private void compact(List<HistoryEntry> latest) {
		synchronized (this.writeMonitor) {
			Path temp = this.file.resolveSibling(this.file.getFileName() + ".tmp");
			try {
				StringBuilder content = new StringBuilder();
				for (HistoryEntry entry : latest) {
					content.append(this.mapper.writeValueAsString(entry.withoutValues())).append('\n');
				}
				Files.writeString(temp, content, StandardCharsets.UTF_8);
				Files.move(temp, this.file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
				this.lines = latest.size();
			}
			catch (IOException ex) {
				logger.warn("Could not compact reload history file " + this.file + ": " + ex.getMessage());
			}
		}
	}

}

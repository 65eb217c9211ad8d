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
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import dev.hotreload.source.ConfigContent;
import dev.hotreload.source.ConfigFormat;
import dev.hotreload.source.ConfigSource;
import dev.hotreload.source.ReloadTrigger;
import org.jspecify.annotations.Nullable;

/**
 * A local {@code .properties} or YAML file. Reads follow symbolic links, so a Kubernetes
 * ConfigMap's {@code ..data} swap is seen as a change of the file. A read returns only
 * once two reads a {@linkplain #settleTime() quiet period} apart agree, so a file being
 * written in place is not read half-written.
 *
 * @author hotreload authors
 */
public final class FileConfigSource implements ConfigSource {

	private static final String OPTIONAL_PREFIX = "optional:";

	private static final String FILE_PREFIX = "file:";

	private final String name;

	private final Path path;

	private final ConfigFormat format;

	/**
	 * Most reads before giving up on a file that keeps changing.
	 */
	private static final int MAX_READS = 20;

	private final boolean optional;

	private final Duration settleTime;

	FileConfigSource(String location, Duration settleTime) {
		this.settleTime = settleTime;
		String value = location.trim();
		this.optional = value.startsWith(OPTIONAL_PREFIX);
		if (this.optional) {
			value = value.substring(OPTIONAL_PREFIX.length());
		}
		if (value.startsWith(FILE_PREFIX)) {
			value = value.substring(FILE_PREFIX.length());
		}
		this.name = FILE_PREFIX + value;
		this.path = Path.of(value).toAbsolutePath().normalize();
		this.format = ConfigFormat.fromName(value);
	}

	/**
	 * Create a source from a configured location, such as
	 * {@code optional:config/app.yaml}.
	 * @param location the location
	 * @return the source
	 */
	public static FileConfigSource of(String location) {
		return new FileConfigSource(location, Duration.ZERO);
	}

	/**
	 * Create a source from a configured location, such as
	 * {@code optional:config/app.yaml}, read once it has settled.
	 * @param location the location
	 * @param settleTime how long the file must stay unchanged before it is applied
	 * @return the source
	 */
	public static FileConfigSource of(String location, Duration settleTime) {
		return new FileConfigSource(location, settleTime);
	}

	@Override
	public String name() {
		return this.name;
	}

	@Override
	public String location() {
		return this.path.toString();
	}

	@Override
	public ConfigFormat format() {
		return this.format;
	}

	@Override
	public ReloadTrigger trigger() {
		return ReloadTrigger.FILE;
	}

	/**
	 * Return the file's path.
	 * @return the path
	 */
	public Path path() {
		return this.path;
	}

	/**
	 * Whether the application may start without the file.
	 * @return whether the file is optional
	 */
	public boolean isOptional() {
		return this.optional;
	}

	@Override
	public Duration settleTime() {
		return this.settleTime;
	}

	@Override
	public String describe() {
		return "file " + this.path;
	}

	/**
	 * Read the file once it has settled: at once when it was not modified while it was
	 * read nor for the quiet period before (or the quiet period is zero), else once two
	 * reads a quiet period apart agree.
	 * @return the content
	 * @throws IOException if the file cannot be read, or keeps changing
	 */
	@Override
	public ConfigContent read() throws IOException {
		ConfigContent content = readOnce();
		if (isSettled(content)) {
			return content;
		}
		for (int i = 1; i < MAX_READS; i++) {
			pause(this.settleTime);
			ConfigContent again = readOnce();
			if (unchanged(content, again)) {
				return again;
			}
			content = again;
		}
		throw new IOException(this.path + " kept changing for " + MAX_READS * this.settleTime.toMillis()
				+ " ms (hotreload.file.settle-time " + this.settleTime.toMillis() + " ms); it is read again once it"
				+ " settles");
	}

	/**
	 * Read the file once, as it is now: content that has not settled yet is marked so
	 * (see {@link ConfigContent#settled()}) and is confirmed with
	 * {@link #stillHolds(ConfigContent)} before it is applied.
	 * @return its content
	 * @throws IOException if it cannot be read
	 */
	ConfigContent readNow() throws IOException {
		ConfigContent content = readOnce();
		return isSettled(content) ? content : content.unsettled();
	}

	/**
	 * Wait until the quiet period has passed since the content was last modified (at most
	 * the quiet period), read the file again and tell whether it still holds the same
	 * bytes with the same modification time: then no write came after it, and it was
	 * complete.
	 * @param content content read from this file
	 * @return whether the file still holds it
	 * @throws IOException if the file cannot be read, except when it is gone
	 */
	@Override
	public boolean stillHolds(ConfigContent content) throws IOException {
		if (content.settled()) {
			return true;
		}
		Instant modified = content.lastModified();
		Duration left = (modified != null) ? Duration.between(Instant.now(), modified.plus(this.settleTime))
				: this.settleTime;
		// never longer than the quiet period, even for a modification time ahead of the
		// clock: two reads that far apart that agree are settled, as for read()
		pause((left.compareTo(this.settleTime) > 0) ? this.settleTime : left);
		try {
			return unchanged(content, readOnce());
		}
		catch (NoSuchFileException ex) {
			return false;
		}
	}

	/**
	 * Identity of the file the path leads to now (its inode, following links), which
	 * changes when another file is renamed over it or a link is swapped.
	 * @return the identity, or {@code null} if the file is gone or the file system has
	 * none
	 */
	@Nullable Object fileKey() {
		try {
			return Files.readAttributes(this.path, BasicFileAttributes.class).fileKey();
		}
		catch (IOException ex) {
			return null;
		}
	}

	/**
	 * Read the file if it has settled, with at most one wait of the quiet period.
	 * @return its content, or {@code null} if it changed while it was read
	 * @throws IOException if it cannot be read
	 */
	@Nullable ConfigContent readIfSettled() throws IOException {
		ConfigContent content = readOnce();
		if (isSettled(content)) {
			return content;
		}
		pause(this.settleTime);
		ConfigContent again = readOnce();
		return unchanged(content, again) ? again : null;
	}

	/**
	 * Whether two reads a quiet period apart agree, in bytes and modification time.
	 */
	private static boolean unchanged(ConfigContent first, ConfigContent second) {
		return Arrays.equals(first.bytes(), second.bytes())
				&& Objects.equals(first.lastModified(), second.lastModified());
	}

	/**
	 * Whether content just read cannot be half-written: the quiet period is zero, or the
	 * file's modification time did not move while it was read (every write moves it) and
	 * either is at least the quiet period old or the file was put in place after its last
	 * write (see {@link #placedAfterLastWrite()}), so no second read is needed.
	 */
	private boolean isSettled(ConfigContent content) throws IOException {
		if (this.settleTime.isZero() || this.settleTime.isNegative()) {
			return true;
		}
		Instant before = content.lastModified();
		Instant after = Files.getLastModifiedTime(this.path).toInstant();
		return before != null && before.equals(after)
				&& (Duration.between(after, Instant.now()).compareTo(this.settleTime) >= 0 || placedAfterLastWrite());
	}

	/**
	 * Whether the file was put in place after it was last written: its status changed
	 * later than its content, as when a complete file is renamed over it (editors, atomic
	 * writers, {@code mv}). Every write moves a file's change time together with its
	 * modification time, so a file being written in place never qualifies and waits the
	 * quiet period. {@code false} where the file system keeps no change time, and when
	 * the rename came within the same tick of the file system's clock as the write.
	 * @return whether the file's content was complete when it was put in place
	 */
	boolean placedAfterLastWrite() {
		try {
			Map<String, Object> times = Files.readAttributes(this.path, "unix:lastModifiedTime,ctime");
			return times.get("lastModifiedTime") instanceof FileTime modified
					&& times.get("ctime") instanceof FileTime changed && changed.compareTo(modified) > 0;
		}
		catch (IOException | UnsupportedOperationException | IllegalArgumentException ex) {
			return false;
		}
	}

	/**
	 * Read the file once, as it is now.
	 * @return its content, {@link ConfigContent#MISSING} if it does not exist, empty if
	 * it cannot be read
	 */
	@Override
	public Optional<ConfigContent> peek() {
		try {
			return Optional.of(readOnce());
		}
		catch (NoSuchFileException ex) {
			return Optional.of(ConfigContent.MISSING);
		}
		catch (IOException ex) {
			return Optional.empty();
		}
	}

	private ConfigContent readOnce() throws IOException {
		Instant lastModified = Files.getLastModifiedTime(this.path).toInstant();
		byte[] bytes = Files.readAllBytes(this.path);
		return new ConfigContent(bytes, lastModified);
	}

	private void pause(Duration time) throws IOException {
		if (time.isZero() || time.isNegative()) {
			return;
		}
		try {
			Thread.sleep(time.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new InterruptedIOException("interrupted while waiting for " + this.path + " to settle");
		}
	}

	@Override
	public Map<String, Object> status() {
		return Map.of("exists", Files.isRegularFile(this.path));
	}

	@Override
	public String toString() {
		return this.name;
	}

}

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
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import dev.hotreload.engine.ReloadEngine;
import dev.hotreload.engine.ReloadRequest;
import dev.hotreload.engine.SourceState;
import dev.hotreload.source.ConfigContent;
import dev.hotreload.source.ConfigParser;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * Watches the files of the local-file source and submits a reload when a file's bytes
 * differ from the ones last seen. Any event in a watched directory re-reads every source
 * in it, which covers in-place writes, editors that write a temporary file and rename it,
 * a file deleted and re-created and Kubernetes ConfigMap symlink swaps. A poll at a fixed
 * interval backs the watch service up where it is unreliable (network and container file
 * systems). A missing file is not a change: the live keys stay until the file is back.
 * <p>
 * A file written in place is submitted only once it has settled: a watch event schedules
 * a check after the quiet period ({@code hotreload.file.settle-time}), later events push
 * it back, and the check reads the file until two reads a quiet period apart agree. A
 * file rewritten in place with the same content is then no change at all. A file that was
 * replaced (another file renamed over it, a link swapped, so the path leads to another
 * file than last read) is checked at once and submitted before its quiet period has
 * passed, marked as not settled: the reload prepares its resources meanwhile and applies
 * the content only if the file still holds it once the quiet period has passed (see
 * {@link FileConfigSource#stillHolds}), and reads the file again otherwise.
 *
 * @author hotreload authors
 */
public final class FileSourceWatcher implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(FileSourceWatcher.class);

	private final List<FileConfigSource> sources;

	private final ReloadEngine engine;

	private final boolean watch;

	private final Duration pollInterval;

	private final Duration settleTime;

	private final Map<FileConfigSource, ScheduledFuture<?>> scheduled = new HashMap<>();

	private final Map<FileConfigSource, @Nullable String> lastSeen = new HashMap<>();

	/**
	 * The identity of the file each source's path led to when it was last read.
	 */
	private final Map<FileConfigSource, @Nullable Object> lastRead = new HashMap<>();

	private volatile boolean running;

	private @Nullable WatchService watchService;

	private @Nullable Thread watchThread;

	private @Nullable ScheduledExecutorService poller;

	public FileSourceWatcher(List<FileConfigSource> sources, ReloadEngine engine, boolean watch,
			Duration pollInterval) {
		this(sources, engine, watch, pollInterval, Duration.ZERO);
	}

	public FileSourceWatcher(List<FileConfigSource> sources, ReloadEngine engine, boolean watch, Duration pollInterval,
			Duration settleTime) {
		this.sources = List.copyOf(sources);
		this.engine = engine;
		this.watch = watch;
		this.pollInterval = pollInterval;
		this.settleTime = settleTime.isNegative() ? Duration.ZERO : settleTime;
	}

	@Override
	public void start() {
		if (this.running || this.sources.isEmpty()) {
			return;
		}
		Map<String, @Nullable String> live = new HashMap<>();
		for (SourceState state : this.engine.sources()) {
			live.put(state.name(), state.digest());
		}
		synchronized (this.lastSeen) {
			for (FileConfigSource source : this.sources) {
				this.lastSeen.put(source, live.get(source.name()));
				this.lastRead.put(source, source.fileKey());
			}
		}
		this.running = true;
		ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, daemon("hotreload-file-poller"));
		executor.setRemoveOnCancelPolicy(true);
		this.poller = executor;
		if (this.watch) {
			startWatching();
		}
		if (!this.pollInterval.isZero() && !this.pollInterval.isNegative()) {
			executor.scheduleWithFixedDelay(this::checkAll, this.pollInterval.toMillis(), this.pollInterval.toMillis(),
					TimeUnit.MILLISECONDS);
		}
	}

	private void startWatching() {
		Map<Path, WatchKey> keys = new LinkedHashMap<>();
		try {
			WatchService service = FileSystems.getDefault().newWatchService();
			for (FileConfigSource source : this.sources) {
				Path directory = source.path().getParent();
				if (directory != null && Files.isDirectory(directory) && !keys.containsKey(directory)) {
					keys.put(directory, directory.register(service, StandardWatchEventKinds.ENTRY_CREATE,
							StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE));
				}
			}
			this.watchService = service;
		}
		catch (IOException ex) {
			logger.warn("Cannot watch config files (" + ex.getMessage() + "); polling every " + this.pollInterval);
			return;
		}
		Thread thread = daemon("hotreload-file-watcher").newThread(this::watchLoop);
		this.watchThread = thread;
		thread.start();
	}

	private void watchLoop() {
		WatchService service = this.watchService;
		while (this.running && service != null) {
			try {
				WatchKey key = service.take();
				key.pollEvents();
				Path directory = (Path) key.watchable();
				for (FileConfigSource source : this.sources) {
					if (directory.equals(source.path().getParent())) {
						checkWhenQuiet(source);
					}
				}
				key.reset();
			}
			catch (InterruptedException | ClosedWatchServiceException ex) {
				return;
			}
			catch (RuntimeException ex) {
				logger.warn("Watching config files failed; polling continues", ex);
			}
		}
	}

	/**
	 * Check every file now.
	 */
	public void checkAll() {
		try {
			this.sources.forEach(this::check);
		}
		catch (RuntimeException ex) {
			logger.warn("Checking config files failed", ex);
		}
	}

	/**
	 * Check the file once it has not been modified for the quiet period, or at once when
	 * it was replaced or put in place after its last write (a complete file renamed over
	 * it): a later event pushes the check back.
	 */
	private void checkWhenQuiet(FileConfigSource source) {
		ScheduledExecutorService executor = this.poller;
		if (!this.running || executor == null) {
			return;
		}
		synchronized (this.scheduled) {
			ScheduledFuture<?> previous = this.scheduled.get(source);
			if (previous != null) {
				previous.cancel(false);
			}
			try {
				this.scheduled.put(source,
						executor.schedule(() -> check(source),
								(replaced(source) || source.placedAfterLastWrite()) ? 0 : this.settleTime.toMillis(),
								TimeUnit.MILLISECONDS));
			}
			catch (RejectedExecutionException ex) {
				// stopping
			}
		}
	}

	private void check(FileConfigSource source) {
		if (!this.running) {
			return;
		}
		ConfigContent content;
		Object fileKey = source.fileKey();
		try {
			// a replaced file is read now and confirmed by the reload; one written in
			// place is read once it settled
			content = replaced(source, fileKey) ? source.readNow() : source.readIfSettled();
		}
		catch (InterruptedIOException ex) {
			Thread.currentThread().interrupt();
			return;
		}
		catch (IOException ex) {
			logger.debug("Cannot read " + source.location() + " (" + ex.getMessage() + "); keeping its live keys");
			return;
		}
		if (content == null) {
			logger.debug(source.location() + " is still being written; checking it again once it settles");
			checkWhenQuiet(source);
			return;
		}
		String digest = ConfigParser.sha256(content.bytes());
		synchronized (this.lastSeen) {
			this.lastRead.put(source, fileKey);
			if (digest.equals(this.lastSeen.get(source))) {
				return;
			}
			this.lastSeen.put(source, digest);
		}
		logger.debug("Change detected in " + source.location() + (content.settled() ? "" : " (not settled yet)"));
		// the content is applied as read, without reading the file again (once confirmed
		// when it was read before it settled)
		this.engine.submit(ReloadRequest.pushed(source.name(), source.trigger(), content));
	}

	private boolean replaced(FileConfigSource source) {
		return replaced(source, source.fileKey());
	}

	/**
	 * Whether the source's path leads to another file than when it was last read.
	 */
	private boolean replaced(FileConfigSource source, @Nullable Object fileKey) {
		synchronized (this.lastSeen) {
			return fileKey != null && !fileKey.equals(this.lastRead.get(source));
		}
	}

	@Override
	public void stop() {
		this.running = false;
		WatchService service = this.watchService;
		if (service != null) {
			try {
				service.close();
			}
			catch (IOException ex) {
				logger.debug("Closing the watch service failed", ex);
			}
		}
		Thread thread = this.watchThread;
		if (thread != null) {
			thread.interrupt();
		}
		ScheduledExecutorService executor = this.poller;
		if (executor != null) {
			executor.shutdownNow();
		}
		this.watchService = null;
		this.watchThread = null;
		this.poller = null;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	private static CustomizableThreadFactory daemon(String name) {
		CustomizableThreadFactory factory = new CustomizableThreadFactory(name + "-");
		factory.setDaemon(true);
		return factory;
	}

}

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

package dev.hotreload.engine;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.hotreload.history.HistoryEntry;
import dev.hotreload.history.ReloadOutcome;
import dev.hotreload.resource.CredentialsRejectedEvent;
import dev.hotreload.source.ReloadTrigger;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.ApplicationListener;

/**
 * The rotation window: when a server refuses the credentials of a new connection, reads
 * every source again (trigger {@code auth-failure}), at once and then with a doubling
 * backoff, until a reload applies a change or the window closes, so that a password
 * changed on the database shortly before it is changed in the config center is picked up
 * without waiting for the push. At most one window opens per interval, however many
 * connections fail.
 *
 * @author hotreload authors
 */
public final class CredentialsRejectedReloads implements ApplicationListener<CredentialsRejectedEvent> {

	private static final Log logger = LogFactory.getLog(ReloadEngine.class);

	private static final long FIRST_BACKOFF_MILLIS = 500;

	private final ReloadEngine engine;

	private final Duration window;

	private final Duration interval;

	private long opened = Long.MIN_VALUE;

	private boolean open;

	/**
	 * Create the rotation window.
	 * @param engine the engine that reads the sources
	 * @param window how long the sources are read again after a refusal
	 * @param interval the least time between two windows
	 */
	public CredentialsRejectedReloads(ReloadEngine engine, Duration window, Duration interval) {
		this.engine = engine;
		this.window = window;
		this.interval = interval;
	}

	@Override
	public void onApplicationEvent(CredentialsRejectedEvent event) {
		long now = System.nanoTime();
		synchronized (this) {
			if (this.open || (this.opened != Long.MIN_VALUE && now - this.opened < this.interval.toNanos())) {
				return;
			}
			this.open = true;
			this.opened = now;
		}
		logger.info("The server refused the credentials of " + event.getResource() + " (" + event.getReason()
				+ "); reading the sources again for up to " + this.window.toMillis() + " ms");
		attempt(now + this.window.toNanos(), FIRST_BACKOFF_MILLIS);
	}

	private void attempt(long deadline, long backoff) {
		CompletableFuture<HistoryEntry> reload;
		try {
			reload = this.engine.submit(new ReloadRequest(List.of(), ReloadTrigger.AUTH_FAILURE, false, null, null));
		}
		catch (RuntimeException ex) {
			close();
			return;
		}
		reload.whenComplete((entry, failure) -> {
			boolean applied = entry != null && entry.outcome() == ReloadOutcome.APPLIED;
			long next = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoff);
			if (applied || failure != null || next - deadline > 0) {
				close();
				return;
			}
			CompletableFuture.delayedExecutor(backoff, TimeUnit.MILLISECONDS)
				.execute(() -> attempt(deadline, backoff * 2));
		});
	}

	private synchronized void close() {
		this.open = false;
	}

}

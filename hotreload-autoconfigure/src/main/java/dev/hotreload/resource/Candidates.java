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

package dev.hotreload.resource;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * Starts and validates a candidate (a pool, a client) on a thread of its own, within a
 * timeout, and owns the candidate's whole life: whoever of the caller (giving up at the
 * timeout) and the thread (finishing late) comes second closes what the thread built, so
 * a candidate whose start ends after the timeout is closed and never lives on unseen.
 *
 * @author hotreload authors
 */
public final class Candidates {

	private Candidates() {
	}

	/**
	 * Start a candidate and wait for it.
	 * @param <T> the candidate's type
	 * @param threadName the name of the thread that starts it, such as
	 * {@code hotreload-validate-dataSource-g3}
	 * @param timeout how long to wait
	 * @param start builds, starts and validates the candidate; closes what it built
	 * itself when it fails
	 * @param close closes a candidate that was started but is not wanted
	 * @param abandon called once when the caller gives up, to cut short what the start is
	 * waiting for (the thread is interrupted too)
	 * @return the started candidate
	 * @throws TimeoutException if the candidate did not start within the timeout
	 * @throws Exception what the start threw
	 */
	public static <T> T startWithin(String threadName, Duration timeout, Callable<T> start, Consumer<T> close,
			@Nullable Runnable abandon) throws Exception {
		CompletableFuture<T> started = new CompletableFuture<>();
		AtomicBoolean handedOver = new AtomicBoolean();
		Thread thread = new Thread(() -> {
			T candidate = null;
			try {
				candidate = start.call();
				started.complete(candidate);
			}
			catch (Throwable ex) {
				started.completeExceptionally(ex);
			}
			finally {
				if (!handedOver.compareAndSet(false, true) && candidate != null) {
					// the caller gave up before the candidate was ready
					close.accept(candidate);
				}
			}
		}, threadName);
		thread.setDaemon(true);
		thread.start();
		try {
			return started.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException ex) {
			if (handedOver.compareAndSet(false, true)) {
				thread.interrupt();
				if (abandon != null) {
					abandon.run();
				}
			}
			else {
				// it finished just now: not wanted any more
				started.thenAccept(close);
			}
			throw ex;
		}
		catch (InterruptedException ex) {
			if (handedOver.compareAndSet(false, true)) {
				thread.interrupt();
			}
			else {
				started.thenAccept(close);
			}
			throw ex;
		}
		catch (ExecutionException ex) {
			throw (ex.getCause() instanceof Exception cause) ? cause : ex;
		}
	}

}

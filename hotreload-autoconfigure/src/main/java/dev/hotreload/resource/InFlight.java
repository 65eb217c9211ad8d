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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * The uses under way on one generation of a resource: borrowers inside
 * {@code getConnection()}, commands not answered yet. A borrower is counted on the
 * generation before it touches the generation's pool, and the count doubles as the
 * generation's lock against closing: once it is closed nothing more can be acquired, so a
 * borrower that read the generation just before a swap either gets a counted use (and
 * retirement waits for it) or moves on to the new generation. No borrower can obtain a
 * connection from a pool that is being closed.
 *
 * @author hotreload authors
 */
public final class InFlight {

	private static final int CLOSED = Integer.MIN_VALUE;

	private static final long DRAIN_POLL_MILLIS = 5;

	private final AtomicInteger count = new AtomicInteger();

	/**
	 * Count one more use.
	 * @return {@code false} if closed, and the generation must not be used
	 */
	public boolean acquire() {
		for (;;) {
			int current = this.count.get();
			if (current < 0) {
				return false;
			}
			if (this.count.compareAndSet(current, current + 1)) {
				return true;
			}
		}
	}

	/**
	 * Count one use less.
	 */
	public void release() {
		for (;;) {
			int current = this.count.get();
			if (current <= 0) {
				// closed (cut at the drain timeout) or already at zero
				return;
			}
			if (this.count.compareAndSet(current, current - 1)) {
				return;
			}
		}
	}

	/**
	 * Uses not given back yet.
	 * @return the count, 0 once closed
	 */
	public int get() {
		return Math.max(this.count.get(), 0);
	}

	/**
	 * Whether it is closed against new uses.
	 * @return whether it is closed
	 */
	public boolean isClosed() {
		return this.count.get() == CLOSED;
	}

	/**
	 * Close against new uses if none is under way.
	 * @return whether it is now closed
	 */
	public boolean closeIfIdle() {
		return this.count.compareAndSet(0, CLOSED) || this.count.get() == CLOSED;
	}

	/**
	 * Close against new uses whatever is under way.
	 * @return the uses still under way that are now cut
	 */
	public int closeNow() {
		return Math.max(this.count.getAndSet(CLOSED), 0);
	}

	/**
	 * Wait until nothing is under way, then close; close anyway once the timeout passes.
	 * @param timeout how long to wait
	 * @return the uses cut at the timeout (or at an interrupt)
	 */
	public int drain(Duration timeout) {
		return drain(timeout, () -> false);
	}

	/**
	 * Wait until nothing is under way, then close; close at once when what the uses wait
	 * for is known dead (a client disconnected from a server that is gone), and anyway
	 * once the timeout passes.
	 * @param timeout how long to wait
	 * @param stop checked at each poll while uses are under way, and may act meanwhile
	 * (wake the borrowers that wait on this generation, so that they move to the live
	 * one): {@code true} when nothing under way can complete any more
	 * @return the uses cut, at the timeout, when found dead, or at an interrupt
	 */
	public int drain(Duration timeout, BooleanSupplier stop) {
		long deadline = System.nanoTime() + timeout.toNanos();
		try {
			while (!closeIfIdle()) {
				if (System.nanoTime() - deadline >= 0 || stop.getAsBoolean()) {
					return closeNow();
				}
				Thread.sleep(DRAIN_POLL_MILLIS);
			}
			return 0;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return closeNow();
		}
	}

}

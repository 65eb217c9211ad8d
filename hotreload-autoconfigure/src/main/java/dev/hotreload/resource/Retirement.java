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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntSupplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Retires one generation in the background: drain, close, leak check.
 *
 * @author hotreload authors
 */
final class Retirement<P> {

	private static final Log logger = LogFactory.getLog(Retirement.class);

	private static final long POLL_MILLIS = 20;

	private static final Duration LEAK_WAIT = Duration.ofSeconds(5);

	/**
	 * How long uses under way with none of them ending make a retirement ask whether the
	 * server still answers.
	 */
	private static final Duration STALL = Duration.ofSeconds(1);

	private final String resourceName;

	private final Generation<P> old;

	private final PoolLifecycle<P> lifecycle;

	private final Runnable moveBorrowers;

	private Retirement(String resourceName, Generation<P> old, PoolLifecycle<P> lifecycle, Runnable moveBorrowers) {
		this.resourceName = resourceName;
		this.old = old;
		this.lifecycle = lifecycle;
		this.moveBorrowers = moveBorrowers;
	}

	/**
	 * Retire a generation on a daemon thread named {@code hotreload-retire-<name>}.
	 * @param moveBorrowers wakes the borrowers waiting on the generation, so that they
	 * borrow from the live one
	 */
	static <P> CompletableFuture<RetireReport> inBackground(String resourceName, Generation<P> old,
			PoolLifecycle<P> lifecycle, Runnable moveBorrowers) {
		Retirement<P> retirement = new Retirement<>(resourceName, old, lifecycle, moveBorrowers);
		CompletableFuture<RetireReport> report = new CompletableFuture<>();
		Thread thread = new Thread(() -> {
			try {
				report.complete(retirement.run());
			}
			catch (Throwable ex) {
				report.complete(new RetireReport(Duration.ZERO, 0, List.of(),
						"closing " + old.name() + " failed: " + ErrorMessages.of(ex)));
			}
		}, "hotreload-retire-" + old.name());
		thread.setDaemon(true);
		thread.start();
		return report;
	}

	private RetireReport run() throws InterruptedException {
		long start = System.nanoTime();
		Duration timeout = this.lifecycle.drainTimeout();
		long deadline = start + timeout.toNanos();
		P pool = this.old.instance();
		List<String> errors = new ArrayList<>();
		try {
			this.lifecycle.retiring(pool);
		}
		catch (Exception ex) {
			errors.add(ErrorMessages.of(ex));
		}
		// no use can start on it from here on: the borrowers waiting on it move to the
		// live one, and a dead or silent pool is not waited for
		AtomicBoolean foundDead = new AtomicBoolean();
		Silence silence = new Silence(pool, deadline);
		int cut = this.old.inFlight().drain(timeout, () -> {
			this.moveBorrowers.run();
			foundDead.set(this.lifecycle.isDead(pool) || silence.found(this.old.inFlight()::get));
			return foundDead.get();
		});
		silence.recount();
		int inUse = this.lifecycle.inUse(pool);
		boolean dead = false;
		while (inUse > 0 && System.nanoTime() - deadline < 0
				&& !(dead = this.lifecycle.isDead(pool) || silence.found(() -> this.lifecycle.inUse(pool)))) {
			Thread.sleep(POLL_MILLIS);
			inUse = this.lifecycle.inUse(pool);
		}
		if (foundDead.get() || dead || cut + inUse > 0) {
			// nothing still in use can complete on it, or it is cut at the drain timeout
			try {
				this.lifecycle.abandon(pool);
			}
			catch (Exception ex) {
				errors.add("ending what was in use on " + this.old.name() + " failed: " + ErrorMessages.of(ex));
			}
		}
		try {
			this.lifecycle.close(pool);
		}
		catch (Exception ex) {
			errors.add("closing " + this.old.name() + " failed: " + ErrorMessages.of(ex));
		}
		List<String> leaks = leftovers();
		// what was under way on a pool whose server is gone was lost with the server, not
		// cut at the drain timeout (borrowers still waiting on it borrow from the live
		// one)
		int lost = 0;
		if (foundDead.get()) {
			lost = cut;
			cut = 0;
		}
		if (inUse > 0 && dead) {
			lost += inUse;
			inUse = 0;
		}
		if (lost > 0) {
			logger.warn("Closed retired " + this.old.name() + " of '" + this.resourceName + "' at once: its server is"
					+ (silence.silent ? " not answering" : " gone") + ", and the " + lost
					+ " connection(s) or command(s) still in use on it cannot complete");
		}
		int connectionsCut = cut + inUse;
		if (connectionsCut > 0) {
			logger.warn("Closed retired " + this.old.name() + " of '" + this.resourceName + "' at the "
					+ timeout.toMillis() + " ms drain timeout (" + this.lifecycle.drainTimeoutProperty() + ") with "
					+ connectionsCut + " connection(s) or command(s) still in use");
		}
		return new RetireReport(Duration.ofNanos(System.nanoTime() - start), connectionsCut, leaks,
				errors.isEmpty() ? null : String.join("; ", errors));
	}

	/**
	 * Finds a server that stopped answering without closing its connections: while uses
	 * are under way and none of them ends for {@link #STALL}, the pool is asked whether
	 * its server {@link PoolLifecycle#answers answers}. It is found silent when it gives
	 * no answer twice in a row and no use ended meanwhile; after an answer the next ask
	 * waits twice as long (until a use ends again), so that a server busy with long uses
	 * is asked a few times during a drain, not once a second. An ask is given what is
	 * left of the drain timeout at most: one still under way at the drain timeout is not
	 * waited for (it ends on its own, within the resource's validation timeout), and the
	 * pool is closed then, as one whose server answers.
	 */
	private final class Silence {

		private final P pool;

		private final long deadline;

		private long quietSince = System.nanoTime();

		private long nextAsk = STALL.toNanos();

		private int underWay = Integer.MAX_VALUE;

		private boolean silent;

		Silence(P pool, long deadline) {
			this.pool = pool;
			this.deadline = deadline;
		}

		/**
		 * Count what is under way afresh, such as the pool's connections in use after its
		 * borrowers: the next count is not compared with the last.
		 */
		void recount() {
			this.underWay = Integer.MAX_VALUE;
		}

		/**
		 * Whether the server is found silent.
		 * @param underWay the uses under way now, read again after each ask
		 * @return whether it is silent
		 */
		boolean found(IntSupplier underWay) {
			if (!this.silent && !progressed(underWay) && System.nanoTime() - this.quietSince >= this.nextAsk) {
				int before = this.underWay;
				this.silent = !answers() && !progressed(underWay) && !answers() && !progressed(underWay);
				if (this.underWay == before) {
					// no use ended while it was asked
					this.quietSince = System.nanoTime();
					this.nextAsk *= 2;
				}
			}
			return this.silent;
		}

		/**
		 * Whether a use ended since the last count: the server answers.
		 */
		private boolean progressed(IntSupplier underWay) {
			int now = underWay.getAsInt();
			if (now >= this.underWay) {
				return false;
			}
			this.underWay = now;
			this.quietSince = System.nanoTime();
			this.nextAsk = STALL.toNanos();
			return true;
		}

		/**
		 * Whether the server answers, asked on a thread of its own and waited for until
		 * the drain timeout at most; {@code true} (not known silent: drained as before)
		 * when the ask fails, is interrupted or is still under way then.
		 */
		private boolean answers() {
			long left = this.deadline - System.nanoTime();
			if (left <= 0) {
				return true;
			}
			try {
				return Candidates.startWithin("hotreload-ask-" + Retirement.this.old.name(), Duration.ofNanos(left),
						() -> Retirement.this.lifecycle.answers(this.pool), (late) -> {
						}, null);
			}
			catch (InterruptedException ex) {
				// the drain ends at its next poll
				Thread.currentThread().interrupt();
				return true;
			}
			catch (Exception ex) {
				return true;
			}
		}

	}

	/**
	 * Threads of the closed instance still alive after a short wait, and what else it
	 * still holds.
	 */
	private List<String> leftovers() throws InterruptedException {
		long deadline = System.nanoTime() + LEAK_WAIT.toNanos();
		List<String> leaks;
		do {
			leaks = new ArrayList<>();
			for (Thread thread : liveThreads()) {
				if (thread.isAlive() && this.lifecycle.ownsThread(this.old, thread.getName())) {
					leaks.add("thread " + thread.getName());
				}
			}
			leaks.addAll(this.lifecycle.leftovers(this.old.instance()));
			if (!leaks.isEmpty()) {
				Thread.sleep(POLL_MILLIS);
			}
		}
		while (!leaks.isEmpty() && System.nanoTime() - deadline < 0);
		return leaks;
	}

	/**
	 * The threads alive now, read from the thread groups: unlike
	 * {@link Thread#getAllStackTraces()}, this stops no thread (a stack dump is a
	 * stop-the-world pause of every request thread, tens of milliseconds under load, and
	 * the leak check polls).
	 */
	static List<Thread> liveThreads() {
		ThreadGroup root = Thread.currentThread().getThreadGroup();
		while (root.getParent() != null) {
			root = root.getParent();
		}
		Thread[] threads = new Thread[root.activeCount() + 16];
		int count;
		while ((count = root.enumerate(threads, true)) == threads.length) {
			threads = new Thread[threads.length * 2];
		}
		return Arrays.asList(threads).subList(0, count);
	}

}

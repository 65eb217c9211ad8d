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

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.hotreload.resource.Generations.Snapshot;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The core's generations under real concurrent borrowers: no borrow ever reaches a pool
 * that is closing, every retired pool is closed once its borrowed connections are back,
 * and generation numbers are never used twice.
 */
class GenerationsTests {

	@Test
	void noBorrowReachesAPoolThatIsClosedWhileGenerationsAreSwappedAndRetired() throws Exception {
		FakePools lifecycle = new FakePools(Duration.ofSeconds(5));
		FakePool first = new FakePool("pool");
		Generations<FakePool, String> generations = new Generations<>("pool", "pool", first, "v1", lifecycle);
		AtomicBoolean running = new AtomicBoolean(true);
		AtomicLong borrowed = new AtomicLong();
		ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
		ExecutorService borrowers = Executors.newFixedThreadPool(16);
		for (int i = 0; i < 16; i++) {
			borrowers.execute(() -> {
				while (running.get()) {
					try {
						FakePool pool = generations.borrow(FakePool::borrow);
						Thread.onSpinWait();
						pool.giveBack();
						borrowed.incrementAndGet();
					}
					catch (Exception ex) {
						failures.add(ex.getMessage());
					}
				}
			});
		}
		List<CompletableFuture<RetireReport>> reports = new ArrayList<>();
		List<FakePool> pools = new ArrayList<>(List.of(first));
		Set<Long> numbers = new HashSet<>(Set.of(1L));
		for (int swap = 0; swap < 200; swap++) {
			generations.nextNumber();
			long number = generations.nextNumber();
			assertThat(numbers.add(number)).isTrue();
			FakePool next = new FakePool("pool-g" + number);
			pools.add(next);
			Snapshot<FakePool, String> live = generations.live();
			NewGenerationChange<FakePool, String> change = new NewGenerationChange<>(generations, live,
					new Snapshot<>(new Generation<>(number, next.name, next), "v" + number), "new pool", lifecycle,
					(pool) -> {
					});
			change.commit();
			reports.add(change.retire());
			Thread.sleep(2);
		}
		running.set(false);
		borrowers.shutdown();
		assertThat(borrowers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
		CompletableFuture.allOf(reports.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
		assertThat(failures).isEmpty();
		assertThat(borrowed.get()).isGreaterThan(1000);
		assertThat(reports).allSatisfy((report) -> assertThat(report.join().isClean()).isTrue());
		assertThat(pools.subList(0, pools.size() - 1)).allSatisfy((pool) -> assertThat(pool.closed).isTrue());
		assertThat(pools.get(pools.size() - 1).closed).isFalse();
		assertThat(lifecycle.borrowsFromClosedPools).hasValue(0);
		assertThat(generations.retiring()).isEmpty();
		generations.shutdown();
		assertThat(pools.get(pools.size() - 1).closed).isTrue();
	}

	@Test
	void rollingBackACommittedGenerationRetiresItOnceItsConnectionsAreBack() throws Exception {
		FakePools lifecycle = new FakePools(Duration.ofSeconds(5));
		FakePool first = new FakePool("pool");
		Generations<FakePool, String> generations = new Generations<>("pool", "pool", first, "v1", lifecycle);
		FakePool next = new FakePool("pool-g2");
		NewGenerationChange<FakePool, String> change = new NewGenerationChange<>(generations, generations.live(),
				new Snapshot<>(new Generation<>(generations.nextNumber(), next.name, next), "v2"), "new pool",
				lifecycle, (pool) -> {
				});
		change.commit();
		FakePool taken = generations.borrow(FakePool::borrow);
		assertThat(taken).isSameAs(next);
		change.rollback();
		assertThat(generations.instance()).isSameAs(first);
		Thread.sleep(300);
		assertThat(next.closed).as("closed while a connection is still borrowed").isFalse();
		taken.giveBack();
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (!next.closed && System.nanoTime() < deadline) {
			Thread.sleep(10);
		}
		assertThat(next.closed).isTrue();
		assertThat(first.closed).isFalse();
		assertThat(change.retire().join()).isEqualTo(RetireReport.NOTHING);
	}

	@Test
	void borrowersWaitingOnARetiredGenerationBorrowFromTheLiveOneAtOnce() throws Exception {
		FakePools lifecycle = new FakePools(Duration.ofSeconds(30));
		FakePool stuck = new FakePool("pool");
		stuck.blocked = true;
		Generations<FakePool, String> generations = new Generations<>("pool", "pool", stuck, "v1", lifecycle);
		int count = 8;
		ExecutorService borrowers = Executors.newFixedThreadPool(count);
		List<CompletableFuture<String>> borrowed = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			borrowed.add(CompletableFuture.supplyAsync(() -> {
				try {
					FakePool pool = generations.borrow(FakePool::borrow);
					// the interrupt that woke it is not left behind
					return pool.name + (Thread.currentThread().isInterrupted() ? " interrupted" : "");
				}
				catch (Exception ex) {
					return ex.toString();
				}
			}, borrowers));
		}
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
		while (stuck.waiting.get() < count && System.nanoTime() < deadline) {
			Thread.sleep(5);
		}
		assertThat(stuck.waiting).hasValue(count);
		FakePool next = new FakePool("pool-g2");
		NewGenerationChange<FakePool, String> change = new NewGenerationChange<>(generations, generations.live(),
				new Snapshot<>(new Generation<>(generations.nextNumber(), next.name, next), "v2"), "new pool",
				lifecycle, (pool) -> {
				});
		change.commit();
		long retiring = System.nanoTime();
		RetireReport report = change.retire().get(5, TimeUnit.SECONDS);
		CompletableFuture.allOf(borrowed.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
		long moved = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - retiring);
		assertThat(borrowed).allSatisfy((result) -> assertThat(result.join()).isEqualTo("pool-g2"));
		assertThat(moved).isLessThan(1000);
		assertThat(next.inUse).hasValue(count);
		assertThat(stuck.closed).isTrue();
		assertThat(report.isClean()).isTrue();
		borrowers.shutdown();
	}

	@Test
	void aRetiredPoolWhoseServerIsUnreachableClosesWithoutWaitingForItsConnections() throws Exception {
		FakePools lifecycle = new FakePools(Duration.ofSeconds(30));
		FakePool dead = new FakePool("pool");
		lifecycle.unreachable.add(dead);
		RetireReport report = retireHoldingOneConnection(dead, lifecycle);
		assertThat(dead.closed).isTrue();
		assertThat(report.duration()).isLessThan(Duration.ofSeconds(1));
		// lost with the server, not cut by the retirement
		assertThat(report.connectionsCut()).isZero();
		assertThat(report.isClean()).isTrue();
	}

	@Test
	void aRetiredPoolWhoseServerIsReachableWaitsForItsConnectionsUpToTheDrainTimeout() throws Exception {
		FakePools lifecycle = new FakePools(Duration.ofMillis(800));
		RetireReport report = retireHoldingOneConnection(new FakePool("pool"), lifecycle);
		assertThat(report.duration()).isGreaterThanOrEqualTo(Duration.ofMillis(800));
		assertThat(report.connectionsCut()).isEqualTo(1);
	}

	@Test
	void aRetiredPoolWhoseServerFellSilentClosesOnceItGivesNoAnswer() throws Exception {
		SilentRetirement retired = retireOnASilentServer(Duration.ofSeconds(30), Duration.ZERO);
		assertThat(retired.pool().closed).isTrue();
		// asked once nothing ended for a second, closed at its second non-answer in a row
		assertThat(retired.lifecycle().asked).hasValue(2);
		assertThat(retired.report().duration()).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(3));
		// lost with the server, not cut at the drain timeout
		assertThat(retired.report().connectionsCut()).isZero();
		assertThat(retired.report().isClean()).isTrue();
	}

	@Test
	void aRetiredPoolIsClosedAtItsDrainTimeoutWhileItsServerIsStillBeingAsked() throws Exception {
		// each ask takes 1.5 s, as a new connection to a silent server does up to the
		// validation timeout
		SilentRetirement retired = retireOnASilentServer(Duration.ofMillis(1800), Duration.ofMillis(1500));
		assertThat(retired.pool().closed).isTrue();
		// asked once nothing ended for a second; that ask was still under way at the
		// 1.8 s drain timeout, which closed the pool, not two asks of 1.5 s
		assertThat(retired.lifecycle().asked).hasValue(1);
		assertThat(retired.report().duration()).isBetween(Duration.ofMillis(1800), Duration.ofMillis(2500));
		assertThat(retired.report().connectionsCut()).isEqualTo(1);
		assertThat(retired.report().leaks()).isEmpty();
		assertThat(retired.report().error()).isNull();
	}

	@Test
	void aRetiredGenerationWhoseCommandsInFlightAreNeverAnsweredClosesOnceItsServerGivesNoAnswer() throws Exception {
		FakePools lifecycle = new FakePools(Duration.ofSeconds(30));
		FakePool silent = new FakePool("pool");
		Generations<FakePool, String> generations = new Generations<>("pool", "pool", silent, "v1", lifecycle);
		// uses counted in flight until they are done, as a Redis client's commands are:
		// one ends at 0.5 s, one never
		Generation<FakePool> first = generations.acquire();
		generations.acquire();
		lifecycle.silent.add(silent);
		NewGenerationChange<FakePool, String> change = nextGeneration(generations, lifecycle);
		change.commit();
		CompletableFuture<RetireReport> retired = change.retire();
		Thread.sleep(500);
		first.inFlight().release();
		RetireReport report = retired.get(10, TimeUnit.SECONDS);
		assertThat(silent.closed).isTrue();
		assertThat(lifecycle.asked).hasValue(2);
		// a second after the last use that ended
		assertThat(report.duration()).isBetween(Duration.ofMillis(1500), Duration.ofMillis(3500));
		assertThat(report.connectionsCut()).isZero();
	}

	@Test
	void aRetiredPoolWhoseServerAnswersWaitsForItsLongUsesAndAsksLessAndLessOften() throws Exception {
		FakePools lifecycle = new FakePools(Duration.ofSeconds(30));
		FakePool busy = new FakePool("pool");
		Generations<FakePool, String> generations = new Generations<>("pool", "pool", busy, "v1", lifecycle);
		FakePool held = generations.borrow(FakePool::borrow);
		NewGenerationChange<FakePool, String> change = nextGeneration(generations, lifecycle);
		change.commit();
		CompletableFuture<RetireReport> retired = change.retire();
		// a use that takes 4.5 s on a server that answers
		Thread.sleep(4500);
		assertThat(busy.closed).isFalse();
		held.giveBack();
		RetireReport report = retired.get(5, TimeUnit.SECONDS);
		assertThat(busy.closed).isTrue();
		assertThat(report.connectionsCut()).isZero();
		// asked after 1 s and 3 s without an end (1 + 2), not once a poll
		assertThat(lifecycle.asked).hasValue(2);
	}

	/**
	 * Retire a pool holding a connection that never comes back, on a server that does not
	 * answer.
	 */
	private static SilentRetirement retireOnASilentServer(Duration drainTimeout, Duration answerTime) throws Exception {
		FakePools lifecycle = new FakePools(drainTimeout);
		lifecycle.answerTime = answerTime;
		FakePool silent = new FakePool("pool");
		lifecycle.silent.add(silent);
		return new SilentRetirement(silent, lifecycle, retireHoldingOneConnection(silent, lifecycle));
	}

	private record SilentRetirement(FakePool pool, FakePools lifecycle, RetireReport report) {

	}

	/**
	 * Serve from the pool, borrow a connection and keep it, swap a new generation in and
	 * wait for the pool's retirement.
	 */
	private static RetireReport retireHoldingOneConnection(FakePool pool, FakePools lifecycle) throws Exception {
		Generations<FakePool, String> generations = new Generations<>("pool", "pool", pool, "v1", lifecycle);
		generations.borrow(FakePool::borrow);
		NewGenerationChange<FakePool, String> change = nextGeneration(generations, lifecycle);
		change.commit();
		return change.retire().get(10, TimeUnit.SECONDS);
	}

	private static NewGenerationChange<FakePool, String> nextGeneration(Generations<FakePool, String> generations,
			FakePools lifecycle) {
		FakePool next = new FakePool("pool-g2");
		return new NewGenerationChange<>(generations, generations.live(),
				new Snapshot<>(new Generation<>(generations.nextNumber(), next.name, next), "v2"), "new pool",
				lifecycle, (pool) -> {
				});
	}

	@Test
	void theLeakCheckOfARetiredPoolWaitsForItsThreadsWithoutStoppingTheOthers() throws Exception {
		FakePools lifecycle = new FakePools(Duration.ofSeconds(5));
		FakePool old = new FakePool("pool");
		Generations<FakePool, String> generations = new Generations<>("pool", "pool", old, "v1", lifecycle);
		// a thread of the old pool that ends a while after the pool is closed, as pool
		// threads do, so that the leak check looks at the threads several times
		CountDownLatch closed = new CountDownLatch(1);
		lifecycle.onClose = closed::countDown;
		Thread worker = new Thread(() -> {
			try {
				closed.await();
				Thread.sleep(300);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}, "pool:worker");
		worker.start();
		NewGenerationChange<FakePool, String> change = nextGeneration(generations, lifecycle);
		List<String> threadDumps = new ArrayList<>();
		RetireReport report;
		try (Recording recording = new Recording()) {
			recording.enable("jdk.ExecuteVMOperation").withThreshold(Duration.ZERO);
			recording.start();
			change.commit();
			report = change.retire().get(5, TimeUnit.SECONDS);
			recording.stop();
			Path file = Files.createTempFile("retirement", ".jfr");
			try {
				recording.dump(file);
				for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
					// the JIT's own housekeeping (a full inline-cache buffer) comes at
					// a safepoint requested by whichever thread runs code it patches
					if (event.getEventType().getName().equals("jdk.ExecuteVMOperation")
							&& event.getThread("caller") != null
							&& event.getThread("caller").getJavaName().startsWith("hotreload-retire-")
							&& !"ICBufferFull".equals(event.getString("operation"))) {
						threadDumps.add(event.getString("operation"));
					}
				}
			}
			finally {
				Files.deleteIfExists(file);
			}
		}
		// the leak check waited for the worker (nothing else took time), then found it
		// gone
		assertThat(report.duration()).isGreaterThanOrEqualTo(Duration.ofMillis(300));
		assertThat(report.isClean()).as(report.leaks().toString()).isTrue();
		worker.join(5_000);
		// no stop-the-world operation (a stack dump stops every thread) from the
		// retirement
		assertThat(threadDumps).isEmpty();
	}

	/**
	 * A pool that counts what it has lent and fails a borrow once closed.
	 */
	static final class FakePool {

		final String name;

		final AtomicInteger inUse = new AtomicInteger();

		final AtomicInteger waiting = new AtomicInteger();

		volatile boolean closed;

		/**
		 * Whether a borrow waits, as for a connection from a server that is gone, until
		 * it is interrupted.
		 */
		volatile boolean blocked;

		FakePool(String name) {
			this.name = name;
		}

		FakePool borrow() throws InterruptedException {
			if (this.blocked) {
				this.waiting.incrementAndGet();
				try {
					Thread.sleep(TimeUnit.SECONDS.toMillis(30));
				}
				finally {
					this.waiting.decrementAndGet();
				}
			}
			if (this.closed) {
				throw new IllegalStateException(this.name + " is closed");
			}
			this.inUse.incrementAndGet();
			return this;
		}

		void giveBack() {
			this.inUse.decrementAndGet();
		}

	}

	static final class FakePools implements PoolLifecycle<FakePool> {

		final AtomicInteger borrowsFromClosedPools = new AtomicInteger();

		final Set<FakePool> unreachable = ConcurrentHashMap.newKeySet();

		final Set<FakePool> silent = ConcurrentHashMap.newKeySet();

		final AtomicInteger asked = new AtomicInteger();

		/**
		 * How long an ask takes.
		 */
		volatile Duration answerTime = Duration.ZERO;

		volatile Runnable onClose = () -> {
		};

		private final Duration drainTimeout;

		FakePools(Duration drainTimeout) {
			this.drainTimeout = drainTimeout;
		}

		@Override
		public Duration drainTimeout() {
			return this.drainTimeout;
		}

		@Override
		public String drainTimeoutProperty() {
			return "test.drain-timeout";
		}

		@Override
		public int inUse(FakePool pool) {
			return pool.inUse.get();
		}

		@Override
		public boolean isDead(FakePool pool) {
			return this.unreachable.contains(pool);
		}

		@Override
		public boolean answers(FakePool pool) {
			this.asked.incrementAndGet();
			try {
				Thread.sleep(this.answerTime.toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("interrupted while asking", ex);
			}
			return !this.silent.contains(pool);
		}

		@Override
		public void close(FakePool pool) {
			pool.closed = true;
			this.onClose.run();
			if (pool.inUse.get() > 0) {
				this.borrowsFromClosedPools.incrementAndGet();
			}
		}

		@Override
		public boolean ownsThread(Generation<FakePool> generation, String threadName) {
			return threadName.startsWith(generation.name() + ":");
		}

	}

}

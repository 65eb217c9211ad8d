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

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import dev.hotreload.resource.Borrowers.Slot;
import org.jspecify.annotations.Nullable;

/**
 * The generations of one resource: the live one as a single {@link AtomicReference} to an
 * immutable {@link Snapshot} (the generation and the settings it serves), the numbers
 * handed out, and the generations still retiring.
 * <p>
 * A borrower goes through {@link #borrow(Borrow)}: it is counted on the live generation's
 * {@link InFlight} before it touches the pool, so that {@link #retire retirement}, which
 * closes the count before it closes the pool, never closes a pool a borrower is about to
 * use, and known by its thread, so that retirement moves a borrower waiting on the old
 * pool to the new one. That costs two atomic updates of a counter and two of the thread's
 * own slot (see {@link Borrowers}) beside the volatile read of the live snapshot; the
 * connections once borrowed are counted by the pool itself.
 *
 * @param <P> the type of the instance, such as a pool
 * @param <S> the type of the settings a snapshot carries
 * @author hotreload authors
 */
public final class Generations<P, S> {

	private final String resourceName;

	private final PoolLifecycle<P> lifecycle;

	private final AtomicReference<Snapshot<P, S>> live;

	/**
	 * The last generation number handed out, to an instance that serves or to a candidate
	 * that was rejected: never used twice.
	 */
	private final AtomicLong numbers = new AtomicLong(1);

	private final Set<Generation<P>> retiring = ConcurrentHashMap.newKeySet();

	private final Borrowers borrowers = new Borrowers();

	/**
	 * Start with the instance the application built, as generation 1.
	 * @param resourceName the resource's name, such as the bean name
	 * @param name the instance's name
	 * @param first the instance
	 * @param settings the settings it serves
	 * @param lifecycle how instances of its kind are retired
	 */
	public Generations(String resourceName, String name, P first, S settings, PoolLifecycle<P> lifecycle) {
		this(resourceName, new Generation<>(1, name, first), settings, lifecycle);
	}

	/**
	 * Start with a first generation built by the caller, such as one whose instance
	 * shares the generation's {@link InFlight} count.
	 * @param resourceName the resource's name, such as the bean name
	 * @param first the first generation, number 1
	 * @param settings the settings it serves
	 * @param lifecycle how instances of its kind are retired
	 */
	public Generations(String resourceName, Generation<P> first, S settings, PoolLifecycle<P> lifecycle) {
		this.resourceName = resourceName;
		this.lifecycle = lifecycle;
		this.live = new AtomicReference<>(new Snapshot<>(first, settings));
	}

	/**
	 * The live snapshot.
	 * @return the snapshot
	 */
	public Snapshot<P, S> live() {
		return this.live.get();
	}

	/**
	 * The live instance.
	 * @return the instance
	 */
	public P instance() {
		return this.live.get().generation().instance();
	}

	/**
	 * Hand out the next generation number, for a candidate: a number is never used twice,
	 * even when the candidate is rejected.
	 * @return the number
	 */
	public long nextNumber() {
		return this.numbers.incrementAndGet();
	}

	/**
	 * Borrow from the live instance, counted in flight while the borrow runs. A borrower
	 * that waits on a generation that retires meanwhile is moved (see {@link Borrowers}):
	 * its borrow there ends and it borrows once more from the generation that serves now,
	 * at once rather than when the old pool's connection timeout passes. So is a borrow
	 * that fails because its generation was cut at the drain timeout while it waited.
	 * @param <T> what is borrowed, such as a connection
	 * @param <E> what the borrow throws
	 * @param borrow borrows from an instance
	 * @return what was borrowed
	 * @throws E if the borrow fails
	 */
	public <T, E extends Exception> T borrow(Borrow<P, T, E> borrow) throws E {
		Slot slot = this.borrowers.slot();
		for (;;) {
			Generation<P> generation = enter(slot);
			boolean left = false;
			try {
				return borrow.from(generation.instance());
			}
			catch (Exception ex) {
				left = true;
				boolean moved = leave(slot, generation);
				if (!(moved || generation.inFlight().isClosed()) || this.live.get().generation() == generation) {
					throw ex;
				}
				// retired while this borrow waited on it: borrow from the one that serves
				// now, however many swaps came in between
			}
			finally {
				if (!left) {
					// moved or not: what it borrowed is counted by its pool
					leave(slot, generation);
				}
			}
		}
	}

	/**
	 * Count one use on the live generation, for a use that outlives the call that starts
	 * it (a connection handed out, a command not answered yet): the caller releases it on
	 * the generation's {@link Generation#inFlight() in-flight count} when it is done. A
	 * generation closed after a swap is skipped for its successor.
	 * @return the generation the use is counted on
	 * @throws IllegalStateException if the live generation is closed (the resource is
	 * shut down)
	 */
	public Generation<P> acquire() {
		return enter(null);
	}

	private Generation<P> enter(@Nullable Slot slot) {
		for (;;) {
			Generation<P> generation = this.live.get().generation();
			if (slot != null) {
				slot.enter(generation.inFlight());
			}
			if (generation.inFlight().acquire()) {
				return generation;
			}
			leave(slot, generation);
			if (this.live.get().generation() == generation) {
				throw new IllegalStateException("'" + this.resourceName + "' is closed");
			}
			// closed after a swap: the next read sees its successor
		}
	}

	/**
	 * Leave a borrow: the thread's slot first, so that nothing of it is seen once its
	 * count is released.
	 * @return whether the thread was moved
	 */
	private static boolean leave(@Nullable Slot slot, Generation<?> generation) {
		boolean moved = slot != null && slot.leave(generation.inFlight());
		generation.inFlight().release();
		return moved;
	}

	/**
	 * Make the next snapshot live if the live one is still the expected one.
	 * @param expected the snapshot the change was prepared from
	 * @param next the snapshot to serve
	 * @return whether it was swapped
	 */
	public boolean swap(Snapshot<P, S> expected, Snapshot<P, S> next) {
		return this.live.compareAndSet(expected, next);
	}

	/**
	 * The generations retiring.
	 * @return the generations, in no order
	 */
	public List<Generation<P>> retiring() {
		return new ArrayList<>(this.retiring);
	}

	/**
	 * Retire a generation that no longer serves, on a daemon thread named
	 * {@code hotreload-retire-<instance name>}: move the borrowers waiting on it to the
	 * live generation, wait for the connections borrowed, up to the
	 * {@link PoolLifecycle#drainTimeout() drain timeout} or until its server is known
	 * {@link PoolLifecycle#isDead dead}, or found silent: uses under way of which none
	 * ended for a second, and a server that does not {@link PoolLifecycle#answers answer}
	 * (asked again after 2, 4, 8 s while that lasts). Then close the instance and check
	 * that none of its threads and connections outlive it.
	 * @param old the generation
	 * @return the report, once closed
	 * @see PoolLifecycle#drainTimeout()
	 */
	public CompletableFuture<RetireReport> retire(Generation<P> old) {
		this.retiring.add(old);
		return Retirement
			.inBackground(this.resourceName, old, this.lifecycle, () -> this.borrowers.move(old.inFlight()))
			.whenComplete((report, ex) -> this.retiring.remove(old));
	}

	/**
	 * Describe the resource for the endpoint: the live instance under {@code pool} and
	 * the retiring ones under {@code retiring}, added to the given details, with the
	 * state {@code SERVING}, or {@code RETIRING} while an old instance retires.
	 * @param type the resource's type, such as {@code jdbc}
	 * @param details what the resource adds first, such as where its settings come from
	 * @param live describes the live snapshot; must never include a secret
	 * @param retiring describes a retiring instance; must never include a secret
	 * @return the descriptor, whose details the resource may add to
	 */
	public ResourceDescriptor describe(String type, Map<String, Object> details,
			Function<Snapshot<P, S>, Map<String, Object>> live, Function<P, Map<String, Object>> retiring) {
		Snapshot<P, S> snapshot = this.live.get();
		details.put("pool", live.apply(snapshot));
		List<Generation<P>> old = retiring();
		details.put("retiring", old.stream().map((generation) -> retiring.apply(generation.instance())).toList());
		return new ResourceDescriptor(this.resourceName, type, snapshot.generation().number(),
				old.isEmpty() ? "SERVING" : "RETIRING", details);
	}

	/**
	 * Close the live generation and every retiring one at once, when the application
	 * context closes. Idempotent.
	 */
	public void shutdown() {
		for (Generation<P> generation : retiring()) {
			close(generation);
		}
		close(this.live.get().generation());
	}

	private void close(Generation<P> generation) {
		generation.inFlight().closeNow();
		try {
			this.lifecycle.close(generation.instance());
		}
		catch (Exception ex) {
			// closing at shutdown: nothing serves any more
		}
	}

	/**
	 * What one generation serves: the generation and the settings it was built from or
	 * changed to in place. Immutable; an in-place change makes a new snapshot of the same
	 * generation.
	 *
	 * @param <P> the type of the instance
	 * @param <S> the type of the settings
	 * @param generation the generation
	 * @param settings the settings it serves
	 */
	public record Snapshot<P, S>(Generation<P> generation, S settings) {

		/**
		 * The instance that serves.
		 * @return the instance
		 */
		public P instance() {
			return this.generation.instance();
		}

		/**
		 * The same generation with other settings, after an in-place change.
		 * @param settings the settings
		 * @return the snapshot
		 */
		public Snapshot<P, S> with(S settings) {
			return new Snapshot<>(this.generation, settings);
		}

	}

	/**
	 * Borrows from an instance.
	 *
	 * @param <P> the type of the instance
	 * @param <T> what is borrowed
	 * @param <E> what the borrow throws
	 */
	@FunctionalInterface
	public interface Borrow<P, T, E extends Exception> {

		/**
		 * Borrow from the instance.
		 * @param instance the instance
		 * @return what was borrowed
		 * @throws E if the borrow fails
		 */
		T from(P instance) throws E;

	}

}

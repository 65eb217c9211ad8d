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

import java.lang.ref.WeakReference;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;

/**
 * The threads inside a borrow of one resource, so that a retiring generation can wake the
 * ones that wait on it, such as threads in the queue of a pool whose server is gone, and
 * send them to the generation that serves now (see {@link Generations#borrow}).
 * <p>
 * Each thread has a {@link Slot} of its own, found through a thread local and registered
 * once: entering and leaving a borrow writes that slot only, so a borrow costs a
 * thread-local lookup and two uncontended atomic writes. A waiting thread is woken with
 * an interrupt, the one thing that wakes a thread waiting in a pool's queue; the
 * interrupt is cleared when the thread leaves the borrow. Slots of threads that ended are
 * dropped as new threads register.
 *
 * @author hotreload authors
 */
final class Borrowers {

	private static final int FIRST_PURGE = 64;

	private final ThreadLocal<Slot> slots = ThreadLocal.withInitial(this::register);

	private final Set<Slot> registered = ConcurrentHashMap.newKeySet();

	private final AtomicInteger purgeAt = new AtomicInteger(FIRST_PURGE);

	/**
	 * The current thread's slot, or {@code null} if the thread is inside a borrow of this
	 * resource already (its inner borrow is counted but cannot be moved).
	 */
	@Nullable Slot slot() {
		Slot slot = this.slots.get();
		return (slot.get() == null) ? slot : null;
	}

	/**
	 * Wake the threads inside a borrow on the generation with the given in-flight count.
	 * @param on the in-flight count of the retiring generation
	 * @return the threads woken
	 */
	int move(InFlight on) {
		int moved = 0;
		for (Slot slot : this.registered) {
			Thread thread = slot.thread.get();
			if (thread != null && slot.compareAndSet(on, Slot.MOVING)) {
				thread.interrupt();
				slot.set(Slot.MOVED);
				moved++;
			}
		}
		return moved;
	}

	private Slot register() {
		Slot slot = new Slot(Thread.currentThread());
		this.registered.add(slot);
		int size = this.registered.size();
		int purgeAt = this.purgeAt.get();
		if (size >= purgeAt && this.purgeAt.compareAndSet(purgeAt, Integer.MAX_VALUE)) {
			this.registered.removeIf((each) -> {
				Thread thread = each.thread.get();
				return thread == null || !thread.isAlive();
			});
			this.purgeAt.set(Math.max(FIRST_PURGE, 2 * this.registered.size()));
		}
		return slot;
	}

	/**
	 * What one thread is doing: {@code null} outside a borrow, the {@link InFlight} of
	 * the generation it borrows from, or being moved.
	 */
	static final class Slot extends AtomicReference<@Nullable Object> {

		private static final Object MOVING = new Object();

		private static final Object MOVED = new Object();

		private final WeakReference<Thread> thread;

		private Slot(Thread thread) {
			this.thread = new WeakReference<>(thread);
		}

		/**
		 * Enter a borrow on the generation with the given in-flight count, before it is
		 * counted there, so that whoever closes the count finds the thread.
		 */
		void enter(InFlight on) {
			set(on);
		}

		/**
		 * Leave the borrow.
		 * @return whether the thread was moved while it borrowed; its interrupt is then
		 * cleared
		 */
		boolean leave(InFlight on) {
			if (compareAndSet(on, null)) {
				return false;
			}
			// being moved: wait for the interrupt to land, then clear it
			while (get() == MOVING) {
				Thread.onSpinWait();
			}
			Thread.interrupted();
			set(null);
			return true;
		}

	}

}

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

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Bounded, thread-safe ring of the latest reloads, optionally backed by a
 * {@link JsonLinesHistoryStore} so that it survives a restart. Each entry lists at most
 * {@link #DEFAULT_CHANGED_KEYS_LIMIT} changed keys (its {@code changedKeyCount} counts
 * them all), so that a reload of a config with thousands of keys does not fill memory,
 * the file or the endpoint's answer.
 *
 * @author hotreload authors
 */
public final class ReloadHistory {

	/**
	 * Most changed keys an entry lists by default.
	 */
	public static final int DEFAULT_CHANGED_KEYS_LIMIT = 100;

	private final int size;

	private final int changedKeysLimit;

	private final @Nullable JsonLinesHistoryStore store;

	private final ReentrantLock lock = new ReentrantLock();

	private final Deque<HistoryEntry> entries = new ArrayDeque<>();

	private final AtomicLong lastId = new AtomicLong();

	private final long loadedUpTo;

	public ReloadHistory(int size) {
		this(size, null);
	}

	public ReloadHistory(int size, @Nullable JsonLinesHistoryStore store) {
		this(size, DEFAULT_CHANGED_KEYS_LIMIT, store);
	}

	public ReloadHistory(int size, int changedKeysLimit, @Nullable JsonLinesHistoryStore store) {
		Assert.isTrue(size > 0, "hotreload.history.size must be positive");
		Assert.isTrue(changedKeysLimit >= 0, "hotreload.history.changed-keys-limit must not be negative");
		this.size = size;
		this.changedKeysLimit = changedKeysLimit;
		this.store = store;
		if (store != null) {
			List<HistoryEntry> loaded = store.load(size);
			for (HistoryEntry entry : loaded) {
				this.entries.addLast(entry);
				this.lastId.accumulateAndGet(entry.id(), Math::max);
			}
		}
		this.loadedUpTo = this.lastId.get();
	}

	/**
	 * Whether an entry was made by this process, rather than read back from the history
	 * file at startup.
	 * @param entry the entry
	 * @return whether this process made it
	 */
	public boolean isFromThisProcess(HistoryEntry entry) {
		return entry.id() > this.loadedUpTo;
	}

	/**
	 * Return the id for the next entry.
	 * @return a new id
	 */
	public long nextId() {
		return this.lastId.incrementAndGet();
	}

	/**
	 * Record a new entry.
	 * @param entry the entry
	 * @return the entry as recorded, with at most the changed-keys limit of keys listed
	 */
	public HistoryEntry record(HistoryEntry entry) {
		HistoryEntry recorded = entry.withChangedKeysLimit(this.changedKeysLimit);
		this.lock.lock();
		try {
			this.entries.addLast(recorded);
			while (this.entries.size() > this.size) {
				this.entries.removeFirst();
			}
		}
		finally {
			this.lock.unlock();
		}
		persist(recorded);
		return recorded;
	}

	/**
	 * Update an entry that is still in the ring, such as when a resource finishes
	 * retiring.
	 * @param id the entry's id
	 * @param update the update
	 * @return the updated entry, or empty if it is no longer in the ring
	 */
	public Optional<HistoryEntry> update(long id, UnaryOperator<HistoryEntry> update) {
		HistoryEntry updated = null;
		this.lock.lock();
		try {
			List<HistoryEntry> copy = new ArrayList<>(this.entries);
			for (int i = 0; i < copy.size(); i++) {
				if (copy.get(i).id() == id) {
					updated = update.apply(copy.get(i));
					copy.set(i, updated);
					this.entries.clear();
					this.entries.addAll(copy);
					break;
				}
			}
		}
		finally {
			this.lock.unlock();
		}
		if (updated != null) {
			persist(updated);
		}
		return Optional.ofNullable(updated);
	}

	/**
	 * Return the entries, newest first.
	 * @return the entries
	 */
	public List<HistoryEntry> entries() {
		this.lock.lock();
		try {
			List<HistoryEntry> result = new ArrayList<>(this.entries.size());
			Iterator<HistoryEntry> iterator = this.entries.descendingIterator();
			iterator.forEachRemaining(result::add);
			return result;
		}
		finally {
			this.lock.unlock();
		}
	}

	private void persist(HistoryEntry entry) {
		JsonLinesHistoryStore store = this.store;
		if (store != null) {
			store.append(entry, this.size, this::oldestFirst);
		}
	}

	private List<HistoryEntry> oldestFirst() {
		this.lock.lock();
		try {
			return new ArrayList<>(this.entries);
		}
		finally {
			this.lock.unlock();
		}
	}

}

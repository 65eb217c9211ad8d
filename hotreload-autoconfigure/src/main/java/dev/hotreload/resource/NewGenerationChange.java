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

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import dev.hotreload.resource.Generations.Snapshot;
import org.jspecify.annotations.Nullable;

/**
 * A validated new generation beside the live one: committing swaps it in atomically,
 * retiring drains and closes the one it replaced. Rolling back a commit swaps the
 * previous generation back and retires the new one gracefully, since borrowers may have
 * taken connections from it since the commit; rolling back an uncommitted change closes
 * the candidate.
 *
 * @param <P> the type of the instance
 * @param <S> the type of the settings
 * @author hotreload authors
 */
public final class NewGenerationChange<P, S> implements PreparedChange {

	private final Generations<P, S> generations;

	private final Snapshot<P, S> previous;

	private final Snapshot<P, S> next;

	private final String description;

	private final PoolLifecycle<P> lifecycle;

	private final Consumer<P> serving;

	private final AtomicBoolean committed = new AtomicBoolean();

	private final AtomicBoolean rolledBack = new AtomicBoolean();

	private final AtomicBoolean retired = new AtomicBoolean();

	/**
	 * Create a change.
	 * @param generations the resource's generations
	 * @param previous the live snapshot the candidate was prepared from
	 * @param next the candidate's snapshot, its instance started and validated
	 * @param description what committing does, never a secret, such as {@code new pool
	 * dataSource-g3 (jdbc:postgresql://db/orders)}
	 * @param lifecycle closes the candidate when it is discarded
	 * @param serving told of the instance that serves after a commit or a rollback, such
	 * as meters that follow the live pool
	 */
	public NewGenerationChange(Generations<P, S> generations, Snapshot<P, S> previous, Snapshot<P, S> next,
			String description, PoolLifecycle<P> lifecycle, Consumer<P> serving) {
		this.generations = generations;
		this.previous = previous;
		this.next = next;
		this.description = description;
		this.lifecycle = lifecycle;
		this.serving = serving;
	}

	/**
	 * Describe a new pool for its change: what it connects to, and how many connections
	 * it held once it was started and filled, after how long (what the change's
	 * validation took for the pool).
	 * @param name the pool's name, such as {@code dataSource-g3}
	 * @param maskedUrl its url, secrets masked
	 * @param connections the connections it held when it was ready
	 * @param startNanos when its start began, from {@link System#nanoTime()}
	 * @return such as {@code new pool dataSource-g3 (jdbc:postgresql://db/orders), ready
	 * with 5 connection(s) after 142 ms}
	 */
	public static String newPool(String name, @Nullable String maskedUrl, int connections, long startNanos) {
		return "new pool " + name + " (" + maskedUrl + "), ready with " + connections + " connection(s) after "
				+ TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos) + " ms";
	}

	@Override
	public String description() {
		return this.description;
	}

	@Override
	public long generation() {
		return this.next.generation().number();
	}

	@Override
	public void commit() {
		if (!this.generations.swap(this.previous, this.next)) {
			throw new IllegalStateException("the live " + this.previous.generation().name()
					+ " changed while the new one was prepared; reload again");
		}
		this.committed.set(true);
		this.serving.accept(this.next.instance());
	}

	@Override
	public void rollback() {
		if (!this.rolledBack.compareAndSet(false, true)) {
			return;
		}
		if (this.committed.get() && this.generations.swap(this.next, this.previous)) {
			this.serving.accept(this.previous.instance());
			// borrowers may have taken connections from it since the commit: let them
			// finish
			this.generations.retire(this.next.generation());
		}
		else {
			this.next.generation().inFlight().closeNow();
			try {
				this.lifecycle.close(this.next.instance());
			}
			catch (Exception ex) {
				// a candidate that never served
			}
		}
	}

	@Override
	public CompletableFuture<RetireReport> retire() {
		if (!this.committed.get() || this.rolledBack.get() || !this.retired.compareAndSet(false, true)) {
			return CompletableFuture.completedFuture(RetireReport.NOTHING);
		}
		return this.generations.retire(this.previous.generation());
	}

}

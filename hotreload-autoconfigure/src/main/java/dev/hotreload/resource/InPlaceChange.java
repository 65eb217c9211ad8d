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

import dev.hotreload.resource.Generations.Snapshot;

/**
 * Settings changed on the live instance itself, such as a pool's size: committing applies
 * them and makes a snapshot of the same generation with them, rolling back applies the
 * previous ones again. Nothing is retired.
 *
 * @param <P> the type of the instance
 * @param <S> the type of the settings
 * @author hotreload authors
 */
public final class InPlaceChange<P, S> implements PreparedChange {

	private final Generations<P, S> generations;

	private final Snapshot<P, S> previous;

	private final S settings;

	private final String description;

	private final Applier<P, S> applier;

	private volatile boolean committed;

	/**
	 * Create a change.
	 * @param generations the resource's generations
	 * @param previous the live snapshot
	 * @param settings the settings to apply
	 * @param description what committing does, never a secret, such as {@code in place on
	 * dataSource (maximumPoolSize)}
	 * @param applier applies settings to the live instance
	 */
	public InPlaceChange(Generations<P, S> generations, Snapshot<P, S> previous, S settings, String description,
			Applier<P, S> applier) {
		this.generations = generations;
		this.previous = previous;
		this.settings = settings;
		this.description = description;
		this.applier = applier;
	}

	@Override
	public String description() {
		return this.description;
	}

	@Override
	public long generation() {
		return this.previous.generation().number();
	}

	@Override
	public void commit() throws Exception {
		Snapshot<P, S> next = this.previous.with(this.settings);
		if (!this.generations.swap(this.previous, next)) {
			throw new IllegalStateException("the live " + this.previous.generation().name()
					+ " changed while this change was prepared; reload again");
		}
		this.committed = true;
		try {
			this.applier.apply(this.previous.instance(), this.settings, this.previous.settings());
		}
		catch (Exception ex) {
			rollback();
			throw ex;
		}
	}

	@Override
	public void rollback() {
		if (!this.committed) {
			return;
		}
		this.committed = false;
		Snapshot<P, S> current = this.generations.live();
		try {
			this.applier.apply(this.previous.instance(), this.previous.settings(), this.settings);
		}
		catch (Exception ex) {
			throw new IllegalStateException("restoring the settings of " + this.previous.generation().name()
					+ " failed: " + ErrorMessages.of(ex), ex);
		}
		finally {
			this.generations.swap(current, this.previous);
		}
	}

	/**
	 * Applies settings to a live instance.
	 *
	 * @param <P> the type of the instance
	 * @param <S> the type of the settings
	 */
	@FunctionalInterface
	public interface Applier<P, S> {

		/**
		 * Apply the target settings to the instance, which serves the current ones.
		 * @param instance the live instance
		 * @param target the settings to apply
		 * @param current the settings it serves now
		 * @throws Exception if they cannot be applied
		 */
		void apply(P instance, S target, S current) throws Exception;

	}

}

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

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;

/**
 * Decides, for one resource, whether a reload touches it: only when the resource's
 * {@link EffectiveSettings effective settings} differ from those it was last reconciled
 * with. Tracks what the resource serves and what the environment configures, which differ
 * after a change was rejected from a source that had already changed the environment
 * (Spring Cloud's refresh): such a change is not tried again by later, unrelated reloads,
 * and {@link #describe(Map)} says why the resource does not serve it.
 *
 * @author hotreload authors
 */
public final class SettingsTracker {

	private final AtomicReference<State> state;

	/**
	 * Track a resource built from the given settings.
	 * @param initial the settings the live instance was built from
	 */
	public SettingsTracker(EffectiveSettings initial) {
		this.state = new AtomicReference<>(new State(initial, initial, null));
	}

	/**
	 * Prepare a change when the settings differ from the last reconciled ones.
	 * @param context the reload
	 * @param next the settings in the candidate environment
	 * @param preparer builds and validates the candidate; returns {@code null} when the
	 * live instance already serves the settings
	 * @return the change, or {@code null} if the resource is left alone
	 * @throws Exception if the preparer fails
	 */
	public @Nullable PreparedChange prepare(ReloadContext context, EffectiveSettings next, Preparer preparer)
			throws Exception {
		State current = this.state.get();
		if (next.equals(current.configured())) {
			return null;
		}
		PreparedChange change;
		try {
			change = preparer.prepare();
		}
		catch (Exception ex) {
			notApplied(context, current, next, ex.getMessage());
			throw ex;
		}
		if (change == null) {
			this.state.set(new State(next, next, null));
			return null;
		}
		return new TrackedChange(change, context, current, next);
	}

	/**
	 * Return the keys and inputs that differ between the given settings and the last
	 * reconciled ones.
	 * @param next the settings in the candidate environment
	 * @return the names, sorted
	 */
	public Set<String> differences(EffectiveSettings next) {
		return this.state.get().configured().differences(next);
	}

	/**
	 * Add what the environment configures but the resource does not serve, if anything.
	 * @param details the resource's details for the endpoint
	 */
	public void describe(Map<String, Object> details) {
		State current = this.state.get();
		if (current.reason() != null) {
			Map<String, Object> pending = new LinkedHashMap<>();
			pending.put("keys", current.served().differences(current.configured()));
			pending.put("reason", current.reason());
			details.put("notServed", pending);
		}
	}

	private void notApplied(ReloadContext context, State current, EffectiveSettings next, @Nullable String reason) {
		if (context.environmentChanged()) {
			// the environment keeps the change whatever happens: remember it, so that
			// later reloads do not try it again, and say why it is not served
			String sanitized = context.secrets().sanitize(reason);
			this.state.set(new State(next, current.served(), (sanitized != null) ? sanitized : "rejected"));
		}
	}

	/**
	 * Builds and validates a candidate.
	 */
	@FunctionalInterface
	public interface Preparer {

		/**
		 * Build and validate the candidate.
		 * @return the change, or {@code null} if the live instance already serves the
		 * settings
		 * @throws Exception if the candidate cannot be built or fails validation
		 */
		@Nullable PreparedChange prepare() throws Exception;

	}

	private record State(EffectiveSettings configured, EffectiveSettings served, @Nullable String reason) {

	}

	/**
	 * A change that records the settings once committed and restores them when rolled
	 * back.
	 */
	private final class TrackedChange implements PreparedChange {

		private final PreparedChange delegate;

		private final ReloadContext context;

		private final State previous;

		private final EffectiveSettings next;

		private volatile boolean committed;

		TrackedChange(PreparedChange delegate, ReloadContext context, State previous, EffectiveSettings next) {
			this.delegate = delegate;
			this.context = context;
			this.previous = previous;
			this.next = next;
		}

		@Override
		public String description() {
			return this.delegate.description();
		}

		@Override
		public long generation() {
			return this.delegate.generation();
		}

		@Override
		public void commit() throws Exception {
			this.delegate.commit();
			this.committed = true;
			SettingsTracker.this.state.set(new State(this.next, this.next, null));
		}

		@Override
		public void rollback() {
			try {
				this.delegate.rollback();
			}
			finally {
				if (this.committed) {
					SettingsTracker.this.state.set(this.previous);
					this.committed = false;
				}
				if (!this.context.dryRun()) {
					notApplied(this.context, this.previous, this.next,
							"the reload was rejected or rolled back as a whole");
				}
			}
		}

		@Override
		public CompletableFuture<RetireReport> retire() {
			return this.delegate.retire();
		}

	}

}

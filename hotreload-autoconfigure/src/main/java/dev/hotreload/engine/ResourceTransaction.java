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

package dev.hotreload.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import dev.hotreload.history.ResourceResult;
import dev.hotreload.history.ResourceResult.State;
import dev.hotreload.resource.PreparedChange;
import dev.hotreload.resource.ReloadContext;
import dev.hotreload.resource.ReloadableResource;
import dev.hotreload.resource.RetireReport;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The resource stage of a reload, as a transaction: prepares every resource at once,
 * commits them in order, rolls the committed ones back in reverse when one cannot swap,
 * and retires the old instances of a committed change whatever happens after the commit.
 * Keeps the reload's {@link ResourceResult} of each resource up to date.
 *
 * @author hotreload authors
 */
final class ResourceTransaction {

	private static final Log logger = LogFactory.getLog(ReloadEngine.class);

	private final List<ReloadableResource> resources;

	private final ExecutorService preparer;

	private final Reload reload;

	private final Map<ReloadableResource, PreparedChange> prepared = new LinkedHashMap<>();

	private final Map<ReloadableResource, PreparedChange> committed = new LinkedHashMap<>();

	ResourceTransaction(List<ReloadableResource> resources, ExecutorService preparer, Reload reload) {
		this.resources = resources;
		this.preparer = preparer;
		this.reload = reload;
	}

	/**
	 * Prepare every resource at once, so that a change to a DataSource and a Redis client
	 * takes as long as the slower of the two. Each resource bounds its own validation
	 * with its timeout. When one fails, the others' candidates are discarded.
	 * @param context the change and the candidate environment
	 * @return why the first resource that failed did, naming it, or {@code null}
	 */
	@Nullable String prepare(ReloadContext context) {
		List<CompletableFuture<@Nullable PreparedChange>> preparing = prepareAll(context);
		String failure = null;
		for (int i = 0; i < this.resources.size(); i++) {
			ReloadableResource resource = this.resources.get(i);
			try {
				PreparedChange change = preparing.get(i).join();
				if (change != null) {
					this.prepared.put(resource, change);
					this.reload.results()
						.add(ResourceResult.of(resource.name(), resource.type(), change.description(),
								change.generation(), State.VALIDATED, null));
				}
			}
			catch (RuntimeException ex) {
				String message = Reload.message(ex);
				this.reload.results()
					.add(ResourceResult.of(resource.name(), resource.type(), "validate",
							resource.describe().generation(), State.FAILED, message));
				if (failure == null) {
					failure = resource.type() + " resource '" + resource.name() + "': " + message;
				}
			}
		}
		if (failure != null) {
			discard();
		}
		return failure;
	}

	private List<CompletableFuture<@Nullable PreparedChange>> prepareAll(ReloadContext context) {
		List<CompletableFuture<@Nullable PreparedChange>> futures = new ArrayList<>(this.resources.size());
		for (ReloadableResource resource : this.resources) {
			Supplier<@Nullable PreparedChange> prepare = () -> {
				long start = System.nanoTime();
				try {
					PreparedChange change = resource.prepare(context);
					if (logger.isDebugEnabled()) {
						logger.debug("Prepared " + resource.type() + " resource '" + resource.name() + "' in "
								+ TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms: "
								+ ((change != null) ? change.description() : "no change"));
					}
					return change;
				}
				catch (Exception ex) {
					throw new CompletionException(ex);
				}
			};
			futures.add((this.resources.size() == 1)
					? CompletableFuture.completedFuture(null).thenApply((none) -> prepare.get())
					: CompletableFuture.supplyAsync(prepare, this.preparer));
		}
		CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).exceptionally((ex) -> null).join();
		return futures;
	}

	/**
	 * Throw the prepared candidates away: a dry run, or another resource failed.
	 */
	void discard() {
		this.prepared.values().forEach(this::rollbackQuietly);
		if (!this.reload.request().dryRun()) {
			this.reload.results()
				.replaceAll(
						(result) -> (result.state() == State.VALIDATED) ? result.withState(State.DISCARDED) : result);
		}
	}

	/**
	 * Commit every prepared change in order; when one fails, roll back those committed in
	 * reverse, then the others, and undo the environment.
	 * @param undoEnvironment puts the previous property sources back
	 * @return why a resource could not swap, naming it, or {@code null} once all swapped
	 */
	@Nullable String commit(Runnable undoEnvironment) {
		List<PreparedChange> done = new ArrayList<>();
		for (Map.Entry<ReloadableResource, PreparedChange> change : this.prepared.entrySet()) {
			try {
				change.getValue().commit();
				done.add(change.getValue());
			}
			catch (Exception ex) {
				List<String> failedRollbacks = new ArrayList<>();
				for (int i = done.size() - 1; i >= 0; i--) {
					if (!rollbackQuietly(done.get(i))) {
						failedRollbacks.add(done.get(i).description());
					}
				}
				this.prepared.values().forEach(this::rollbackQuietly);
				undoEnvironment.run();
				markAll(State.ROLLED_BACK);
				markRollbackFailures(failedRollbacks);
				return change.getKey().type() + " resource '" + change.getKey().name() + "': " + Reload.message(ex);
			}
		}
		markAll(State.RETIRING);
		// committed: whatever happens from here, the old instances retire
		this.committed.putAll(this.prepared);
		return null;
	}

	void markAll(State state) {
		this.reload.results().replaceAll((result) -> result.withState(state));
	}

	private void markRollbackFailures(List<String> failed) {
		this.prepared.forEach((resource, change) -> {
			if (failed.contains(change.description())) {
				this.reload.results()
					.replaceAll((result) -> result.name().equals(resource.name())
							? new ResourceResult(result.name(), result.type(), result.action(), result.generation(),
									State.ROLLBACK_FAILED, null, 0, List.of(), "rollback failed; restart the instance")
							: result);
			}
		});
	}

	/**
	 * Retire, in the background, the old instances of every committed change; each
	 * updates the reload's history entry when it is closed.
	 * @param recorder records the outcome of each retirement
	 */
	void retireCommitted(ReloadRecorder recorder) {
		this.committed.forEach((resource, change) -> {
			CompletableFuture<RetireReport> retiring;
			try {
				retiring = change.retire();
			}
			catch (RuntimeException ex) {
				retiring = CompletableFuture.failedFuture(ex);
			}
			ReloadObservation child = this.reload.observation().retire(resource.name());
			retiring.whenComplete((report, failure) -> {
				RetireReport result = (report != null) ? report
						: new RetireReport(Duration.ZERO, 0, List.of(), "retire failed: " + Reload.message(failure));
				recorder.retired(this.reload.id(), resource, result, child, this.reload.secrets());
			});
		});
	}

	private boolean rollbackQuietly(PreparedChange change) {
		try {
			change.rollback();
			return true;
		}
		catch (RuntimeException ex) {
			logger.warn("Rolling back '" + change.description() + "' failed", this.reload.secrets().sanitize(ex));
			return false;
		}
	}

}

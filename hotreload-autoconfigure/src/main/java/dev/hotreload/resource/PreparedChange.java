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

/**
 * A validated candidate for one resource, waiting to be committed or rolled back.
 *
 * @author hotreload authors
 */
public interface PreparedChange {

	/**
	 * What committing does, such as "new pool dataSource-g3
	 * (jdbc:postgresql://db/orders), ready with 6 connection(s) after 152 ms" or "in
	 * place on dataSource (maximumPoolSize)". Must never include a secret.
	 * @return the description
	 */
	String description();

	/**
	 * The resource's generation once committed.
	 * @return the generation
	 */
	long generation();

	/**
	 * Swap the candidate in. Must be quick and must not block on I/O.
	 * @throws Exception if the swap fails; the engine then rolls back every change
	 */
	void commit() throws Exception;

	/**
	 * Discard the candidate; if it was committed, swap the previous instance back in
	 * first. Idempotent.
	 */
	void rollback();

	/**
	 * Drain and close what the commit replaced, in the background. Called once after a
	 * successful commit of the whole change.
	 * @return a future that completes when the old instance is closed
	 */
	default CompletableFuture<RetireReport> retire() {
		return CompletableFuture.completedFuture(RetireReport.NOTHING);
	}

}

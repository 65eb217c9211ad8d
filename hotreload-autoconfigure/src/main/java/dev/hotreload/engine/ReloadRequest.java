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

import java.util.List;
import java.util.Set;

import dev.hotreload.source.ConfigContent;
import dev.hotreload.source.ReloadTrigger;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * A request to reload.
 *
 * @param sources names of the sources to read; empty for every source
 * @param trigger what asked for it
 * @param dryRun whether to validate only
 * @param expectedDigest apply only if the (single) source's content has this digest
 * @param external for a change a source has already made to the environment (as Spring
 * Cloud's refresh has), which source made it and the keys it changed: no source is read,
 * only resources follow
 * @param content for a change pushed by one source, the content it delivered with the
 * change: it is applied instead of reading the source again (content that had not settled
 * once the source confirms it, see {@link ConfigContent#settled()})
 * @author hotreload authors
 */
public record ReloadRequest(List<String> sources, ReloadTrigger trigger, boolean dryRun,
		@Nullable String expectedDigest, @Nullable ExternalChange external, @Nullable ConfigContent content) {

	public ReloadRequest {
		sources = List.copyOf(sources);
		Assert.isTrue(content == null || sources.size() == 1, "Pushed content needs exactly one source");
	}

	/**
	 * A request that reads its sources.
	 * @param sources names of the sources to read; empty for every source
	 * @param trigger what asked for it
	 * @param dryRun whether to validate only
	 * @param expectedDigest apply only if the (single) source's content has this digest
	 * @param external for a change a source has already made to the environment, which
	 * source made it and the keys it changed
	 */
	public ReloadRequest(List<String> sources, ReloadTrigger trigger, boolean dryRun, @Nullable String expectedDigest,
			@Nullable ExternalChange external) {
		this(sources, trigger, dryRun, expectedDigest, external, null);
	}

	/**
	 * A change pushed by one source.
	 * @param source the source's name
	 * @param trigger the trigger
	 * @return the request
	 */
	public static ReloadRequest pushed(String source, ReloadTrigger trigger) {
		return new ReloadRequest(List.of(source), trigger, false, null, null, null);
	}

	/**
	 * A change pushed by one source together with its new content, which is applied
	 * without reading the source again.
	 * @param source the source's name
	 * @param trigger the trigger
	 * @param content the content the source delivered
	 * @return the request
	 */
	public static ReloadRequest pushed(String source, ReloadTrigger trigger, ConfigContent content) {
		return new ReloadRequest(List.of(source), trigger, false, null, null, content);
	}

	/**
	 * Keys a source has already changed in the environment (Spring Cloud's refresh): only
	 * the resources follow.
	 * @param source the name of what changed the environment, as the history shows it
	 * @param trigger the trigger
	 * @param keys the changed keys
	 * @return the request
	 */
	public static ReloadRequest external(String source, ReloadTrigger trigger, Set<String> keys) {
		return new ReloadRequest(List.of(), trigger, false, null, new ExternalChange(source, keys));
	}

	/**
	 * Whether this request may share a pending reload of the same sources: it is a plain
	 * reload of the newest content.
	 * @return whether the request may be coalesced
	 */
	boolean isCoalescable() {
		return !this.dryRun && this.expectedDigest == null && this.external == null;
	}

	/**
	 * A change a source has already made to the environment.
	 *
	 * @param source the name of what changed the environment
	 * @param keys the keys it changed
	 */
	public record ExternalChange(String source, Set<String> keys) {

		public ExternalChange {
			keys = Set.copyOf(keys);
		}

	}

}

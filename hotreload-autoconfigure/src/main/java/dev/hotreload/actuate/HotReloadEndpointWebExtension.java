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

package dev.hotreload.actuate;

import dev.hotreload.actuate.HotReloadEndpoint.Result;
import dev.hotreload.actuate.HotReloadEndpoint.RunningReload;
import dev.hotreload.history.HistoryEntry;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;

/**
 * {@link EndpointWebExtension @EndpointWebExtension} of {@link HotReloadEndpoint}: the
 * HTTP status follows the outcome of a reload, so that {@code curl -f} and deploy scripts
 * can tell a rejected change from an applied one.
 * <ul>
 * <li>{@code 200}: {@code APPLIED}, {@code NO_CHANGE}, {@code VALIDATED}</li>
 * <li>{@code 422}: {@code REJECTED}, the content cannot be applied as it is (it does not
 * parse, a resource cannot validate it, its digest is not the expected one or the source
 * could not be read)</li>
 * <li>{@code 409}: {@code VERSION_MISMATCH} and {@code ROLLED_BACK}, the content
 * conflicts with the running instance (its build version, or a live resource that refused
 * the swap)</li>
 * <li>{@code 404}: the request names a source that does not exist</li>
 * <li>{@code 202}: the reload was still running when {@code hotreload.request-timeout}
 * passed; the body holds its id, to read at {@code history/{id}}</li>
 * </ul>
 * Every answer but {@code 202} has the reload's history entry as its body.
 *
 * @author hotreload authors
 */
@EndpointWebExtension(endpoint = HotReloadEndpoint.class)
public class HotReloadEndpointWebExtension {

	/**
	 * Status of a reload that was still running when the request stopped waiting.
	 */
	static final int STATUS_ACCEPTED = 202;

	/**
	 * Status of a reload whose content cannot be applied.
	 */
	static final int STATUS_UNPROCESSABLE_CONTENT = 422;

	/**
	 * Status of a reload whose content conflicts with the running instance.
	 */
	static final int STATUS_CONFLICT = 409;

	private final HotReloadEndpoint delegate;

	public HotReloadEndpointWebExtension(HotReloadEndpoint delegate) {
		this.delegate = delegate;
	}

	@WriteOperation
	public WebEndpointResponse<Object> reload(@Nullable String source, @Nullable Boolean dryRun,
			@Nullable String expectedDigest, SecurityContext securityContext) {
		Result result = this.delegate.reloadAndWait(source, dryRun, expectedDigest, securityContext);
		if (result instanceof Result.StillRunning running) {
			return new WebEndpointResponse<>(running.running(), STATUS_ACCEPTED);
		}
		Result.Completed completed = (Result.Completed) result;
		return new WebEndpointResponse<>(completed.entry(), status(completed));
	}

	@ReadOperation
	public WebEndpointResponse<Object> historyEntry(@Selector String part, @Selector long id,
			SecurityContext securityContext) {
		HistoryEntry entry = this.delegate.historyEntry(part, id, securityContext);
		if (entry != null) {
			return new WebEndpointResponse<>(entry, WebEndpointResponse.STATUS_OK);
		}
		if ("history".equals(part) && this.delegate.isRunning(id)) {
			return new WebEndpointResponse<>(new RunningReload(id, "RUNNING", "Reload #" + id + " is still running"),
					STATUS_ACCEPTED);
		}
		return new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
	}

	private static int status(Result.Completed completed) {
		if (completed.unknownSource()) {
			return WebEndpointResponse.STATUS_NOT_FOUND;
		}
		return switch (completed.entry().outcome()) {
			case APPLIED, NO_CHANGE, VALIDATED -> WebEndpointResponse.STATUS_OK;
			case REJECTED -> STATUS_UNPROCESSABLE_CONTENT;
			case VERSION_MISMATCH, ROLLED_BACK -> STATUS_CONFLICT;
		};
	}

}

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

import org.jspecify.annotations.Nullable;

/**
 * Something that must be rebuilt when its keys change, such as a connection pool. The
 * engine prepares every resource before it commits any, so that a change touching several
 * resources applies all or nothing.
 *
 * @author hotreload authors
 */
public interface ReloadableResource {

	/**
	 * Unique name, usually the bean name.
	 * @return the name
	 */
	String name();

	/**
	 * Short type, such as {@code jdbc} or {@code redis}.
	 * @return the type
	 */
	String type();

	/**
	 * Build and validate a candidate from the candidate environment, without touching the
	 * live instance.
	 * @param context the change and the candidate environment
	 * @return the prepared change, or {@code null} if the resource's config did not
	 * change
	 * @throws Exception if the candidate cannot be built or fails validation; the message
	 * should say why in words a person can act on
	 */
	@Nullable PreparedChange prepare(ReloadContext context) throws Exception;

	/**
	 * Describe the live state for the endpoint. Must never include a secret.
	 * @return the description
	 */
	ResourceDescriptor describe();

}

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

import org.springframework.context.ApplicationEvent;

/**
 * Published by a resource when the server refused the credentials of a new physical
 * connection (PostgreSQL {@code 28P01}/{@code 28000}, MySQL and MariaDB {@code 1045},
 * Redis {@code WRONGPASS}/{@code NOAUTH}): the password may have been changed on the
 * server before it was changed in the config, and the sources are worth reading again.
 *
 * @author hotreload authors
 */
public class CredentialsRejectedEvent extends ApplicationEvent {

	private final String resource;

	private final String reason;

	/**
	 * Create an event.
	 * @param source the resource that saw the refusal
	 * @param resource the resource's name, such as {@code dataSource}
	 * @param reason the server's reason, with no secret in it
	 */
	public CredentialsRejectedEvent(Object source, String resource, String reason) {
		super(source);
		this.resource = resource;
		this.reason = reason;
	}

	/**
	 * The name of the resource that saw the refusal.
	 * @return the resource's name
	 */
	public String getResource() {
		return this.resource;
	}

	/**
	 * The server's reason.
	 * @return the reason, with no secret in it
	 */
	public String getReason() {
		return this.reason;
	}

}

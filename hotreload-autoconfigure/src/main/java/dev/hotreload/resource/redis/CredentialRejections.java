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

package dev.hotreload.resource.redis;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import dev.hotreload.resource.CredentialsRejectedEvent;
import dev.hotreload.support.SecretSanitizer;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.event.connection.ReconnectFailedEvent;
import io.lettuce.core.resource.ClientResources;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;

import org.springframework.context.ApplicationEventPublisher;

/**
 * Tells the application when a Redis server refuses the credentials of a new connection
 * or of a reconnect ({@code WRONGPASS}, {@code NOAUTH}): it publishes a
 * {@link CredentialsRejectedEvent}, so that the engine reads the sources again in case
 * the password was changed on the server before it was changed in the config. A refused
 * reconnect is seen as a {@link ReconnectFailedEvent} on the event bus of the client
 * resources the clients run on; a refused new connection as the failure of
 * {@code getConnection()}.
 *
 * @author hotreload authors
 */
final class CredentialRejections {

	private static final String[] REFUSALS = { "WRONGPASS", "NOAUTH", "ERR invalid password" };

	private final String name;

	private final Object source;

	private final @Nullable ApplicationEventPublisher publisher;

	private final Supplier<SecretSanitizer> secrets;

	private final Map<ClientResources, Disposable> followed = new ConcurrentHashMap<>();

	/**
	 * Create the rejections of one resource.
	 * @param name the resource name
	 * @param source the resource, the events' source
	 * @param publisher publishes the events, {@code null} to publish none
	 * @param secrets masks the secrets of the environment in a reason
	 */
	CredentialRejections(String name, Object source, @Nullable ApplicationEventPublisher publisher,
			Supplier<SecretSanitizer> secrets) {
		this.name = name;
		this.source = source;
		this.publisher = publisher;
		this.secrets = secrets;
	}

	/**
	 * Follow the reconnects of the clients on the given resources. Idempotent.
	 * @param resources the client resources
	 */
	void follow(ClientResources resources) {
		if (this.publisher == null) {
			return;
		}
		this.followed.computeIfAbsent(resources,
				(followed) -> followed.eventBus()
					.get()
					.ofType(ReconnectFailedEvent.class)
					.subscribe((event) -> check(event.getCause())));
	}

	/**
	 * Publish an event if a failure is the server refusing the credentials.
	 * @param failure the failure of a connect
	 * @return whether it was a refusal
	 */
	boolean check(@Nullable Throwable failure) {
		String refusal = refusal(failure);
		ApplicationEventPublisher publisher = this.publisher;
		if (refusal == null || publisher == null) {
			return false;
		}
		String reason = this.secrets.get().sanitize(refusal);
		publisher.publishEvent(new CredentialsRejectedEvent(this.source, this.name, (reason != null) ? reason : ""));
		return true;
	}

	/**
	 * The server's refusal of the credentials in a failure's causes.
	 * @param failure the failure
	 * @return the server's message, or {@code null} if the credentials were not refused
	 */
	static @Nullable String refusal(@Nullable Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			String message = cause.getMessage();
			if (cause instanceof RedisCommandExecutionException && message != null) {
				for (String refusal : REFUSALS) {
					if (message.startsWith(refusal)) {
						return message.trim();
					}
				}
			}
			if (cause.getCause() == cause) {
				break;
			}
		}
		return null;
	}

	/**
	 * Stop following every client resources. Idempotent.
	 */
	void close() {
		this.followed.values().forEach(Disposable::dispose);
		this.followed.clear();
	}

}

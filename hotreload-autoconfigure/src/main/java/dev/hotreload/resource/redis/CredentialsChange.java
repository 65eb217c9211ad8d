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

import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;

import dev.hotreload.resource.EffectiveSettings;
import dev.hotreload.resource.PreparedChange;
import io.lettuce.core.RedisCredentials;

import org.springframework.boot.context.properties.bind.Binder;

/**
 * A change of a Redis client's credentials only, applied in place: the client's
 * {@link LiveRedisCredentials} serve the new ones, its open connections re-authenticate
 * and new connections use them; the generation stays the same. Rolling back serves the
 * previous credentials again.
 *
 * @author hotreload authors
 */
final class CredentialsChange implements PreparedChange {

	private static final String PREFIX = RedisConnectionSettings.PREFIX;

	/**
	 * The input that stands for the user-info of {@code spring.data.redis.url}, which is
	 * compared apart from the rest of the URL.
	 */
	static final String URL_USER_INFO = PREFIX + ".url.user-info";

	private static final Set<String> CREDENTIALS = Set.of(PREFIX + ".username", PREFIX + ".password", URL_USER_INFO,
			"details.username", "details.password");

	private final String description;

	private final long generation;

	private final LiveRedisCredentials live;

	private final RedisCredentials next;

	private final BooleanSupplier stillLive;

	private volatile RedisCredentials previous;

	private volatile boolean committed;

	/**
	 * Create a change.
	 * @param on the client's name and generation, such as
	 * {@code redisConnectionFactory-g1}
	 * @param generation the generation number, which stays the same
	 * @param keys the keys that changed
	 * @param live the credentials the live client serves
	 * @param next the credentials to serve, already checked on a connection of their own
	 * @param stillLive whether the client is still the live one at commit
	 */
	CredentialsChange(String on, long generation, Set<String> keys, LiveRedisCredentials live, RedisCredentials next,
			BooleanSupplier stillLive) {
		this.description = "in place on " + on + " (" + String.join(", ", names(keys))
				+ " changed; open connections re-authenticate)";
		this.generation = generation;
		this.live = live;
		this.next = next;
		this.stillLive = stillLive;
		this.previous = live.resolveCredentialsNow();
	}

	/**
	 * Whether only credentials changed.
	 * @param keys the keys and inputs that changed
	 * @return whether every one is a user name or a password
	 */
	static boolean onlyCredentials(Set<String> keys) {
		return !keys.isEmpty() && CREDENTIALS.containsAll(keys);
	}

	/**
	 * The settings with the user-info of {@code spring.data.redis.url} as an input of its
	 * own, so that a URL that differs only in its credentials is a credential change.
	 * @param settings the settings read from the binder
	 * @param binder the binder over the environment
	 * @return the settings
	 */
	static EffectiveSettings splitUrl(EffectiveSettings settings, Binder binder) {
		String url = binder.bind(PREFIX + ".url", String.class).orElse(null);
		if (url == null) {
			return settings;
		}
		int start = url.indexOf("://") + 3;
		int at = url.lastIndexOf('@');
		if (start < 3 || at < start) {
			return settings;
		}
		return settings.without(PREFIX + ".url")
			.and(PREFIX + ".url", url.substring(0, start) + url.substring(at + 1))
			.and(URL_USER_INFO, url.substring(start, at));
	}

	private static List<String> names(Set<String> keys) {
		return keys.stream()
			.map((key) -> key.startsWith(PREFIX + ".") ? key.substring(PREFIX.length() + 1) : key)
			.sorted()
			.toList();
	}

	@Override
	public String description() {
		return this.description;
	}

	@Override
	public long generation() {
		return this.generation;
	}

	@Override
	public void commit() {
		if (!this.stillLive.getAsBoolean()) {
			throw new IllegalStateException(
					"the live Redis client changed while this reload was prepared; reload again");
		}
		this.previous = this.live.resolveCredentialsNow();
		this.live.set(this.next);
		this.committed = true;
	}

	@Override
	public void rollback() {
		if (this.committed) {
			this.committed = false;
			this.live.set(this.previous);
		}
	}

	@Override
	public String toString() {
		return this.description;
	}

}

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

import java.util.concurrent.atomic.AtomicReference;

import io.lettuce.core.RedisCredentials;
import io.lettuce.core.RedisCredentialsProvider;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisConfiguration;
import org.springframework.data.redis.connection.lettuce.RedisCredentialsProviderFactory;

/**
 * Gives one Lettuce connection factory {@link LiveRedisCredentials}, starting from the
 * user name and password of its configuration (as Spring Data Redis applies them), so
 * that a rotation changes them in place. Sentinels keep their own static credentials.
 *
 * @author hotreload authors
 */
final class LiveCredentialsProviderFactory implements RedisCredentialsProviderFactory {

	private final AtomicReference<@Nullable LiveRedisCredentials> credentials = new AtomicReference<>();

	@Override
	public RedisCredentialsProvider createCredentialsProvider(RedisConfiguration configuration) {
		LiveRedisCredentials live = this.credentials.get();
		if (live != null) {
			// the client is built again (a stop and start): keep what is served now
			return live;
		}
		RedisCredentials initial = (configuration instanceof RedisConfiguration.WithAuthentication authentication)
				? LiveRedisCredentials.of(authentication.getUsername(),
						authentication.getPassword().toOptional().orElse(null))
				: LiveRedisCredentials.of(null, null);
		this.credentials.compareAndSet(null, new LiveRedisCredentials(initial));
		return this.credentials.get();
	}

	/**
	 * The credentials of the factory's client, once it has been built.
	 * @return the credentials, or {@code null} before the client exists
	 */
	@Nullable LiveRedisCredentials credentials() {
		return this.credentials.get();
	}

}

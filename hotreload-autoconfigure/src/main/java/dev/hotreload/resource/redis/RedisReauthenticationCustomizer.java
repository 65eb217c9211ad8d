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

import io.lettuce.core.ClientOptions;
import io.lettuce.core.protocol.ProtocolVersion;

import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.core.Ordered;

/**
 * Makes the Lettuce clients Spring Boot builds send {@code AUTH} on their open
 * connections when their credentials change
 * ({@link ClientOptions.ReauthenticateBehavior#ON_NEW_CREDENTIALS}). It runs last, to see
 * the protocol the other customizers chose: with RESP2 configured explicitly Lettuce
 * refuses to open pub/sub connections for a client that re-authenticates, so such a
 * client is left as it is, and a credential change builds a new client.
 *
 * @author hotreload authors
 */
public final class RedisReauthenticationCustomizer implements LettuceClientOptionsBuilderCustomizer, Ordered {

	@Override
	public void customize(ClientOptions.Builder builder) {
		if (builder.build().getConfiguredProtocolVersion() != ProtocolVersion.RESP2) {
			builder.reauthenticateBehavior(ClientOptions.ReauthenticateBehavior.ON_NEW_CREDENTIALS);
		}
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

}

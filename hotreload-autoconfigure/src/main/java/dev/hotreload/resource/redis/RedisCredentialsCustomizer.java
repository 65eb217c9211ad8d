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

import org.springframework.boot.data.redis.autoconfigure.LettuceClientConfigurationBuilderCustomizer;
import org.springframework.core.Ordered;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration.LettuceClientConfigurationBuilder;

/**
 * Gives every Lettuce client that Spring Boot builds credentials that hotreload can
 * rotate in place (a {@code RedisCredentialsProviderFactory} serving live credentials).
 * It runs first, so an application's own customizer that sets a credentials provider
 * factory wins; a credential change of such a client builds a new client instead.
 *
 * @author hotreload authors
 */
public final class RedisCredentialsCustomizer implements LettuceClientConfigurationBuilderCustomizer, Ordered {

	@Override
	public void customize(LettuceClientConfigurationBuilder builder) {
		builder.redisCredentialsProviderFactory(new LiveCredentialsProviderFactory());
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

}

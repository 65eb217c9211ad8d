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

import dev.hotreload.history.ReloadOutcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.listener.ReactiveRedisMessageListenerContainer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@link ReactiveRedisMessageListenerContainer} cannot be moved to a new client: the
 * retirement of the old client says so loudly, naming the container and what to do.
 */
@ExtendWith(OutputCaptureExtension.class)
class ReactiveListenerContainerWarningTests extends AbstractRedisReloadTests {

	@Test
	void retiringAClientWarnsAboutReactiveListenerContainers(CapturedOutput output) throws Exception {
		try (RedisReloadTestApplication app = RedisReloadTestApplication.start(configA(),
				Map.of("hotreload.redis.drain-timeout", "1s"), ReactiveListenerConfiguration.class)) {
			assertThat(app.reload(configB()).outcome()).isEqualTo(ReloadOutcome.APPLIED);
			assertThat(app.awaitRetired(15_000)).isTrue();
			assertThat(output).contains("WARN")
				.contains("ReactiveRedisMessageListenerContainer bean(s) [reactiveListenerContainer]")
				.contains("cannot be moved to the new Redis client of 'redisConnectionFactory'")
				.contains("subscribe again on error");
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class ReactiveListenerConfiguration {

		@Bean
		ReactiveRedisMessageListenerContainer reactiveListenerContainer(ReactiveRedisConnectionFactory factory) {
			return new ReactiveRedisMessageListenerContainer(factory);
		}

	}

}

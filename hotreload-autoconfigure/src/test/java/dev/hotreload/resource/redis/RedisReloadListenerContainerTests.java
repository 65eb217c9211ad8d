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

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.hotreload.history.ReloadOutcome;
import dev.hotreload.history.ResourceResult;
import org.junit.jupiter.api.Test;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pub/sub through a {@link RedisMessageListenerContainer} follows the swap: the container
 * is re-subscribed on the new server, and its old subscription does not hold the retired
 * client open.
 *
 * @author hotreload authors
 */
class RedisReloadListenerContainerTests extends AbstractRedisReloadTests {

	static final String CHANNEL = "hotreload-test-channel";

	@Test
	void resubscribesListenerContainersOnTheNewServer() throws Exception {
		try (RedisReloadTestApplication app = RedisReloadTestApplication.start(configA(), Map.of(),
				ListenerConfiguration.class)) {
			BlockingQueue<String> received = app.bean(ListenerConfiguration.class).received;
			String channel = CHANNEL + "-" + this.run;
			RedisMessageListenerContainer container = app.bean(RedisMessageListenerContainer.class);
			assertThat(container.getConnectionFactory()).isSameAs(app.factory().getCurrentFactory());
			awaitDelivery(RedisTestServer.DEFAULT_PORT, null, channel, "on A", received);

			assertThat(app.reload(configB()).outcome()).isEqualTo(ReloadOutcome.APPLIED);
			assertThat(app.awaitRetired(15_000)).isTrue();
			assertThat(retiredResults(app)).singleElement().satisfies((result) -> {
				assertThat(result.state()).isEqualTo(ResourceResult.State.RETIRED);
				assertThat(result.connectionsCut()).isZero();
			});
			assertThat(container.getConnectionFactory()).isSameAs(app.factory().getCurrentFactory());
			assertThat(container.isRunning()).isTrue();
			awaitDelivery(second.port(), PASSWORD, channel, "on B", received);
			assertThat(RedisTestServer.clientsNamed(RedisTestServer.DEFAULT_PORT, null, this.clientName)).isEmpty();
		}
	}

	private void awaitDelivery(int port, String password, String channel, String message,
			BlockingQueue<String> received) throws InterruptedException {
		// the subscription may take a moment: publish until it is heard
		long deadline = System.currentTimeMillis() + 10_000;
		while (System.currentTimeMillis() < deadline) {
			RedisTestServer.cli(port, password, "PUBLISH", channel, message);
			String got = received.poll(200, TimeUnit.MILLISECONDS);
			if (message.equals(got)) {
				received.clear();
				return;
			}
		}
		throw new AssertionError("'" + message + "' was not received on " + channel);
	}

	@Configuration(proxyBeanMethods = false)
	static class ListenerConfiguration {

		final BlockingQueue<String> received = new LinkedBlockingQueue<>();

		@Bean
		RedisMessageListenerContainer testListenerContainer(RedisConnectionFactory connectionFactory,
				org.springframework.core.env.Environment environment) {
			RedisMessageListenerContainer container = new RedisMessageListenerContainer();
			container.setConnectionFactory(connectionFactory);
			String clientName = environment.getProperty("spring.data.redis.client-name");
			String run = clientName.substring(clientName.lastIndexOf('-') + 1);
			container.addMessageListener(
					(message, pattern) -> this.received.add(new String(message.getBody(), StandardCharsets.UTF_8)),
					new ChannelTopic(CHANNEL + "-" + run));
			return container;
		}

	}

}

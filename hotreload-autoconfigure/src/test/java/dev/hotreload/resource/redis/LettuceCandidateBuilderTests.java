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

import java.beans.PropertyDescriptor;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.BeanUtils;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientConfigurationBuilderCustomizer;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.util.ReflectionUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link LettuceCandidateBuilder}: candidates are built by Spring Boot's own
 * configuration from the candidate keys, with the application's customizers and client
 * resources. Building does not connect.
 *
 * @author hotreload authors
 */
@ExtendWith(OutputCaptureExtension.class)
class LettuceCandidateBuilderTests {

	@Test
	void buildsStandaloneFactoryFromTheCandidateKeysWithTheApplicationsCustomizersAndResources() {
		ClientResources resources = DefaultClientResources.create();
		try (AnnotationConfigApplicationContext application = new AnnotationConfigApplicationContext()) {
			application.registerBean(ClientResources.class, () -> resources);
			application.registerBean(LettuceClientConfigurationBuilderCustomizer.class,
					() -> (builder) -> builder.clientName("from-customizer"));
			application.refresh();
			RedisGeneration generation = build(application, Map.of("spring.data.redis.host", "redis.example",
					"spring.data.redis.port", "6380", "spring.data.redis.database", "4"));
			try {
				LettuceConnectionFactory factory = generation.factory();
				assertThat(generation.target()).isEqualTo("redis.example:6380/4");
				assertThat(generation.number()).isEqualTo(2);
				assertThat(factory.getClientName()).isEqualTo("from-customizer");
				assertThat(factory.getClientResources()).isSameAs(resources);
				assertThat(generation.ownedResources()).as("shared resources are not owned").isNull();
			}
			finally {
				generation.destroy();
			}
		}
		finally {
			resources.shutdown();
		}
	}

	@Test
	void laterCandidatesStartFromTheProcessedConfigurationAndStillFollowTheirOwnKeys() {
		ClientResources resources = DefaultClientResources.create();
		try (AnnotationConfigApplicationContext application = new AnnotationConfigApplicationContext()) {
			application.registerBean(ClientResources.class, () -> resources);
			AtomicInteger customized = new AtomicInteger();
			application.registerBean(LettuceClientConfigurationBuilderCustomizer.class,
					() -> (builder) -> builder.clientName("from-customizer-" + customized.incrementAndGet()));
			application.refresh();
			LettuceCandidateBuilder builder = new LettuceCandidateBuilder(application.getBeanFactory());
			for (int i = 1; i <= 3; i++) {
				RedisGeneration generation = builder.build(
						new Binder(new MapConfigurationPropertySource(Map.of("spring.data.redis.host", "redis" + i,
								"spring.data.redis.port", String.valueOf(6380 + i), "spring.data.redis.database",
								String.valueOf(i), "spring.data.redis.timeout", i + "s"))),
						"redisConnectionFactory", i + 1, new LettuceConnectionFactory());
				try {
					assertThat(generation.target()).isEqualTo("redis" + i + ":" + (6380 + i) + "/" + i);
					assertThat(generation.factory().getClientName()).isEqualTo("from-customizer-" + i);
					assertThat(generation.factory().getTimeout()).isEqualTo(i * 1000L);
					assertThat(generation.factory().getClientResources()).isSameAs(resources);
					assertThat(generation.ownedResources()).isNull();
				}
				finally {
					generation.destroy();
				}
			}
		}
		finally {
			resources.shutdown();
		}
	}

	@Test
	void aChangedConditionInputIsProcessedAgain() {
		try (AnnotationConfigApplicationContext application = new AnnotationConfigApplicationContext()) {
			application.refresh();
			LettuceCandidateBuilder builder = new LettuceCandidateBuilder(application.getBeanFactory());
			builder
				.build(new Binder(new MapConfigurationPropertySource(Map.of("spring.data.redis.port", "6380"))),
						"redisConnectionFactory", 2, new LettuceConnectionFactory())
				.destroy();
			assertThatIllegalStateException()
				.isThrownBy(() -> builder.build(
						new Binder(new MapConfigurationPropertySource(
								Map.of("spring.data.redis.port", "6380", "spring.data.redis.client-type", "jedis"))),
						"redisConnectionFactory", 3, new LettuceConnectionFactory()))
				.withMessageContaining("Lettuce client only");
			RedisGeneration lettuce = builder.build(
					new Binder(new MapConfigurationPropertySource(
							Map.of("spring.data.redis.port", "6381", "spring.data.redis.client-type", "lettuce"))),
					"redisConnectionFactory", 4, new LettuceConnectionFactory());
			try {
				assertThat(lettuce.target()).isEqualTo("localhost:6381/0");
			}
			finally {
				lettuce.destroy();
			}
		}
	}

	@Test
	void buildsSentinelAndClusterFactoriesFromIndexedNodes() {
		try (AnnotationConfigApplicationContext application = new AnnotationConfigApplicationContext()) {
			application.refresh();
			RedisGeneration sentinel = build(application,
					Map.of("spring.data.redis.sentinel.master", "mymaster", "spring.data.redis.sentinel.nodes[0]",
							"10.0.0.1:26379", "spring.data.redis.sentinel.nodes[1]", "10.0.0.2:26379"));
			try {
				assertThat(sentinel.factory().isRedisSentinelAware()).isTrue();
				assertThat(sentinel.factory().getSentinelConfiguration().getSentinels()).hasSize(2);
				assertThat(sentinel.target()).startsWith("sentinel mymaster@");
				assertThat(sentinel.ownedResources()).as("resources created for the candidate alone").isNotNull();
			}
			finally {
				sentinel.destroy();
			}
			assertThat(sentinel.ownedResources().eventExecutorGroup().isShuttingDown()).isTrue();
			RedisGeneration cluster = build(application,
					Map.of("spring.data.redis.cluster.nodes", "10.0.0.1:7000,10.0.0.2:7000,10.0.0.3:7000"));
			try {
				assertThat(cluster.factory().isClusterAware()).isTrue();
				assertThat(cluster.factory().getClusterConfiguration().getClusterNodes()).hasSize(3);
			}
			finally {
				cluster.destroy();
			}
		}
	}

	@Test
	void refusesJedis() {
		try (AnnotationConfigApplicationContext application = new AnnotationConfigApplicationContext()) {
			application.refresh();
			assertThatIllegalStateException()
				.isThrownBy(() -> build(application, Map.of("spring.data.redis.client-type", "jedis")))
				.withMessageContaining("Lettuce client only");
		}
	}

	@Test
	void refusesAnInvalidUrlWithoutQuotingIt(CapturedOutput output) {
		try (AnnotationConfigApplicationContext application = new AnnotationConfigApplicationContext()) {
			application.refresh();
			assertThatIllegalArgumentException().isThrownBy(
					() -> build(application, Map.of("spring.data.redis.url", "redis://u:UrlSecret4242@bad host:6379")))
				.withMessageContaining("spring.data.redis.url is not a valid URL")
				.withMessageNotContaining("UrlSecret4242");
			assertThatIllegalArgumentException()
				.isThrownBy(
						() -> build(application, Map.of("spring.data.redis.url", "http://u:UrlSecret4242@cache:6379")))
				.withMessageContaining("must start with redis:// or rediss://")
				.withMessageNotContaining("UrlSecret4242");
		}
		assertThat(output.getAll()).doesNotContain("UrlSecret4242");
	}

	@Test
	void candidatesLeaveTheApplicationsReflectionCachesAlone() throws Exception {
		ClientResources resources = DefaultClientResources.create();
		try (AnnotationConfigApplicationContext application = new AnnotationConfigApplicationContext()) {
			application.registerBean(ClientResources.class, () -> resources);
			application.refresh();
			Method method = ReflectionUtils.getDeclaredMethods(Settings.class)[0];
			PropertyDescriptor descriptor = BeanUtils.getPropertyDescriptor(Settings.class, "hosts");
			LettuceCandidateBuilder builder = new LettuceCandidateBuilder(application.getBeanFactory());
			// the first candidate processes Boot's configuration, the second starts from
			// its bean definitions; both are closed as a retired client is
			for (int i = 1; i <= 2; i++) {
				builder
					.build(new Binder(new MapConfigurationPropertySource(Map.of("spring.data.redis.port", "638" + i))),
							"redisConnectionFactory", i + 1, new LettuceConnectionFactory())
					.destroy();
			}
			// cached, the same Method and PropertyDescriptor objects are handed out again
			assertThat(ReflectionUtils.getDeclaredMethods(Settings.class)[0]).isSameAs(method);
			assertThat(BeanUtils.getPropertyDescriptor(Settings.class, "hosts")).isSameAs(descriptor);
		}
		finally {
			resources.shutdown();
		}
	}

	private static RedisGeneration build(AnnotationConfigApplicationContext application,
			Map<String, String> properties) {
		Binder binder = new Binder(new MapConfigurationPropertySource(properties));
		return new LettuceCandidateBuilder(application.getBeanFactory()).build(binder, "redisConnectionFactory", 2,
				new LettuceConnectionFactory());
	}

	static class Settings {

		private List<String> hosts = new ArrayList<>();

		public List<String> getHosts() {
			return this.hosts;
		}

		public void setHosts(List<String> hosts) {
			this.hosts = hosts;
		}

	}

}

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

package dev.hotreload.alibaba;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import com.alibaba.cloud.nacos.NacosConfigManager;
import com.alibaba.cloud.nacos.NacosConfigProperties;
import dev.hotreload.history.HistoryEntry;
import dev.hotreload.history.ReloadHistory;
import dev.hotreload.history.ReloadOutcome;
import dev.hotreload.source.nacos.NacosConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The starter beside spring-cloud-starter-alibaba-nacos-config: the application loads its
 * config with {@code spring.config.import=nacos:...}, spring-cloud-alibaba listens and
 * refreshes, and hotreload's Spring Cloud bridge rebuilds the DataSource. Nacos is in
 * memory, handed to spring-cloud-alibaba through its own {@link NacosConfigManager}.
 *
 * @author hotreload authors
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SpringCloudAlibabaBridgeTests {

	private static final String GROUP = "DEFAULT_GROUP";

	private static final Duration WAIT = Duration.ofSeconds(20);

	private static final InMemoryNacos nacos = new InMemoryNacos();

	private static ConfigurableApplicationContext context;

	@BeforeAll
	static void start() {
		nacos.publishConfig("orders.yaml", GROUP,
				"spring:\n  datasource:\n    url: jdbc:h2:mem:first;DB_CLOSE_DELAY=-1\norders:\n  greeting: hello\n");
		context = new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
			.addBootstrapRegistryInitializer((registry) -> registry.register(NacosConfigManager.class,
					(bootstrap) -> new InMemoryNacosConfigManager(new NacosConfigProperties(), nacos)))
			.run("--spring.config.import=nacos:orders.yaml?group=" + GROUP + "&refreshEnabled=true",
					"--spring.cloud.nacos.config.server-addr=127.0.0.1:1",
					"--hotreload.datasource.validation-timeout=2s");
	}

	@AfterAll
	static void stop() {
		if (context != null) {
			context.close();
		}
	}

	@Test
	@Order(1)
	void startsFromTheImportedDataIdWithTheNativeSourceOff() throws Exception {
		assertThat(context.getEnvironment().getProperty("orders.greeting")).isEqualTo("hello");
		assertThat(url()).startsWith("jdbc:h2:mem:first");
		assertThat(context.getBeansOfType(NacosConnection.class)).isEmpty();
		assertThat(nacos.listenerCount()).isEqualTo(1);
	}

	@Test
	@Order(2)
	void changePublishedInNacosRebuildsTheDataSourceWhileQueriesKeepSucceeding() throws Exception {
		DataSource dataSource = context.getBean(DataSource.class);
		AtomicBoolean running = new AtomicBoolean(true);
		AtomicInteger succeeded = new AtomicInteger();
		List<Throwable> failures = new CopyOnWriteArrayList<>();
		List<Thread> clients = new ArrayList<>();
		for (int i = 0; i < 2; i++) {
			Thread client = new Thread(() -> {
				while (running.get()) {
					try (Connection connection = dataSource.getConnection();
							Statement statement = connection.createStatement();
							ResultSet result = statement.executeQuery("SELECT 1")) {
						result.next();
						succeeded.incrementAndGet();
					}
					catch (Throwable ex) {
						failures.add(ex);
					}
				}
			}, "sca-test-client-" + i);
			client.start();
			clients.add(client);
		}
		try {
			await().atMost(WAIT).until(() -> succeeded.get() > 50);
			nacos.publishConfig("orders.yaml", GROUP,
					"spring:\n  datasource:\n    url: jdbc:h2:mem:second;DB_CLOSE_DELAY=-1\norders:\n  greeting: bonjour\n");
			await().atMost(WAIT).until(() -> url().startsWith("jdbc:h2:mem:second"));
			int atSwap = succeeded.get();
			await().atMost(WAIT).until(() -> succeeded.get() > atSwap + 50);
		}
		finally {
			running.set(false);
			for (Thread client : clients) {
				client.join(10_000);
			}
		}
		assertThat(failures).isEmpty();
		assertThat(context.getEnvironment().getProperty("orders.greeting")).isEqualTo("bonjour");
		HistoryEntry entry = context.getBean(ReloadHistory.class).entries().get(0);
		assertThat(entry.outcome()).isEqualTo(ReloadOutcome.APPLIED);
		assertThat(entry.trigger()).isEqualTo("spring-cloud");
		assertThat(entry.changedKeys()).extracting((key) -> key.key()).contains("spring.datasource.url");
	}

	@Test
	@Order(3)
	void changeTheDataSourceCannotValidateIsRejectedAndThePoolKeepsServing() throws Exception {
		int before = context.getBean(ReloadHistory.class).entries().size();
		nacos.publishConfig("orders.yaml", GROUP,
				"spring:\n  datasource:\n    url: jdbc:h2:tcp://127.0.0.1:1/nothing\norders:\n  greeting: hola\n");
		await().atMost(WAIT).until(() -> context.getBean(ReloadHistory.class).entries().size() > before);
		HistoryEntry entry = context.getBean(ReloadHistory.class).entries().get(0);
		assertThat(entry.outcome()).isEqualTo(ReloadOutcome.REJECTED);
		assertThat(entry.trigger()).isEqualTo("spring-cloud");
		assertThat(entry.error()).contains("spring.datasource.url");
		assertThat(url()).startsWith("jdbc:h2:mem:second");
	}

	private static String url() throws Exception {
		try (Connection connection = context.getBean(DataSource.class).getConnection()) {
			return connection.getMetaData().getURL();
		}
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration(
			excludeName = { "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
					"org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration",
					"org.springframework.boot.data.redis.autoconfigure.DataRedisRepositoriesAutoConfiguration" })
	static class App {

		/**
		 * The manager spring-cloud-alibaba's listener registers through: the in-memory
		 * Nacos, like the one its config import read from.
		 */
		@Bean
		@Primary
		NacosConfigManager inMemoryNacosConfigManager(NacosConfigProperties properties) {
			return new InMemoryNacosConfigManager(properties, nacos);
		}

	}

}

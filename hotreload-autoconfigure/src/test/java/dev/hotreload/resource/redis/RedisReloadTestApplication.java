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

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import dev.hotreload.autoconfigure.FileSourceAutoConfiguration;
import dev.hotreload.autoconfigure.HotReloadAutoConfiguration;
import dev.hotreload.autoconfigure.RedisConnectionReloadAutoConfiguration;
import dev.hotreload.autoconfigure.RedisReloadAutoConfiguration;
import dev.hotreload.engine.ReloadEngine;
import dev.hotreload.engine.ReloadRequest;
import dev.hotreload.history.HistoryEntry;
import dev.hotreload.history.ReloadHistory;
import dev.hotreload.history.ResourceResult;
import dev.hotreload.resource.ReloadableResource;
import dev.hotreload.resource.ResourceDescriptor;
import dev.hotreload.source.ReloadTrigger;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.DefaultResourceLoader;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A small application with Spring Boot's Redis auto-configuration and hotreload's engine,
 * local-file source and Redis support, configured by a temporary file that a test
 * rewrites and reloads through the real engine.
 *
 * @author hotreload authors
 */
final class RedisReloadTestApplication implements AutoCloseable {

	private final Path file;

	private final ConfigurableApplicationContext context;

	private RedisReloadTestApplication(Path file, ConfigurableApplicationContext context) {
		this.file = file;
		this.context = context;
	}

	/**
	 * Start the application.
	 * @param config the initial content of the config file (properties format)
	 * @param properties further properties, such as {@code hotreload.redis.*}
	 * @param sources further configuration classes
	 * @return the running application
	 */
	static RedisReloadTestApplication start(Map<String, String> config, Map<String, String> properties,
			Class<?>... sources) {
		return start(config, properties, TestConfiguration.class, null, sources);
	}

	/**
	 * Start an application with lettuce-core but without Spring Data Redis (hidden from
	 * its class loader), served by the reloadable {@code StatefulRedisConnection} bean.
	 * @param config the initial content of the config file (properties format)
	 * @param properties further properties, such as {@code hotreload.redis.*}
	 * @param sources further configuration classes
	 * @return the running application
	 */
	static RedisReloadTestApplication startWithoutSpringDataRedis(Map<String, String> config,
			Map<String, String> properties, Class<?>... sources) {
		return start(config, properties, LettuceOnlyConfiguration.class,
				new FilteredClassLoader("org.springframework.data.redis."), sources);
	}

	private static RedisReloadTestApplication start(Map<String, String> config, Map<String, String> properties,
			Class<?> configuration, @Nullable ClassLoader classLoader, Class<?>... sources) {
		try {
			Path directory = Files.createTempDirectory("hotreload-redis");
			Path file = directory.resolve("redis.properties");
			write(file, config);
			Class<?>[] all = new Class<?>[sources.length + 1];
			all[0] = configuration;
			System.arraycopy(sources, 0, all, 1, sources.length);
			SpringApplicationBuilder builder = new SpringApplicationBuilder(all).web(WebApplicationType.NONE)
				.properties("spring.main.banner-mode=off", "hotreload.file.locations=file:" + file,
						"hotreload.file.watch=false", "hotreload.file.poll-interval=1h");
			properties.forEach((key, value) -> builder.properties(key + "=" + value));
			if (classLoader != null) {
				builder.resourceLoader(new DefaultResourceLoader(classLoader));
			}
			return new RedisReloadTestApplication(file, builder.run());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	ConfigurableApplicationContext context() {
		return this.context;
	}

	<T> T bean(Class<T> type) {
		return this.context.getBean(type);
	}

	ReloadableRedisConnectionFactory factory() {
		return this.context.getBean(ReloadableRedisConnectionFactory.class);
	}

	/**
	 * The application's one Redis resource: the connection factory's, or the
	 * {@code StatefulRedisConnection}.
	 * @return the resource
	 */
	ReloadableResource resource() {
		List<ReloadableResource> redis = this.context.getBeansOfType(ReloadableResource.class)
			.values()
			.stream()
			.filter((resource) -> "redis".equals(resource.type()))
			.toList();
		assertThat(redis).hasSize(1);
		return redis.get(0);
	}

	ResourceDescriptor describe() {
		return resource().describe();
	}

	/**
	 * Where the live Redis client connects.
	 * @return the target, such as {@code 127.0.0.1:6379/0}
	 */
	String target() {
		return (String) describe().details().get("target");
	}

	/**
	 * Rewrite the config file without reloading it: with {@code hotreload.file.watch} off
	 * and no polling, only a reload asked for reads it.
	 * @param config the new content (properties format)
	 */
	void write(Map<String, String> config) {
		write(this.file, config);
	}

	/**
	 * Rewrite the config file and reload it through the engine.
	 * @param config the new content (properties format)
	 * @return the reload's history entry
	 */
	HistoryEntry reload(Map<String, String> config) {
		write(this.file, config);
		try {
			return this.context.getBean(ReloadEngine.class)
				.submit(ReloadRequest.pushed("file:" + this.file, ReloadTrigger.FILE))
				.get(60, TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			throw new IllegalStateException("Reload did not complete", ex);
		}
	}

	/**
	 * Wait until no generation is retiring and the history shows every retirement.
	 * @param timeoutMillis how long to wait
	 * @return whether none is retiring
	 */
	boolean awaitRetired(long timeoutMillis) throws InterruptedException {
		long deadline = System.currentTimeMillis() + timeoutMillis;
		while ("RETIRING".equals(describe().state()) || historyShowsRetiring()) {
			if (System.currentTimeMillis() > deadline) {
				return false;
			}
			Thread.sleep(20);
		}
		return true;
	}

	private boolean historyShowsRetiring() {
		return this.context.getBean(ReloadHistory.class)
			.entries()
			.stream()
			.flatMap((entry) -> entry.resources().stream())
			.anyMatch((result) -> result.state() == ResourceResult.State.RETIRING);
	}

	private static void write(Path file, Map<String, String> config) {
		String content = config.entrySet()
			.stream()
			.map((entry) -> entry.getKey() + "=" + entry.getValue())
			.collect(Collectors.joining("\n", "", "\n"));
		try {
			Path temp = Files.createTempFile(file.getParent(), "next", ".tmp");
			Files.writeString(temp, content);
			Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Override
	public void close() {
		this.context.close();
		try {
			Files.deleteIfExists(this.file);
			Files.deleteIfExists(this.file.getParent());
		}
		catch (IOException ex) {
			// in the temp directory
		}
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ SslAutoConfiguration.class, HotReloadAutoConfiguration.class,
			FileSourceAutoConfiguration.class, RedisConnectionReloadAutoConfiguration.class })
	static class LettuceOnlyConfiguration {

	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ SslAutoConfiguration.class, DataRedisAutoConfiguration.class,
			DataRedisReactiveAutoConfiguration.class, HotReloadAutoConfiguration.class,
			FileSourceAutoConfiguration.class, RedisReloadAutoConfiguration.class })
	static class TestConfiguration {

	}

}

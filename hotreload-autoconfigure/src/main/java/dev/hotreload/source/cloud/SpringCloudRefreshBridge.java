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

package dev.hotreload.source.cloud;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.hotreload.engine.HotReloadEnvironmentChangeEvent;
import dev.hotreload.engine.ReloadEngine;
import dev.hotreload.engine.ReloadRequest;
import dev.hotreload.history.HistoryEntry;
import dev.hotreload.source.ReloadTrigger;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationListener;

/**
 * Sends the keys changed by Spring Cloud's context refresh (spring-cloud-alibaba's Nacos
 * config, Spring Cloud Config, {@code /actuator/refresh}) through the reload engine, so
 * that resources whose keys changed are rebuilt the graceful way whoever changed the
 * environment. Waits for the resources to follow, so that when {@code /actuator/refresh}
 * answers, the new pools serve.
 *
 * @author hotreload authors
 */
public final class SpringCloudRefreshBridge implements ApplicationListener<EnvironmentChangeEvent> {

	/**
	 * How the history names the changes this bridge follows.
	 */
	public static final String SOURCE_NAME = "spring-cloud";

	private static final Log logger = LogFactory.getLog(SpringCloudRefreshBridge.class);

	private final ApplicationContext context;

	private final ReloadEngine engine;

	private final Duration timeout;

	public SpringCloudRefreshBridge(ApplicationContext context, ReloadEngine engine, Duration timeout) {
		this.context = context;
		this.engine = engine;
		this.timeout = timeout;
	}

	@Override
	public void onApplicationEvent(EnvironmentChangeEvent event) {
		if (event instanceof HotReloadEnvironmentChangeEvent || event.getSource() != this.context
				|| event.getKeys().isEmpty()) {
			return;
		}
		CompletableFuture<HistoryEntry> reload = this.engine
			.submit(ReloadRequest.external(SOURCE_NAME, ReloadTrigger.SPRING_CLOUD, event.getKeys()));
		if (this.engine.isEngineThread()) {
			return;
		}
		try {
			reload.get(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException ex) {
			logger.warn("Following a Spring Cloud refresh failed: " + ex.getCause().getMessage());
		}
		catch (TimeoutException ex) {
			logger.warn("Resources did not follow the Spring Cloud refresh within " + this.timeout
					+ "; the reload goes on in the background");
		}
	}

}

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

package dev.hotreload.source.nacos;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import com.alibaba.nacos.api.config.listener.Listener;
import com.alibaba.nacos.api.exception.NacosException;
import dev.hotreload.engine.ReloadEngine;
import dev.hotreload.engine.ReloadRequest;
import dev.hotreload.engine.SourceState;
import dev.hotreload.source.ConfigContent;
import dev.hotreload.source.ConfigParser;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * Listens to every data-id of the Nacos source: one Nacos {@link Listener} per data-id
 * that only submits a reload of that source, with the content Nacos delivered, to the
 * engine, which applies that content without asking the server again, coalesces bursts
 * (the newest pushed content wins) and ignores content whose digest is the live one.
 * Nacos's notification thread is never blocked. Manual reloads and the catch-up after an
 * outage read the server.
 * <p>
 * nacos-client redelivers a change made while the server was unreachable once it is back.
 * As a safety net, a thread named {@code hotreload-nacos-health} checks the server's
 * status every {@code hotreload.nacos.health-check-interval}; when the server comes back
 * it compares each data-id with the live digest and submits a reload for those that
 * differ. The same comparison runs once at start, for a change made between the startup
 * load and the listeners' registration.
 *
 * @author hotreload authors
 */
public final class NacosSourceListener implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(NacosSourceListener.class);

	private final NacosConnection connection;

	private final ReloadEngine engine;

	private final Duration healthCheckInterval;

	private final AtomicReference<@Nullable Running> running = new AtomicReference<>();

	private final AtomicBoolean connected = new AtomicBoolean(true);

	public NacosSourceListener(NacosConnection connection, ReloadEngine engine, Duration healthCheckInterval) {
		this.connection = connection;
		this.engine = engine;
		this.healthCheckInterval = healthCheckInterval;
	}

	@Override
	public void start() {
		List<NacosConfigSource> sources = this.connection.sources();
		if (sources.isEmpty() || this.running.get() != null) {
			return;
		}
		List<Registration> registrations = new ArrayList<>();
		for (NacosConfigSource source : sources) {
			Registration registration = new Registration(source, new PushListener(source));
			try {
				source.configService().addListener(source.dataId(), source.group(), registration.listener());
				registrations.add(registration);
			}
			catch (NacosException ex) {
				logger.warn("Cannot listen to Nacos " + source.describe() + " (error " + ex.getErrCode() + ": "
						+ ex.getErrMsg() + "); its changes are only applied by a manual reload or after a reconnect");
			}
		}
		ScheduledExecutorService executor = null;
		if (!this.healthCheckInterval.isZero() && !this.healthCheckInterval.isNegative()) {
			CustomizableThreadFactory threadFactory = new CustomizableThreadFactory("hotreload-nacos-health-");
			threadFactory.setDaemon(true);
			ScheduledThreadPoolExecutor scheduled = new ScheduledThreadPoolExecutor(1, threadFactory);
			long interval = this.healthCheckInterval.toMillis();
			scheduled.scheduleWithFixedDelay(this::checkHealth, interval, interval, TimeUnit.MILLISECONDS);
			executor = scheduled;
		}
		this.running.set(new Running(List.copyOf(registrations), executor));
		this.connected.set(this.connection.isConnected());
		resync();
	}

	/**
	 * Check the server's status; when it came back, submit a reload of every data-id
	 * whose content is not the live one.
	 */
	void checkHealth() {
		try {
			boolean now = this.connection.isConnected();
			boolean before = this.connected.getAndSet(now);
			if (before && !now) {
				logger.warn("Nacos server " + this.connection.settings().serverAddr()
						+ " is unreachable; the live config stays and changes made meanwhile are applied once it is"
						+ " back");
			}
			else if (!before && now) {
				logger.info("Nacos server " + this.connection.settings().serverAddr()
						+ " is reachable again; applying changes made meanwhile");
				resync();
			}
		}
		catch (RuntimeException ex) {
			logger.warn("Checking the Nacos server " + this.connection.settings().serverAddr() + " failed", ex);
		}
	}

	private void resync() {
		if (this.running.get() == null || !this.connection.isConnected()) {
			return;
		}
		Map<String, @Nullable String> live = new HashMap<>();
		for (SourceState state : this.engine.sources()) {
			live.put(state.name(), state.digest());
		}
		for (NacosConfigSource source : this.connection.sources()) {
			try {
				byte[] bytes = source.read().bytes();
				String liveDigest = live.get(source.name());
				if ((liveDigest != null || bytes.length > 0) && !ConfigParser.sha256(bytes).equals(liveDigest)) {
					logger.debug("Content of " + source.name() + " differs from the live one; reloading it");
					this.engine.submit(ReloadRequest.pushed(source.name(), source.trigger()));
				}
			}
			catch (IOException ex) {
				logger.debug("Cannot compare " + source.name() + " with the live keys: " + ex.getMessage());
			}
		}
	}

	@Override
	public void stop() {
		Running current = this.running.getAndSet(null);
		if (current == null) {
			return;
		}
		if (current.health() != null) {
			current.health().shutdownNow();
		}
		for (Registration registration : current.registrations()) {
			try {
				registration.source()
					.configService()
					.removeListener(registration.source().dataId(), registration.source().group(),
							registration.listener());
			}
			catch (RuntimeException ex) {
				logger.debug("Removing the listener of " + registration.source().name() + " failed", ex);
			}
		}
	}

	@Override
	public boolean isRunning() {
		return this.running.get() != null;
	}

	/**
	 * The listeners registered and the health check, while running.
	 *
	 * @param registrations the listeners
	 * @param health the health check, if any
	 */
	private record Running(List<Registration> registrations, @Nullable ScheduledExecutorService health) {

	}

	private record Registration(NacosConfigSource source, Listener listener) {

	}

	/**
	 * Submits a reload of one data-id with the content Nacos delivered, so that the
	 * server is not asked again. Runs on Nacos's notification thread and returns at once.
	 */
	private final class PushListener implements Listener {

		private final NacosConfigSource source;

		PushListener(NacosConfigSource source) {
			this.source = source;
		}

		@Override
		public @Nullable Executor getExecutor() {
			return null;
		}

		@Override
		public void receiveConfigInfo(@Nullable String configInfo) {
			if (NacosSourceListener.this.running.get() == null) {
				return;
			}
			logger.debug("Nacos pushed a change of " + this.source.name());
			this.source.markFromServer();
			ConfigContent content = (configInfo != null)
					? new ConfigContent(configInfo.getBytes(StandardCharsets.UTF_8), null) : ConfigContent.MISSING;
			NacosSourceListener.this.engine
				.submit(ReloadRequest.pushed(this.source.name(), this.source.trigger(), content));
		}

		@Override
		public String toString() {
			return "hotreload listener of " + this.source.name();
		}

	}

}

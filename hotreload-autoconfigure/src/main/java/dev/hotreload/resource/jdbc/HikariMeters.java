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

package dev.hotreload.resource.jdbc;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.IMetricsTracker;
import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import com.zaxxer.hikari.metrics.PoolStats;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ListableBeanFactory;

/**
 * HikariCP's Micrometer meters for a reloadable DataSource, registered once under the
 * pool name the application configured ({@code hikaricp.connections{pool="dataSource"}})
 * whatever generation serves: the gauges read the live pool, and every generation's
 * timers and counters add to the same meters. A dashboard or an alert on them survives a
 * swap, and no meter is registered twice.
 * <p>
 * Installed as the pools' {@link MetricsTrackerFactory} in place of the one Spring Boot
 * would set, when the application has a {@link MeterRegistry} and no metrics of its own
 * on the pool.
 *
 * @author hotreload authors
 */
final class HikariMeters implements MetricsTrackerFactory, PoolMeters {

	private final String poolName;

	private final Supplier<@Nullable MeterRegistry> registry;

	private final Map<String, PoolStats> generations = new ConcurrentHashMap<>();

	private final AtomicReference<@Nullable PoolStats> live = new AtomicReference<>();

	private volatile @Nullable IMetricsTracker meters;

	private volatile boolean lookedUp;

	HikariMeters(String poolName, Supplier<@Nullable MeterRegistry> registry) {
		this.poolName = poolName;
		this.registry = registry;
	}

	@Override
	public IMetricsTracker create(String generationPoolName, PoolStats poolStats) {
		this.generations.put(generationPoolName, poolStats);
		this.live.compareAndSet(null, poolStats);
		return new GenerationTracker(generationPoolName);
	}

	/**
	 * Install shared meters on a pool that has no metrics of its own, when the
	 * application has a {@link MeterRegistry}.
	 * @param pool the first pool
	 * @param beans the application's beans
	 */
	static void install(HikariDataSource pool, ListableBeanFactory beans) {
		if (pool.getMetricsTrackerFactory() != null || pool.getMetricRegistry() != null
				|| beans.getBeanNamesForType(MeterRegistry.class, false, false).length == 0) {
			return;
		}
		pool.setMetricsTrackerFactory(
				new HikariMeters(pool.getPoolName(), () -> beans.getBeanProvider(MeterRegistry.class).getIfUnique()));
	}

	@Override
	public void serving(String generationPoolName) {
		PoolStats stats = this.generations.get(generationPoolName);
		if (stats != null) {
			this.live.set(stats);
		}
	}

	@Override
	public void close() {
		IMetricsTracker meters = this.meters;
		if (meters != null) {
			meters.close();
		}
	}

	private @Nullable IMetricsTracker meters() {
		IMetricsTracker meters = this.meters;
		if (meters == null && !this.lookedUp) {
			synchronized (this) {
				meters = this.meters;
				if (meters == null && !this.lookedUp) {
					MeterRegistry registry = this.registry.get();
					if (registry != null) {
						meters = new MicrometerMetricsTrackerFactory(registry).create(this.poolName, new LiveStats());
						this.meters = meters;
					}
					this.lookedUp = true;
				}
			}
		}
		return meters;
	}

	/**
	 * The live pool's statistics.
	 */
	private final class LiveStats extends PoolStats {

		LiveStats() {
			super(0);
		}

		@Override
		protected void update() {
			PoolStats live = HikariMeters.this.live.get();
			if (live != null) {
				this.totalConnections = live.getTotalConnections();
				this.idleConnections = live.getIdleConnections();
				this.activeConnections = live.getActiveConnections();
				this.pendingThreads = live.getPendingThreads();
				this.maxConnections = live.getMaxConnections();
				this.minConnections = live.getMinConnections();
			}
		}

	}

	/**
	 * One generation's tracker: adds to the shared meters, and forgets the generation
	 * when its pool closes.
	 */
	private final class GenerationTracker implements IMetricsTracker {

		private final String generationPoolName;

		GenerationTracker(String generationPoolName) {
			this.generationPoolName = generationPoolName;
			meters();
		}

		@Override
		public void recordConnectionCreatedMillis(long millis) {
			IMetricsTracker meters = meters();
			if (meters != null) {
				meters.recordConnectionCreatedMillis(millis);
			}
		}

		@Override
		public void recordConnectionAcquiredNanos(long nanos) {
			IMetricsTracker meters = meters();
			if (meters != null) {
				meters.recordConnectionAcquiredNanos(nanos);
			}
		}

		@Override
		public void recordConnectionUsageMillis(long millis) {
			IMetricsTracker meters = meters();
			if (meters != null) {
				meters.recordConnectionUsageMillis(millis);
			}
		}

		@Override
		public void recordConnectionTimeout() {
			IMetricsTracker meters = meters();
			if (meters != null) {
				meters.recordConnectionTimeout();
			}
		}

		@Override
		public void close() {
			HikariMeters.this.generations.remove(this.generationPoolName);
		}

	}

}

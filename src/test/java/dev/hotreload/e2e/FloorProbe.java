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

package dev.hotreload.e2e;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.alibaba.nacos.api.NacosFactory;
import com.alibaba.nacos.api.config.ConfigService;
import com.alibaba.nacos.api.config.listener.Listener;
import com.alibaba.nacos.api.exception.NacosException;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/**
 * Times, in the benchmark's own process and beside the same load, the steps a reload to
 * another database cannot do without: one new PostgreSQL connection, the 10 connections
 * of the demo's pool opened 4 at a time, a new HikariCP pool of 10 made to hold 10
 * connections (borrowed one after another, as a new pool fills: HikariCP adds them on one
 * thread and waits 30 ms after each), and, with a Nacos server, a publish to its delivery
 * to a listener of this process.
 */
final class FloorProbe implements AutoCloseable {

	static final String NACOS_DATA_ID = "hotreload-benchmark-floor.yaml";

	private static final int POOL = 10;

	private static final String URL = "jdbc:postgresql://127.0.0.1:5432/" + FlipBenchmark.DATABASE_B;

	private final List<Long> connect = new ArrayList<>();

	private final List<Long> parallel = new ArrayList<>();

	private final List<Long> hikari = new ArrayList<>();

	private final List<Long> nacos = new ArrayList<>();

	private final ExecutorService openers = Executors.newFixedThreadPool(4);

	private final ConfigService nacosService;

	private final AtomicLong sequence = new AtomicLong();

	private final long run = System.currentTimeMillis();

	private final Map<String, Long> delivered = new ConcurrentHashMap<>();

	FloorProbe(String nacosServer) throws NacosException {
		this.nacosService = (nacosServer != null) ? NacosFactory.createConfigService(nacosServer) : null;
		if (this.nacosService != null) {
			this.nacosService.addListener(NACOS_DATA_ID, FlipBenchmark.NACOS_GROUP, new Listener() {

				@Override
				public Executor getExecutor() {
					return null;
				}

				@Override
				public void receiveConfigInfo(String content) {
					FloorProbe.this.delivered.putIfAbsent(content, System.nanoTime());
				}

			});
		}
	}

	/**
	 * Time each step once.
	 * @throws Exception if a step fails
	 */
	void measure() throws Exception {
		long start = System.nanoTime();
		open().close();
		this.connect.add(millisSince(start));

		start = System.nanoTime();
		List<Future<Connection>> opening = new ArrayList<>();
		for (int i = 0; i < POOL; i++) {
			opening.add(this.openers.submit(FloorProbe::open));
		}
		for (Future<Connection> connection : opening) {
			connection.get(10, TimeUnit.SECONDS).close();
		}
		this.parallel.add(millisSince(start));

		HikariConfig config = new HikariConfig();
		config.setJdbcUrl(URL);
		config.setUsername("postgres");
		config.setPassword("postgres");
		config.setMaximumPoolSize(POOL);
		config.setPoolName("floor");
		start = System.nanoTime();
		try (HikariDataSource pool = new HikariDataSource(config)) {
			List<Connection> borrowed = new ArrayList<>();
			for (int i = 0; i < POOL; i++) {
				borrowed.add(pool.getConnection());
			}
			this.hikari.add(millisSince(start));
			for (Connection connection : borrowed) {
				connection.close();
			}
		}

		if (this.nacosService != null) {
			// unique to this probe: the data-id keeps an earlier run's last content,
			// which
			// the listener is given when it is added
			String content = "floor: " + this.run + "-" + this.sequence.incrementAndGet();
			start = System.nanoTime();
			this.nacosService.publishConfig(NACOS_DATA_ID, FlipBenchmark.NACOS_GROUP, content, "yaml");
			long deadline = start + TimeUnit.SECONDS.toNanos(5);
			while (!this.delivered.containsKey(content) && System.nanoTime() < deadline) {
				Thread.sleep(1);
			}
			Long at = this.delivered.get(content);
			if (at != null) {
				this.nacos.add(TimeUnit.NANOSECONDS.toMillis(at - start));
			}
		}
	}

	FlipBenchmark.Floor floor() {
		return new FlipBenchmark.Floor(List.copyOf(this.connect), List.copyOf(this.parallel), List.copyOf(this.hikari),
				List.copyOf(this.nacos));
	}

	private static Connection open() throws SQLException {
		return DriverManager.getConnection(URL, "postgres", "postgres");
	}

	private static long millisSince(long start) {
		return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
	}

	@Override
	public void close() throws NacosException {
		this.openers.shutdownNow();
		if (this.nacosService != null) {
			this.nacosService.shutDown();
		}
	}

}

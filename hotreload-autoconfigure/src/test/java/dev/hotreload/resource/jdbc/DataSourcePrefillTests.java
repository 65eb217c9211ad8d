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

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariPoolMXBean;
import dev.hotreload.history.HistoryEntry;
import dev.hotreload.history.ReloadOutcome;
import dev.hotreload.testsupport.jdbc.ConfigFiles;
import dev.hotreload.testsupport.jdbc.LiveThreads;
import dev.hotreload.testsupport.jdbc.Postgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A new pool holds, at the swap, the connections the live pool has in demand (opened in
 * parallel), above {@code minimum-idle}, and no more when the demand falls while it
 * fills; no connection opened for it is left outside it, and the threads that opened them
 * end.
 */
class DataSourcePrefillTests {

	static final String A = ReloadableDataSourceLoadTests.A;

	static final String B = ReloadableDataSourceLoadTests.B;

	@TempDir
	Path directory;

	private Path config;

	private ConfigurableApplicationContext context;

	@BeforeAll
	static void createDatabases() throws Exception {
		Postgres.createDatabase(A);
		Postgres.createDatabase(B);
	}

	@AfterEach
	void close() {
		if (this.context != null) {
			this.context.close();
		}
	}

	@Test
	void newPoolHoldsTheConnectionsInDemandAtTheSwapAndNothingIsLeftOutsideIt() throws Exception {
		start(Postgres.url(A));
		ReloadableDataSource dataSource = this.context.getBean(ReloadableDataSource.class);
		List<Connection> held = new ArrayList<>();
		try {
			for (int i = 0; i < 6; i++) {
				held.add(dataSource.getConnection());
			}
			write(yaml(Postgres.url(B)));
			HistoryEntry entry = reload();
			assertThat(entry.outcome()).isEqualTo(ReloadOutcome.APPLIED);
			HikariPoolMXBean pool = dataSource.getPool().getHikariPoolMXBean();
			assertThat(dataSource.getPool().getPoolName()).isEqualTo("dataSource-g2");
			// at the swap, not filled later: minimum-idle is 1
			assertThat(pool.getTotalConnections()).isEqualTo(6);
			assertThat(pool.getIdleConnections()).isEqualTo(6);
			List<Connection> afterSwap = new ArrayList<>();
			for (int i = 0; i < 6; i++) {
				afterSwap.add(dataSource.getConnection());
			}
			assertThat(pool.getTotalConnections()).as("the first requests after the swap opened nothing").isEqualTo(6);
			for (Connection connection : afterSwap) {
				assertThat(connection.getCatalog()).isEqualTo(B);
				connection.close();
			}
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
				assertThat(Postgres.connections(B)).isEqualTo(pool.getTotalConnections());
				assertThat(LiveThreads.named("hotreload-connect-dataSource-g2")).isEmpty();
			});
		}
		finally {
			for (Connection connection : held) {
				connection.close();
			}
		}
		await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(Postgres.connections(A)).isZero());
	}

	@Test
	void fillEndsWhenTheNewPoolHoldsWhatTheLivePoolHasInDemandNowAndClosesTheConnectionsItDidNotTake()
			throws Exception {
		HikariPoolMXBean pool = swapWhileDemandFalls(1);
		// the fill to the 8 in demand at the start takes 180 ms at least (HikariCP adds
		// one
		// connection per 30 ms); the demand fell to 2 well before it could end
		assertThat(pool.getTotalConnections()).isBetween(2, 7);
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			assertThat(Postgres.connections(B)).as("no connection opened up front is left outside the pool")
				.isEqualTo(pool.getTotalConnections());
			assertThat(LiveThreads.named("hotreload-connect-dataSource-g2")).isEmpty();
		});
		await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(Postgres.connections(A)).isZero());
	}

	@Test
	void connectionsOpenedUpFrontAndNotTakenByTheSwapAreTakenAsThePoolGrowsToMinimumIdle() throws Exception {
		HikariPoolMXBean pool = swapWhileDemandFalls(10);
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			assertThat(pool.getTotalConnections()).isEqualTo(10);
			assertThat(Postgres.connections(B)).as("no connection opened up front is left outside the pool")
				.isEqualTo(10);
			assertThat(LiveThreads.named("hotreload-connect-dataSource-g2")).isEmpty();
		});
	}

	/**
	 * Hold 8 connections of the live pool, change its url and, as soon as the new pool
	 * opens its first connection, give 6 of them back: the demand falls from 8 to 2 while
	 * the new pool fills.
	 */
	private HikariPoolMXBean swapWhileDemandFalls(int minimumIdle) throws Exception {
		this.config = ConfigFiles.write(this.directory.resolve("app.yaml"), yaml(Postgres.url(A), 10, minimumIdle));
		this.context = ConfigFiles.run(DataSourceFailureTests.OneDataSource.class, this.config,
				"--hotreload.datasource.drain-timeout=10s");
		ReloadableDataSource dataSource = this.context.getBean(ReloadableDataSource.class);
		List<Connection> held = new ArrayList<>();
		try {
			for (int i = 0; i < 8; i++) {
				held.add(dataSource.getConnection());
			}
			write(yaml(Postgres.url(B), 10, minimumIdle));
			CompletableFuture<HistoryEntry> reload = CompletableFuture.supplyAsync(() -> {
				try {
					return reload();
				}
				catch (Exception ex) {
					throw new IllegalStateException(ex);
				}
			});
			while (Postgres.connections(B) == 0 && !reload.isDone()) {
				Thread.sleep(2);
			}
			for (Connection connection : held.subList(0, 6)) {
				connection.close();
			}
			held.subList(0, 6).clear();
			HistoryEntry entry = reload.get(30, TimeUnit.SECONDS);
			assertThat(entry.outcome()).isEqualTo(ReloadOutcome.APPLIED);
			assertThat(dataSource.getPool().getPoolName()).isEqualTo("dataSource-g2");
			try (Connection connection = dataSource.getConnection()) {
				assertThat(connection.getCatalog()).isEqualTo(B);
			}
			return dataSource.getPool().getHikariPoolMXBean();
		}
		finally {
			for (Connection connection : held) {
				connection.close();
			}
		}
	}

	private static String yaml(String url) {
		return yaml(url, 8, 1);
	}

	private static String yaml(String url, int maximumPoolSize, int minimumIdle) {
		return "spring:\n  datasource:\n    url: " + url + "\n    username: postgres\n    password: postgres\n"
				+ "    hikari:\n      maximum-pool-size: " + maximumPoolSize + "\n      minimum-idle: " + minimumIdle
				+ "\n";
	}

	private void start(String url) throws Exception {
		this.config = ConfigFiles.write(this.directory.resolve("app.yaml"), yaml(url));
		this.context = ConfigFiles.run(DataSourceFailureTests.OneDataSource.class, this.config,
				"--hotreload.datasource.drain-timeout=10s");
	}

	private void write(String content) throws Exception {
		ConfigFiles.write(this.config, content);
	}

	private HistoryEntry reload() throws Exception {
		return ConfigFiles.reload(this.context, this.config);
	}

}

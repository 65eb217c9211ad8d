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
 * A new pool holds, at the swap, the connections the live pool had in demand (opened in
 * parallel), above {@code minimum-idle}; no connection opened for it is left outside it,
 * and the threads that opened them end.
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
			assertThat(entry.resources()).singleElement()
				.satisfies((result) -> assertThat(result.action())
					.matches("new pool dataSource-g2 \\(jdbc:postgresql://.*/" + B
							+ "(\\?[^)]*)?\\), ready with 6 connection\\(s\\) after \\d+ ms"));
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

	private static String yaml(String url) {
		return "spring:\n  datasource:\n    url: " + url + "\n    username: postgres\n    password: postgres\n"
				+ "    hikari:\n      maximum-pool-size: 8\n      minimum-idle: 1\n";
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

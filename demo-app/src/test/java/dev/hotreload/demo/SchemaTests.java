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

package dev.hotreload.demo;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link Schema} on real PostgreSQL: many first requests at once on a fresh
 * database, in transactions and not.
 *
 * @author hotreload authors
 */
class SchemaTests {

	private static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/";

	private static final int THREADS = 16;

	@Test
	void firstRequestsAtOnceOnAFreshDatabaseAllSucceed() throws Exception {
		for (int round = 0; round < 10; round++) {
			String database = "hotreload_schema_" + UUID.randomUUID().toString().substring(0, 8);
			execute("create database " + database);
			try (HikariDataSource dataSource = new HikariDataSource()) {
				dataSource.setJdbcUrl(SERVER + database);
				dataSource.setUsername("postgres");
				dataSource.setMaximumPoolSize(THREADS);
				Schema schema = new Schema(dataSource);
				JdbcClient jdbc = JdbcClient.create(dataSource);
				TransactionTemplate transactions = new TransactionTemplate(
						new DataSourceTransactionManager(dataSource));
				CyclicBarrier start = new CyclicBarrier(THREADS);
				List<Throwable> failures = new CopyOnWriteArrayList<>();
				List<Thread> threads = new ArrayList<>();
				for (int t = 0; t < THREADS; t++) {
					boolean transactional = (t % 2 == 0);
					Thread thread = new Thread(() -> {
						try {
							start.await();
							if (transactional) {
								transactions.executeWithoutResult((status) -> insert(schema, jdbc, database));
							}
							else {
								insert(schema, jdbc, database);
							}
						}
						catch (Throwable ex) {
							failures.add(ex);
						}
					});
					thread.start();
					threads.add(thread);
				}
				for (Thread thread : threads) {
					thread.join(30_000);
				}
				assertThat(failures).as("round %d", round).isEmpty();
				assertThat(jdbc.sql("select count(*) from orders").query(Long.class).single()).isEqualTo(THREADS);
				assertThat(jdbc.sql("select count(*) from order_lines").query(Long.class).single()).isEqualTo(THREADS);
			}
			finally {
				execute("drop database if exists " + database + " with (force)");
			}
		}
	}

	private static void insert(Schema schema, JdbcClient jdbc, String database) {
		try {
			assertThat(schema.currentCatalog()).isEqualTo(database);
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
		jdbc.sql("insert into orders(item) values ('first')").update();
		jdbc.sql("insert into order_lines(order_id, item) values (1, 'first')").update();
	}

	private static void execute(String sql) throws SQLException {
		try (Connection connection = DriverManager.getConnection(SERVER + "test", "postgres", "");
				Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
	}

}

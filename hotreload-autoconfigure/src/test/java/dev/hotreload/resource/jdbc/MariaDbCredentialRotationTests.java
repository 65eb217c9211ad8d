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

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.zaxxer.hikari.HikariDataSource;
import dev.hotreload.engine.ReloadEngine;
import dev.hotreload.engine.ReloadRequest;
import dev.hotreload.history.HistoryEntry;
import dev.hotreload.history.ReloadOutcome;
import dev.hotreload.source.ReloadTrigger;
import dev.hotreload.testsupport.jdbc.ConfigFiles;
import dev.hotreload.testsupport.jdbc.MariaDb;
import dev.hotreload.testsupport.jdbc.MariaDbAccount;
import dev.hotreload.testsupport.jdbc.TransactionLoad;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A password rotated on a server that checks passwords (MariaDB over TCP) under 32
 * threads of transactions: the database's password changes first, then the config; the
 * pool follows in place (same pool, generation 1) through HikariCP's credentials
 * provider, no transaction fails, and a wrong password is rejected with the driver's
 * reason and no secret in it.
 */
class MariaDbCredentialRotationTests {

	private static final String DATABASE = "hotreload_rotation";

	private static final String USER = DATABASE;

	private static final String FIRST = "First-Pw-7301";

	@RegisterExtension
	static final MariaDbAccount account = new MariaDbAccount(DATABASE, FIRST);

	private static final String SECOND = "Second-Pw-7302";

	private static final String WRONG = "Wrong-Pw-7303";

	@TempDir
	Path directory;

	@Test
	void rotatesThePasswordInPlaceUnderLoadAfterTheServerChangedIt() throws Exception {
		Path config = this.directory.resolve("app.yaml");
		write(config, FIRST);
		SpringApplication application = new SpringApplication(ReloadableDataSourceLoadTests.TestApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		try (ConfigurableApplicationContext context = application.run("--hotreload.file.locations=" + config,
				"--hotreload.file.watch=false", "--hotreload.file.poll-interval=0")) {
			ReloadableDataSource dataSource = context.getBean(ReloadableDataSource.class);
			HikariDataSource pool = dataSource.getPool();
			assertThat(pool.getCredentialsProvider()).isInstanceOf(LiveCredentials.class);
			TransactionLoad load = new TransactionLoad(context, 32, new AtomicLong()::incrementAndGet, "sleep").start();
			Thread.sleep(1000);
			// the server first: connections already open stay authenticated, new ones
			// need the new password
			MariaDb.setPassword(USER, SECOND);
			write(config, SECOND);
			HistoryEntry rotated = reload(context, config);
			assertThat(rotated.outcome()).as(String.valueOf(rotated.error())).isEqualTo(ReloadOutcome.APPLIED);
			assertThat(rotated.resources()).singleElement()
				.satisfies((result) -> assertThat(result.action()).startsWith("in place").contains("credentials"));
			Thread.sleep(2000);
			write(config, WRONG);
			HistoryEntry wrong = reload(context, config);
			assertThat(wrong.outcome()).isEqualTo(ReloadOutcome.REJECTED);
			assertThat(wrong.error()).contains("Access denied")
				.doesNotContain(WRONG)
				.doesNotContain(SECOND)
				.doesNotContain(FIRST);
			Thread.sleep(500);
			load.stop();
			assertThat(load.failures).isEmpty();
			assertThat(load.committed.get()).isGreaterThan(200);
			assertThat(dataSource.getPool()).isSameAs(pool);
			assertThat(ConfigFiles.describe(context, "dataSource").generation()).isEqualTo(1);
			assertThat(MariaDb.query("select count(*) from " + DATABASE + ".tx_rows"))
				.isEqualTo(2 * load.committed.get());
			assertThat(MariaDb.query("select count(*) from (select tx_id from " + DATABASE
					+ ".tx_rows group by tx_id having count(*) <> 2) broken"))
				.isZero();
			// the server accepts only the new password now: the pool's connections,
			// replaced as they returned, were opened with it
			pool.getHikariPoolMXBean().softEvictConnections();
			try (Connection connection = pool.getConnection()) {
				assertThat(connection.isValid(1)).isTrue();
			}
		}
	}

	private static void write(Path config, String password) throws Exception {
		Path temp = config.resolveSibling("app.yaml.tmp");
		Files.writeString(temp, "spring:\n  datasource:\n    url: " + MariaDb.ROOT_URL + DATABASE + "\n    username: "
				+ USER + "\n    password: " + password + "\n", StandardCharsets.UTF_8);
		Files.move(temp, config, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
	}

	private static HistoryEntry reload(ConfigurableApplicationContext context, Path config) throws Exception {
		return context.getBean(ReloadEngine.class)
			.submit(new ReloadRequest(List.of("file:" + config), ReloadTrigger.MANUAL, false, null, null))
			.get(30, TimeUnit.SECONDS);
	}

}

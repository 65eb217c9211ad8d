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

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.zaxxer.hikari.HikariDataSource;
import dev.hotreload.history.HistoryEntry;
import dev.hotreload.history.ReloadOutcome;
import dev.hotreload.testsupport.jdbc.ConfigFiles;
import dev.hotreload.testsupport.jdbc.LiveThreads;
import dev.hotreload.testsupport.jdbc.Postgres;
import dev.hotreload.testsupport.jdbc.TransactionLoad;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A candidate pointed at a server that accepts TCP connections and never answers is
 * rejected within the validation timeout and leaves nothing behind: its connects and
 * first reads are bounded by timeouts derived from the validation timeout, so no thread
 * of the candidate and no socket to the silent server outlives the rejection, while the
 * live pool keeps serving; the read timeout of the bounded login does not stay on the
 * connections of a candidate that is applied.
 */
class SilentServerCandidateTests {

	private static final String DATABASE = "hotreload_silent";

	private static final Duration VALIDATION_TIMEOUT = Duration.ofSeconds(2);

	@TempDir
	Path directory;

	@Test
	void candidatesAgainstASilentServerAreRejectedInTimeAndLeaveNoThreadOrSocket() throws Exception {
		Postgres.createDatabase(DATABASE);
		Path config = ConfigFiles.write(this.directory.resolve("app.yaml"), yaml(Postgres.url(DATABASE)));
		try (SilentServer silent = new SilentServer();
				ConfigurableApplicationContext context = ConfigFiles.run(
						ReloadableDataSourceLoadTests.TestApplication.class, config,
						"--hotreload.datasource.validation-timeout=" + VALIDATION_TIMEOUT.toMillis() + "ms")) {
			ReloadableDataSource dataSource = context.getBean(ReloadableDataSource.class);
			HikariDataSource live = dataSource.getPool();
			TransactionLoad load = new TransactionLoad(context, 8).start();
			List<Long> rejectedAfter = new ArrayList<>();
			for (int attempt = 1; attempt <= 5; attempt++) {
				ConfigFiles.write(config, yaml("jdbc:postgresql://127.0.0.1:" + silent.port() + "/" + DATABASE
						+ "?ApplicationName=hotreload-silent-" + attempt));
				long start = System.nanoTime();
				HistoryEntry entry = ConfigFiles.reload(context, config);
				rejectedAfter.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
				assertThat(entry.outcome()).isEqualTo(ReloadOutcome.REJECTED);
				assertThat(entry.error()).contains("no connection within " + VALIDATION_TIMEOUT.toMillis() + " ms");
			}
			assertThat(silent.accepted()).isGreaterThanOrEqualTo(5);
			long start = System.nanoTime();
			await().atMost(VALIDATION_TIMEOUT.multipliedBy(3)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
				assertThat(LiveThreads.named("hotreload-validate-")).isEmpty();
				assertThat(LiveThreads.named("dataSource-g")).isEmpty();
				assertThat(silent.open()).isZero();
			});
			long cleaned = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
			load.stop();
			System.out.println("Silent server: rejected after " + rejectedAfter + " ms; " + silent.accepted()
					+ " sockets accepted, all closed and no candidate thread left " + cleaned
					+ " ms after the last rejection; live pool: " + load.committed.get() + " committed, "
					+ load.failures.size() + " failed");
			assertThat(rejectedAfter)
				.allSatisfy((millis) -> assertThat(millis).isLessThanOrEqualTo(VALIDATION_TIMEOUT.toMillis() + 1000));
			assertThat(load.failures).isEmpty();
			assertThat(load.committed.get()).isPositive();
			assertThat(dataSource.getPool()).isSameAs(live);
			try (Connection connection = dataSource.getConnection()) {
				assertThat(connection.isValid(1)).isTrue();
			}
			// a validated candidate's connections, opened with the bounded login, keep no
			// read timeout: a query longer than the validation timeout runs
			ConfigFiles.write(config, yaml(Postgres.url(DATABASE) + "&options=-c%20application_name=next"));
			assertThat(ConfigFiles.reload(context, config).outcome()).isEqualTo(ReloadOutcome.APPLIED);
			assertThat(dataSource.getPool()).isNotSameAs(live);
			try (Connection connection = dataSource.getConnection();
					Statement statement = connection.createStatement()) {
				assertThat(connection.getNetworkTimeout()).isZero();
				statement.execute("select pg_sleep(" + (VALIDATION_TIMEOUT.toMillis() + 1000) / 1000.0 + ")");
			}
		}
		Postgres.execute(DATABASE, "truncate tx_rows");
	}

	private static String yaml(String url) {
		return "spring:\n  datasource:\n    url: " + url + "\n    username: postgres\n    password: postgres\n";
	}

	/**
	 * Accepts every connection and never writes a byte; reads what the client sends only
	 * to see when the client closes the socket. Counts the sockets still open.
	 */
	private static final class SilentServer implements AutoCloseable {

		private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());

		private final AtomicInteger accepted = new AtomicInteger();

		private final AtomicInteger open = new AtomicInteger();

		private final List<Socket> sockets = new ArrayList<>();

		SilentServer() throws IOException {
			Thread acceptor = new Thread(this::accept, "test-silent-server");
			acceptor.setDaemon(true);
			acceptor.start();
		}

		int port() {
			return this.server.getLocalPort();
		}

		int accepted() {
			return this.accepted.get();
		}

		int open() {
			return this.open.get();
		}

		private void accept() {
			while (!this.server.isClosed()) {
				try {
					Socket socket = this.server.accept();
					synchronized (this.sockets) {
						this.sockets.add(socket);
					}
					this.accepted.incrementAndGet();
					this.open.incrementAndGet();
					Thread reader = new Thread(() -> drain(socket), "test-silent-server-socket");
					reader.setDaemon(true);
					reader.start();
				}
				catch (IOException ex) {
					// closed
				}
			}
		}

		private void drain(Socket socket) {
			try (socket; InputStream in = socket.getInputStream()) {
				byte[] buffer = new byte[512];
				while (in.read(buffer) != -1) {
					// never answered
				}
			}
			catch (IOException ex) {
				// closed
			}
			finally {
				this.open.decrementAndGet();
			}
		}

		@Override
		public void close() throws IOException {
			this.server.close();
			synchronized (this.sockets) {
				for (Socket socket : this.sockets) {
					socket.close();
				}
			}
		}

	}

}

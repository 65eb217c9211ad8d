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

package dev.hotreload.testsupport.jdbc;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

/**
 * A PostgreSQL cluster of the test's own that the test may kill or pause: created with
 * the machine's {@code initdb} in a temporary directory, trust authentication (or
 * passwords checked over TCP, see {@link #startWithPasswords}), started with
 * {@code pg_ctl} on a free loopback port (as the {@code postgres} user when the tests run
 * as root, which PostgreSQL refuses), and removed on close. The machine's own PostgreSQL
 * is never touched.
 */
public final class PostgresCluster implements AutoCloseable {

	private static final Path INSTALLATIONS = Path.of("/usr/lib/postgresql");

	private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

	private final Path bin;

	private final Path directory;

	private final int port;

	private final String superuserPassword;

	private PostgresCluster(Path bin, Path directory, int port, String superuserPassword) {
		this.bin = bin;
		this.directory = directory;
		this.port = port;
		this.superuserPassword = superuserPassword;
	}

	public static PostgresCluster start() throws Exception {
		return start(null);
	}

	/**
	 * Start a cluster that checks passwords (SCRAM) on every TCP connection, as a
	 * production server does, so that a wrong password is refused with SQLState
	 * {@code 28P01}.
	 * @param superuserPassword the password of {@code postgres}
	 * @return the cluster
	 */
	public static PostgresCluster startWithPasswords(String superuserPassword) throws Exception {
		return start(superuserPassword);
	}

	private static PostgresCluster start(@Nullable String superuserPassword) throws Exception {
		Path bin = binaries();
		Path directory = Files.createTempDirectory("hotreload-pg");
		if (ROOT) {
			UserPrincipal postgres = directory.getFileSystem()
				.getUserPrincipalLookupService()
				.lookupPrincipalByName("postgres");
			Files.setOwner(directory, postgres);
		}
		int port;
		try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			port = free.getLocalPort();
		}
		PostgresCluster cluster = new PostgresCluster(bin, directory, port,
				(superuserPassword != null) ? superuserPassword : "");
		try {
			List<String> initdb = new ArrayList<>(
					List.of("-D", cluster.data().toString(), "-U", "postgres", "--no-sync", "-E", "UTF8"));
			if (superuserPassword != null) {
				Path passwordFile = directory.resolve("superuser-password");
				Files.writeString(passwordFile, superuserPassword + "\n");
				if (ROOT) {
					Files.setOwner(passwordFile, Files.getOwner(directory));
				}
				initdb.addAll(List.of("--auth-local=trust", "--auth-host=scram-sha-256", "--pwfile=" + passwordFile));
			}
			else {
				initdb.addAll(List.of("-A", "trust"));
			}
			cluster.run("initdb", initdb.toArray(String[]::new));
			cluster.run("pg_ctl", "-D", cluster.data().toString(), "-l", directory.resolve("server.log").toString(),
					"-o", "-p " + port + " -k " + directory + " -c listen_addresses=127.0.0.1 -c fsync=off", "-w",
					"start");
		}
		catch (Exception ex) {
			cluster.close();
			throw ex;
		}
		return cluster;
	}

	private static Path binaries() throws IOException {
		try (Stream<Path> versions = Files.list(INSTALLATIONS)) {
			return versions.map((version) -> version.resolve("bin"))
				.filter((bin) -> Files.isExecutable(bin.resolve("initdb")))
				.max(Comparator.comparing(Path::toString))
				.orElseThrow(() -> new IllegalStateException("no PostgreSQL binaries under " + INSTALLATIONS));
		}
	}

	public int port() {
		return this.port;
	}

	public String url(String database) {
		return "jdbc:postgresql://127.0.0.1:" + this.port + "/" + database + "?ApplicationName=hotreload-test";
	}

	/**
	 * Create a database with the tests' {@code tx_rows} table.
	 */
	public void createDatabase(String name) throws SQLException {
		execute("postgres", "create database " + name);
		execute(name, "create table tx_rows (tx_id bigint not null, step int not null)");
	}

	/**
	 * Run a statement as {@code postgres}.
	 * @param database the database to run it in
	 * @param sql the statement
	 */
	public void execute(String database, String sql) throws SQLException {
		try (Connection connection = DriverManager.getConnection(url(database), "postgres", this.superuserPassword);
				Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
	}

	/**
	 * Run a query for one number as {@code postgres}.
	 * @param database the database to run it in
	 * @param sql the query
	 * @return the number
	 */
	public long queryLong(String database, String sql) throws SQLException {
		try (Connection connection = DriverManager.getConnection(url(database), "postgres", this.superuserPassword);
				Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery(sql)) {
			result.next();
			return result.getLong(1);
		}
	}

	/**
	 * Stop every process of the cluster with SIGSTOP, as a paused machine would: its port
	 * still accepts connections (the kernel does), and nothing answers.
	 */
	public void pause() throws Exception {
		signal("STOP");
	}

	/**
	 * Let the processes of a {@link #pause() paused} cluster go on (SIGCONT).
	 */
	public void resume() throws Exception {
		signal("CONT");
	}

	private void signal(String signal) throws Exception {
		for (ProcessHandle process : processes()) {
			Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid())).start();
			if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
				throw new IllegalStateException("kill -" + signal + " " + process.pid() + " failed");
			}
		}
	}

	/**
	 * Kill every process of the cluster with SIGKILL, as a crash would, and wait until
	 * its port refuses connections.
	 */
	public void kill() throws Exception {
		for (ProcessHandle process : processes()) {
			process.destroyForcibly();
		}
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (accepts() || !processes().isEmpty()) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("the cluster on port " + this.port + " did not die");
			}
			Thread.sleep(10);
		}
	}

	private boolean accepts() {
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), this.port)) {
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	/**
	 * The postmaster and its children, while the postmaster is alive.
	 */
	private List<ProcessHandle> processes() throws IOException {
		Path pidFile = data().resolve("postmaster.pid");
		List<ProcessHandle> processes = new ArrayList<>();
		if (Files.exists(pidFile)) {
			long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
			ProcessHandle.of(pid).filter(ProcessHandle::isAlive).ifPresent((postmaster) -> {
				processes.add(postmaster);
				postmaster.descendants().forEach(processes::add);
			});
		}
		return processes;
	}

	private Path data() {
		return this.directory.resolve("data");
	}

	private void run(String command, String... args) throws Exception {
		List<String> line = new ArrayList<>();
		if (ROOT) {
			line.addAll(List.of("runuser", "-u", "postgres", "--"));
		}
		line.add(this.bin.resolve(command).toString());
		line.addAll(List.of(args));
		Process process = new ProcessBuilder(line).redirectErrorStream(true)
			.redirectOutput(this.directory.resolve(command + ".log").toFile())
			.start();
		if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
			process.destroyForcibly();
			throw new IllegalStateException(
					command + " failed: " + Files.readString(this.directory.resolve(command + ".log")));
		}
	}

	/**
	 * Stop the cluster if it still runs and remove its directory.
	 */
	@Override
	public void close() throws Exception {
		try {
			if (!processes().isEmpty()) {
				run("pg_ctl", "-D", data().toString(), "-m", "immediate", "-w", "stop");
			}
			kill();
		}
		finally {
			try (Stream<Path> files = Files.walk(this.directory)) {
				for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
					Files.deleteIfExists(file);
				}
			}
		}
	}

}

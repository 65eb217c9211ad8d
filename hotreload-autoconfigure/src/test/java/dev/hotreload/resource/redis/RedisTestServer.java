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

package dev.hotreload.resource.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;
import org.springframework.util.FileSystemUtils;

/**
 * A {@code redis-server} started by a test on a free port (no persistence), and a
 * {@code redis-cli} to look at it (or at any server) without a Java client of its own.
 *
 * @author hotreload authors
 */
final class RedisTestServer implements AutoCloseable {

	/**
	 * The shared Redis of the test environment.
	 */
	static final int DEFAULT_PORT = 6379;

	private final int port;

	private final @Nullable String password;

	private final Process process;

	private final Path log;

	private @Nullable Path directory;

	private List<String> cliOptions = List.of();

	private @Nullable Path certificate;

	private RedisTestServer(int port, @Nullable String password, Process process, Path log) {
		this.port = port;
		this.password = password;
		this.process = process;
		this.log = log;
	}

	/**
	 * Start a server on a free port.
	 * @param password the password it requires, or {@code null} for none
	 * @return the running server
	 */
	static RedisTestServer start(@Nullable String password) {
		return start(password, List.of());
	}

	/**
	 * Start a server on a free port whose default user needs no password (for
	 * {@link #cli}) and with an ACL user that does.
	 * @param user the user's name
	 * @param password the user's password
	 * @return the running server
	 */
	static RedisTestServer startWithUser(String user, String password) {
		RedisTestServer server = start(null, List.of());
		try {
			String reply = server.cli("ACL", "SETUSER", user, "on", ">" + password, "~*", "&*", "+@all");
			Assert.state("OK".equals(reply), () -> "ACL SETUSER answered " + reply);
			return server;
		}
		catch (RuntimeException ex) {
			server.close();
			throw ex;
		}
	}

	/**
	 * Start three servers in cluster mode (no password) and make them one cluster of
	 * three masters.
	 * @return the nodes, once the cluster state is ok
	 */
	static List<RedisTestServer> startCluster() {
		List<RedisTestServer> nodes = new ArrayList<>();
		try {
			Path directory = Files.createTempDirectory("hotreload-redis-cluster");
			List<String> create = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
			for (int i = 0; i < 3; i++) {
				RedisTestServer node = start(null, List.of("--cluster-enabled", "yes", "--cluster-config-file",
						"nodes-" + i + "-" + directory.getFileName() + ".conf", "--dir", directory.toString()));
				nodes.add(node);
				create.add("127.0.0.1:" + node.port());
			}
			nodes.get(0).directory = directory;
			create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
			run(create);
			for (RedisTestServer node : nodes) {
				node.awaitClusterOk();
			}
			return nodes;
		}
		catch (IOException | RuntimeException ex) {
			nodes.forEach(RedisTestServer::close);
			throw (ex instanceof IOException io) ? new UncheckedIOException(io) : (RuntimeException) ex;
		}
	}

	private void awaitClusterOk() {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
		while (!cli("CLUSTER", "INFO").contains("cluster_state:ok")) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("cluster state of " + this.port + " not ok: " + cli("CLUSTER", "INFO"));
			}
			try {
				Thread.sleep(50);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}
	}

	private static RedisTestServer start(@Nullable String password, List<String> options) {
		int port = freePort();
		try {
			Path log = Files.createTempFile("hotreload-redis-" + port, ".log");
			List<String> command = new ArrayList<>(List.of("redis-server", "--port", String.valueOf(port), "--bind",
					"127.0.0.1", "--save", "", "--appendonly", "no", "--databases", "16"));
			if (password != null) {
				command.addAll(List.of("--requirepass", password));
			}
			command.addAll(options);
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(log.toFile())
				.start();
			RedisTestServer server = new RedisTestServer(port, password, process, log);
			server.awaitPong();
			return server;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start redis-server", ex);
		}
	}

	/**
	 * Start a Redis Sentinel on a free port that monitors one master as {@code mymaster}.
	 * @param masterPort the master's port (on 127.0.0.1)
	 * @param masterPassword the master's password, or {@code null}
	 * @return the running sentinel (without a password of its own)
	 */
	static RedisTestServer startSentinel(int masterPort, @Nullable String masterPassword) {
		int port = freePort();
		try {
			Path directory = Files.createTempDirectory("hotreload-sentinel-" + port);
			Path config = directory.resolve("sentinel.conf");
			List<String> lines = new ArrayList<>(List.of("port " + port, "bind 127.0.0.1", "dir " + directory,
					"sentinel monitor mymaster 127.0.0.1 " + masterPort + " 1",
					"sentinel down-after-milliseconds mymaster 60000"));
			if (masterPassword != null) {
				lines.add("sentinel auth-pass mymaster " + masterPassword);
			}
			Files.write(config, lines);
			Path log = directory.resolve("sentinel.log");
			Process process = new ProcessBuilder("redis-server", config.toString(), "--sentinel")
				.redirectErrorStream(true)
				.redirectOutput(log.toFile())
				.start();
			RedisTestServer sentinel = new RedisTestServer(port, null, process, log);
			sentinel.directory = directory;
			sentinel.awaitPong();
			return sentinel;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start redis-server --sentinel", ex);
		}
	}

	/**
	 * Start a server that only speaks TLS, on a free port, with a self-signed certificate
	 * for {@code 127.0.0.1} ({@link #certificate()}).
	 * @param password the password it requires
	 * @return the running server
	 */
	static RedisTestServer startTls(String password) {
		int port = freePort();
		try {
			Path directory = Files.createTempDirectory("hotreload-redis-tls-" + port);
			Path certificate = directory.resolve("cert.pem");
			Path key = directory.resolve("key.pem");
			run(List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(), "-out",
					certificate.toString(), "-days", "2", "-subj", "/CN=127.0.0.1", "-addext",
					"subjectAltName=IP:127.0.0.1"));
			Path log = directory.resolve("redis.log");
			Process process = new ProcessBuilder("redis-server", "--port", "0", "--tls-port", String.valueOf(port),
					"--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--tls-cert-file",
					certificate.toString(), "--tls-key-file", key.toString(), "--tls-ca-cert-file",
					certificate.toString(), "--tls-auth-clients", "no", "--requirepass", password)
				.redirectErrorStream(true)
				.redirectOutput(log.toFile())
				.start();
			RedisTestServer server = new RedisTestServer(port, password, process, log);
			server.directory = directory;
			server.certificate = certificate;
			server.cliOptions = List.of("--tls", "--cacert", certificate.toString());
			server.awaitPong();
			return server;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start redis-server with TLS", ex);
		}
	}

	/**
	 * The PEM certificate a TLS server presents (and the only one to trust).
	 * @return the certificate file
	 */
	Path certificate() {
		Assert.state(this.certificate != null, "not a TLS server");
		return this.certificate;
	}

	private static void run(List<String> command) throws IOException {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		try {
			if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
				throw new IllegalStateException(command.get(0) + " failed: " + output);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	int port() {
		return this.port;
	}

	@Nullable String password() {
		return this.password;
	}

	/**
	 * Run a command with {@code redis-cli} against this server.
	 * @param args the command and its arguments
	 * @return the reply, trimmed
	 */
	String cli(String... args) {
		return cli(this.port, this.password, this.cliOptions, args);
	}

	/**
	 * Lines of this server's {@code CLIENT LIST} whose client name is the given one.
	 * @param clientName the client name
	 * @return the matching lines
	 */
	List<String> clientsNamed(String clientName) {
		return named(cli("CLIENT", "LIST"), clientName);
	}

	/**
	 * A field of this server's {@code INFO}, such as {@code cmdstat_auth}.
	 * @param section the section, such as {@code stats}
	 * @param field the field
	 * @return its value, or an empty string if the server has none
	 */
	String info(String section, String field) {
		return cli("INFO", section).lines()
			.filter((line) -> line.startsWith(field + ":"))
			.map((line) -> line.substring(field.length() + 1).trim())
			.findFirst()
			.orElse("");
	}

	/**
	 * Run a command with {@code redis-cli}.
	 * @param port the server's port
	 * @param password its password, or {@code null}
	 * @param args the command and its arguments
	 * @return the reply, trimmed
	 */
	static String cli(int port, @Nullable String password, String... args) {
		return cli(port, password, List.of(), args);
	}

	private static String cli(int port, @Nullable String password, List<String> options, String... args) {
		List<String> command = new ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1", "-p", String.valueOf(port)));
		command.addAll(options);
		command.addAll(List.of(args));
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
		if (password != null) {
			builder.environment().put("REDISCLI_AUTH", password);
		}
		try {
			Process process = builder.start();
			byte[] output = process.getInputStream().readAllBytes();
			if (!process.waitFor(10, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				throw new IllegalStateException("redis-cli " + args[0] + " did not finish");
			}
			return new String(output, StandardCharsets.UTF_8).trim();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Lines of {@code CLIENT LIST} whose client name is the given one.
	 * @param port the server's port
	 * @param password its password, or {@code null}
	 * @param clientName the client name
	 * @return the matching lines
	 */
	static List<String> clientsNamed(int port, @Nullable String password, String clientName) {
		return named(cli(port, password, "CLIENT", "LIST"), clientName);
	}

	private static List<String> named(String clientList, String clientName) {
		return clientList.lines().filter((line) -> line.contains(" name=" + clientName + " ")).toList();
	}

	/**
	 * A TCP port nothing listens on at the moment.
	 * @return the port
	 */
	static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			socket.setReuseAddress(true);
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private void awaitPong() {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException("redis-server exited: " + readLog());
			}
			if ("PONG".equals(cli("PING"))) {
				return;
			}
			try {
				Thread.sleep(50);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
		}
		close();
		throw new IllegalStateException("redis-server on port " + this.port + " did not answer PING: " + readLog());
	}

	private String readLog() {
		try {
			return Files.readString(this.log);
		}
		catch (IOException ex) {
			return ex.toString();
		}
	}

	/**
	 * Kill the server (SIGKILL): its connections are reset, nothing is saved.
	 */
	void kill() {
		this.process.destroyForcibly();
		try {
			this.process.waitFor(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public void close() {
		this.process.destroy();
		try {
			if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
				this.process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
			}
			Files.deleteIfExists(this.log);
			if (this.directory != null) {
				FileSystemUtils.deleteRecursively(this.directory);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (IOException ex) {
			// the log is in the temp directory
		}
	}

}

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

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The demo service run as a user runs it: {@code java -jar} on the packaged jar, in its
 * own working directory.
 */
final class DemoProcess implements AutoCloseable {

	private final Path workingDirectory;

	private final List<String> args;

	private final int port;

	private Process process;

	DemoProcess(Path workingDirectory, String... args) {
		this.workingDirectory = workingDirectory;
		this.port = freePort();
		this.args = List.of(args);
	}

	static Path jar() {
		String jar = System.getProperty("demo.jar");
		if (jar == null || !Files.exists(Path.of(jar))) {
			throw new IllegalStateException("System property demo.jar must name the packaged demo jar, not " + jar);
		}
		return Path.of(jar);
	}

	static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	DemoProcess start() throws Exception {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.add("-Xmx256m");
		String jvmArgs = System.getProperty("demo.jvm-args", "").trim();
		if (!jvmArgs.isEmpty()) {
			// for profiling, e.g. -XX:StartFlightRecording=filename=demo.jfr
			command.addAll(List.of(jvmArgs.split("\\s+")));
		}
		command.add("-jar");
		command.add(jar().toString());
		command.add("--server.port=" + this.port);
		command.add("--management.server.port=" + this.port);
		command.addAll(this.args);
		this.process = new ProcessBuilder(command).directory(this.workingDirectory.toFile())
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()))
			.start();
		Http http = new Http(baseUrl());
		long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException("Demo exited with " + this.process.exitValue() + ":\n" + tail());
			}
			if (http.status("/actuator/health") == 200) {
				return this;
			}
			Thread.sleep(200);
		}
		throw new IllegalStateException("Demo did not start within 90 s:\n" + tail());
	}

	long pid() {
		return this.process.pid();
	}

	String baseUrl() {
		return "http://127.0.0.1:" + this.port;
	}

	Path log() {
		return this.workingDirectory.resolve("demo.log");
	}

	String tail() throws IOException {
		List<String> lines = Files.readAllLines(log());
		return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
	}

	@Override
	public void close() throws InterruptedException {
		if (this.process != null && this.process.isAlive()) {
			this.process.destroy();
			if (!this.process.waitFor(20, TimeUnit.SECONDS)) {
				this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
		}
		keepLog();
	}

	/**
	 * Keep the demo's log under target/e2e-logs for whoever reads a failed build.
	 */
	private void keepLog() {
		try {
			Path logs = Files.createDirectories(Path.of("target", "e2e-logs"));
			Files.copy(log(), logs.resolve(this.workingDirectory.getFileName() + "-" + this.port + ".log"),
					java.nio.file.StandardCopyOption.REPLACE_EXISTING);
		}
		catch (IOException ex) {
			// the log is a diagnostic aid only
		}
	}

}

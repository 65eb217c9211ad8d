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

package dev.hotreload.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on loopback that holds every new connection for a while before it connects
 * it to the target, as a server would that accepts but answers late, and that can
 * {@link #silence() fall silent}. Counts the connections it has open.
 */
public final class DelayingProxy implements AutoCloseable {

	private final ServerSocket server;

	private final int targetPort;

	private final Duration delay;

	private final AtomicInteger open = new AtomicInteger();

	private volatile boolean silent;

	private final List<Socket> sockets = new CopyOnWriteArrayList<>();

	private final Thread acceptor;

	public DelayingProxy(int targetPort, Duration delay) throws IOException {
		this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		this.targetPort = targetPort;
		this.delay = delay;
		this.acceptor = new Thread(this::accept, "test-delaying-proxy");
		this.acceptor.setDaemon(true);
		this.acceptor.start();
	}

	public int port() {
		return this.server.getLocalPort();
	}

	/**
	 * Connections from clients that are still open.
	 */
	public int openConnections() {
		return this.open.get();
	}

	/**
	 * From now on, pass nothing on in either direction, and connect no new connection to
	 * the target, while keeping every connection open: the server stops answering without
	 * closing anything, as in a network partition or a paused process.
	 */
	public void silence() {
		this.silent = true;
	}

	private void accept() {
		while (!this.server.isClosed()) {
			try {
				Socket client = this.server.accept();
				this.sockets.add(client);
				this.open.incrementAndGet();
				Thread relay = new Thread(() -> relay(client), "test-delaying-proxy-relay");
				relay.setDaemon(true);
				relay.start();
			}
			catch (IOException ex) {
				// closed
			}
		}
	}

	private void relay(Socket client) {
		try (client) {
			Thread.sleep(this.delay.toMillis());
			if (this.silent) {
				client.getInputStream().transferTo(OutputStream.nullOutputStream());
				return;
			}
			try (Socket upstream = new Socket(InetAddress.getLoopbackAddress(), this.targetPort)) {
				this.sockets.add(upstream);
				Thread back = new Thread(() -> pump(upstream, client), "test-delaying-proxy-back");
				back.setDaemon(true);
				back.start();
				pump(client, upstream);
				back.join();
			}
		}
		catch (IOException | InterruptedException ex) {
			// closed
		}
		finally {
			this.open.decrementAndGet();
		}
	}

	private void pump(Socket from, Socket to) {
		try {
			InputStream in = from.getInputStream();
			OutputStream out = to.getOutputStream();
			byte[] buffer = new byte[8192];
			int read;
			while ((read = in.read(buffer)) != -1) {
				if (!this.silent) {
					out.write(buffer, 0, read);
					out.flush();
				}
			}
		}
		catch (IOException ex) {
			// closed
		}
		finally {
			try {
				to.shutdownOutput();
			}
			catch (IOException ex) {
				// closed
			}
		}
	}

	@Override
	public void close() throws IOException {
		this.server.close();
		for (Socket socket : this.sockets) {
			socket.close();
		}
	}

}

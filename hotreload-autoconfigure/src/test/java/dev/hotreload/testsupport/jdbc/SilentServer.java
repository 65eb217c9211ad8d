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
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Accepts every connection and never writes a byte; reads what the client sends only to
 * see when the client closes the socket. Counts the sockets still open.
 */
public final class SilentServer implements AutoCloseable {

	private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());

	private final AtomicInteger accepted = new AtomicInteger();

	private final AtomicInteger open = new AtomicInteger();

	private final List<Socket> sockets = new ArrayList<>();

	public SilentServer() throws IOException {
		Thread acceptor = new Thread(this::accept, "test-silent-server");
		acceptor.setDaemon(true);
		acceptor.start();
	}

	public int port() {
		return this.server.getLocalPort();
	}

	public int accepted() {
		return this.accepted.get();
	}

	public int open() {
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

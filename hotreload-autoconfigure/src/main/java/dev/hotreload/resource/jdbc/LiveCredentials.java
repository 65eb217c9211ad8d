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

import java.util.concurrent.atomic.AtomicReference;

import com.zaxxer.hikari.HikariCredentialsProvider;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.util.Credentials;
import org.jspecify.annotations.Nullable;

/**
 * The credentials a pool opens its physical connections with, read by HikariCP for every
 * new connection, so that a rotation in place is one atomic set: the connections opened
 * after it use the new credentials, the ones in use finish with the old.
 *
 * @author hotreload authors
 */
final class LiveCredentials implements HikariCredentialsProvider {

	private final AtomicReference<Credentials> credentials;

	private LiveCredentials(Credentials credentials) {
		this.credentials = new AtomicReference<>(credentials);
	}

	/**
	 * Give a pool that is not started yet, and has no credentials provider of its own,
	 * live credentials starting from its user name and password.
	 * @param pool the pool
	 * @return the live credentials, or {@code null} if the pool keeps its own
	 */
	static @Nullable LiveCredentials install(HikariDataSource pool) {
		if (pool.getCredentialsProvider() != null || pool.getCredentialsProviderClassName() != null) {
			return null;
		}
		LiveCredentials live = new LiveCredentials(Credentials.of(pool.getUsername(), pool.getPassword()));
		try {
			pool.setCredentialsProvider(live);
			return live;
		}
		catch (IllegalStateException ex) {
			// already started: its credentials change through its MXBean
			return null;
		}
	}

	@Override
	public Credentials getCredentials() {
		return this.credentials.get();
	}

	void set(@Nullable String username, @Nullable String password) {
		this.credentials.set(Credentials.of(username, password));
	}

	@Override
	public String toString() {
		return "LiveCredentials for user " + this.credentials.get().getUsername();
	}

}

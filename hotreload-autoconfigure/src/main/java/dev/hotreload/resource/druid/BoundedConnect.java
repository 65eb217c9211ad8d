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

package dev.hotreload.resource.druid;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;

import com.alibaba.druid.filter.FilterAdapter;
import com.alibaba.druid.filter.FilterChain;
import com.alibaba.druid.proxy.jdbc.ConnectionProxy;
import dev.hotreload.resource.LoginTimeouts;

/**
 * The Druid filter that bounds the login of a candidate pool's physical connections by
 * the validation timeout while the candidate is validated, through the driver's own
 * properties (see {@link LoginTimeouts}), and takes the read timeout off each connection
 * once it is open. Druid sets no connect or socket timeout unless the application does,
 * so without it a candidate pointed at a server that accepts TCP connections and never
 * answers would keep its validating thread and its socket for ever. Once the candidate is
 * {@link #validated()}, the filter stays in the pool's chain and does nothing.
 *
 * @author hotreload authors
 */
final class BoundedConnect extends FilterAdapter {

	private final String url;

	private final Duration timeout;

	private volatile boolean bounding;

	BoundedConnect(String url, Duration timeout) {
		this.url = url;
		this.timeout = timeout;
		this.bounding = LoginTimeouts.known(url);
	}

	/**
	 * End the bounded login: the connections the pool opens from now on are opened as
	 * Druid opens them.
	 */
	void validated() {
		this.bounding = false;
	}

	@Override
	public ConnectionProxy connection_connect(FilterChain chain, Properties info) throws SQLException {
		if (!this.bounding) {
			return super.connection_connect(chain, info);
		}
		Properties bounded = new Properties();
		bounded.putAll(info);
		boolean readTimeoutAdded = LoginTimeouts.add(bounded, this.url, this.timeout);
		ConnectionProxy connection = super.connection_connect(chain, bounded);
		if (readTimeoutAdded) {
			try {
				connection.setNetworkTimeout(Runnable::run, 0);
			}
			catch (SQLException | RuntimeException ex) {
				try {
					connection.close();
				}
				catch (SQLException closing) {
					ex.addSuppressed(closing);
				}
				throw ex;
			}
		}
		return connection;
	}

}

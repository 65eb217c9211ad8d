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

package dev.hotreload.source.nacos;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import com.alibaba.nacos.api.config.ConfigService;
import com.alibaba.nacos.api.exception.NacosException;
import dev.hotreload.source.ConfigContent;
import dev.hotreload.source.ConfigFormat;
import dev.hotreload.source.ConfigSource;
import dev.hotreload.source.ReloadTrigger;
import org.jspecify.annotations.Nullable;

/**
 * One Nacos data-id. Named {@code nacos:<data-id>}, or {@code nacos:<group>/<data-id>}
 * outside {@code DEFAULT_GROUP}. A data-id that does not exist reads as
 * {@link ConfigContent#MISSING}: deleting it in Nacos removes its keys, and the engine
 * validates that like any other change. A read while the server is unreachable fails, so
 * the live keys stay.
 *
 * @author hotreload authors
 */
public final class NacosConfigSource implements ConfigSource {

	private final NacosConnection connection;

	private final NacosSettings.DataId config;

	private final String name;

	private final AtomicBoolean fromSnapshot = new AtomicBoolean();

	NacosConfigSource(NacosConnection connection, NacosSettings.DataId config) {
		this.connection = connection;
		this.config = config;
		this.name = "nacos:" + (NacosSettings.DEFAULT_GROUP.equals(config.group()) ? config.dataId()
				: config.group() + "/" + config.dataId());
	}

	@Override
	public String name() {
		return this.name;
	}

	@Override
	public String location() {
		return this.connection.settings().serverAddr() + "/" + this.connection.settings().namespaceName() + "/"
				+ this.config.group() + "/" + this.config.dataId();
	}

	@Override
	public ConfigFormat format() {
		return this.config.contentFormat();
	}

	@Override
	public ReloadTrigger trigger() {
		return ReloadTrigger.NACOS;
	}

	/**
	 * Return the data-id.
	 * @return the data-id
	 */
	public String dataId() {
		return this.config.dataId();
	}

	/**
	 * Return the group.
	 * @return the group
	 */
	public String group() {
		return this.config.group();
	}

	/**
	 * Whether the application may start without this data-id.
	 * @return whether the data-id is optional
	 */
	public boolean isOptional() {
		return this.config.optional();
	}

	@Override
	public ConfigContent read() throws IOException {
		if (!this.connection.isConnected()) {
			throw new IOException(unreachable());
		}
		String content = fetch();
		if (!this.connection.isConnected()) {
			// nacos-client answers from its local snapshot when the server fails
			throw new IOException(unreachable());
		}
		this.fromSnapshot.set(false);
		return (content != null) ? new ConfigContent(content.getBytes(StandardCharsets.UTF_8), null)
				: ConfigContent.MISSING;
	}

	/**
	 * Read the content through the client, which answers from its local snapshot when the
	 * server cannot be reached.
	 * @return the content, {@code null} if the data-id does not exist (or, with the
	 * server unreachable, has no snapshot)
	 * @throws IOException if the client refuses the read
	 */
	@Nullable String fetch() throws IOException {
		try {
			return configService().getConfig(this.config.dataId(), this.config.group(),
					this.connection.settings().timeout().toMillis());
		}
		catch (NacosException ex) {
			throw new IOException("Nacos refused to read " + describe() + " (error " + ex.getErrCode() + ": "
					+ ex.getErrMsg() + "); check hotreload.nacos.username/password or the access keys", ex);
		}
	}

	void markFromSnapshot() {
		this.fromSnapshot.set(true);
	}

	void markFromServer() {
		this.fromSnapshot.set(false);
	}

	/**
	 * Whether the live keys came from nacos-client's local snapshot because the server
	 * could not be reached at startup, and no read from the server has happened since.
	 * @return whether the keys came from the snapshot
	 */
	public boolean isFromSnapshot() {
		return this.fromSnapshot.get();
	}

	ConfigService configService() {
		return this.connection.configService();
	}

	/**
	 * Describe the data-id for people: data-id, group, namespace and server.
	 * @return the description
	 */
	@Override
	public String describe() {
		return "data-id '" + this.config.dataId() + "' (group " + this.config.group() + ", namespace "
				+ this.connection.settings().namespaceName() + ", server " + this.connection.settings().serverAddr()
				+ ")";
	}

	private String unreachable() {
		return "Nacos server " + this.connection.settings().serverAddr() + " is unreachable; the live keys of "
				+ this.name + " stay until it is back";
	}

	@Override
	public Map<String, Object> status() {
		Map<String, Object> status = new LinkedHashMap<>();
		status.put("connected", this.connection.isConnected());
		status.put("snapshot", isFromSnapshot());
		status.put("group", this.config.group());
		status.put("namespace", this.connection.settings().namespaceName());
		return status;
	}

	@Override
	public String toString() {
		return this.name;
	}

}

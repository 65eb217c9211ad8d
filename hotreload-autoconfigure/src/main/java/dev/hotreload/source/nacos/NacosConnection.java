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
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;

import com.alibaba.nacos.api.PropertyKeyConst;
import com.alibaba.nacos.api.config.ConfigService;
import com.alibaba.nacos.api.exception.NacosException;
import dev.hotreload.source.ConfigParser;
import dev.hotreload.source.ConfigSources;
import dev.hotreload.source.SourcePropertySource;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.util.StringUtils;

/**
 * The Nacos client of the Nacos source and the data-ids read through it. Created once,
 * before the environment is complete, by {@link NacosSourceEnvironmentPostProcessor} and
 * then shared with the application context, which closes it.
 *
 * @author hotreload authors
 */
public final class NacosConnection implements ConfigSources, AutoCloseable {

	/**
	 * The bean name under which the connection is registered.
	 */
	public static final String BEAN_NAME = "hotReloadNacosConnection";

	private static final Log logger = LogFactory.getLog(NacosConnection.class);

	private static final String UP = "UP";

	private final NacosSettings settings;

	private final ConfigService configService;

	private final List<NacosConfigSource> sources;

	private final AtomicBoolean closed = new AtomicBoolean();

	private NacosConnection(NacosSettings settings, ConfigService configService) {
		this.settings = settings;
		this.configService = configService;
		this.sources = settings.configs().stream().map((config) -> new NacosConfigSource(this, config)).toList();
	}

	/**
	 * Create the client.
	 * @param settings the settings
	 * @param factory creates the config service
	 * @return the connection
	 */
	public static NacosConnection open(NacosSettings settings, NacosConfigServiceFactory factory) {
		try {
			return new NacosConnection(settings, factory.create(clientProperties(settings)));
		}
		catch (NacosException ex) {
			throw new IllegalStateException("Cannot create the Nacos client for server " + settings.serverAddr()
					+ " (error " + ex.getErrCode() + ": " + ex.getErrMsg() + "); check hotreload.nacos.*", ex);
		}
	}

	static Properties clientProperties(NacosSettings settings) {
		Properties properties = new Properties();
		put(properties, PropertyKeyConst.SERVER_ADDR, settings.serverAddr());
		put(properties, PropertyKeyConst.NAMESPACE, settings.namespace());
		put(properties, PropertyKeyConst.USERNAME, settings.username());
		put(properties, PropertyKeyConst.PASSWORD, settings.password());
		put(properties, PropertyKeyConst.ACCESS_KEY, settings.accessKey());
		put(properties, PropertyKeyConst.SECRET_KEY, settings.secretKey());
		return properties;
	}

	private static void put(Properties properties, String key, @Nullable String value) {
		if (StringUtils.hasText(value)) {
			properties.setProperty(key, value.trim());
		}
	}

	/**
	 * Load every data-id into the environment, each as one {@link SourcePropertySource}
	 * added above the previous one and below the command-line arguments.
	 * @param environment the environment
	 * @param logger where to say that the local snapshot was used
	 * @throws IllegalStateException if a required data-id is missing or malformed, or the
	 * server cannot be reached with {@code fail-fast} on
	 */
	void load(ConfigurableEnvironment environment, Log logger) {
		for (NacosConfigSource source : this.sources) {
			String content;
			try {
				content = source.fetch();
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex.getMessage(), ex);
			}
			if (!isConnected()) {
				if (this.settings.failFast()) {
					throw new IllegalStateException("Cannot reach Nacos server " + this.settings.serverAddr()
							+ " to load " + source.describe() + "; start the server or fix hotreload.nacos.server-addr,"
							+ " or set hotreload.nacos.fail-fast=false to start from nacos-client's local snapshot");
				}
				if (content == null && !source.isOptional()) {
					throw new IllegalStateException("Cannot reach Nacos server " + this.settings.serverAddr()
							+ " to load " + source.describe() + " and nacos-client has no local snapshot of it;"
							+ " start the server, or mark the data-id optional");
				}
				source.markFromSnapshot();
				logger.warn("Nacos server " + this.settings.serverAddr() + " is unreachable: started " + source.name()
						+ " from nacos-client's local snapshot" + ((content != null) ? "" : " (there is none: no keys)")
						+ "; changes made in Nacos are applied once the server is reachable");
			}
			else if (content == null && !source.isOptional()) {
				throw new IllegalStateException("Nacos " + source.describe() + " does not exist; publish it,"
						+ " fix hotreload.nacos.configs, or set optional: true on that entry");
			}
			byte[] bytes = (content != null) ? content.getBytes(StandardCharsets.UTF_8) : new byte[0];
			Map<String, Object> properties;
			try {
				properties = ConfigParser.parse(source.name(), source.format(), bytes);
			}
			catch (ConfigParser.InvalidConfigException ex) {
				throw new IllegalStateException("Cannot load Nacos " + source.describe() + ": " + ex.getMessage(), ex);
			}
			SourcePropertySource.addToEnvironment(environment,
					new SourcePropertySource(source, properties, ConfigParser.sha256(bytes), null));
		}
	}

	@Override
	public List<NacosConfigSource> sources() {
		return this.sources;
	}

	/**
	 * Return the settings.
	 * @return the settings
	 */
	public NacosSettings settings() {
		return this.settings;
	}

	ConfigService configService() {
		return this.configService;
	}

	/**
	 * Whether the client is connected to the server.
	 * @return whether the server is reachable
	 */
	public boolean isConnected() {
		if (this.closed.get()) {
			return false;
		}
		try {
			return UP.equals(this.configService.getServerStatus());
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

	/**
	 * Shut the client down. Idempotent.
	 */
	@Override
	public void close() {
		if (this.closed.compareAndSet(false, true)) {
			try {
				this.configService.shutDown();
			}
			catch (NacosException | RuntimeException ex) {
				logger.debug("Shutting the Nacos client of " + this.settings.serverAddr() + " down failed", ex);
			}
		}
	}

	@Override
	public String toString() {
		return "Nacos " + this.settings.serverAddr() + " " + this.sources;
	}

}

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

import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.util.StringUtils;

/**
 * Thrown at startup when {@code hotreload.nacos.*} asks for the Nacos source but
 * nacos-client is not on the class path. Explained by
 * {@link NacosClientMissingFailureAnalyzer}.
 *
 * @author hotreload authors
 */
public final class NacosClientMissingException extends IllegalStateException {

	/**
	 * The class whose presence tells that nacos-client is on the class path.
	 */
	public static final String CONFIG_SERVICE_CLASS = "com.alibaba.nacos.api.config.ConfigService";

	private final List<String> properties;

	/**
	 * Create the exception.
	 * @param properties the {@code hotreload.nacos.*} properties that ask for the Nacos
	 * source
	 */
	public NacosClientMissingException(List<String> properties) {
		super(properties + " " + ((properties.size() == 1) ? "is" : "are")
				+ " set but nacos-client is not on the class path, so the Nacos source cannot start");
		this.properties = List.copyOf(properties);
	}

	/**
	 * Return the {@code hotreload.nacos.*} properties that ask for the Nacos source.
	 * @return the property names
	 */
	public List<String> getProperties() {
		return this.properties;
	}

	/**
	 * Return the properties that ask for the Nacos source: a server address or a data-id.
	 * @param binder binds the environment
	 * @return the property names, empty if the Nacos source is not asked for
	 */
	public static List<String> requestingProperties(Binder binder) {
		List<String> names = new ArrayList<>();
		if (binder.bind(NacosSettings.PREFIX + ".server-addr", String.class).map(StringUtils::hasText).orElse(false)) {
			names.add(NacosSettings.PREFIX + ".server-addr");
		}
		if (binder.bind(NacosSettings.PREFIX + ".configs[0].data-id", String.class).isBound()) {
			names.add(NacosSettings.PREFIX + ".configs");
		}
		return names;
	}

}

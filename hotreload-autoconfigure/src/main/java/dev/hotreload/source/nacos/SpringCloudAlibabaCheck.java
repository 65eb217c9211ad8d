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

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.apache.commons.logging.Log;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

/**
 * Detects a data-id that both the Nacos source and spring-cloud-alibaba's Nacos config
 * listen to. Spring-cloud-alibaba's refreshes already reach hotreload through the Spring
 * Cloud bridge, so a data-id listed in both would have every change applied twice; the
 * Nacos source only runs when {@code hotreload.nacos.server-addr} is set, and this warns
 * when the two overlap.
 *
 * @author hotreload authors
 */
final class SpringCloudAlibabaCheck {

	static final String NACOS_CONFIG_PROPERTIES_CLASS = "com.alibaba.cloud.nacos.NacosConfigProperties";

	private static final String PREFIX = "spring.cloud.nacos.config";

	private SpringCloudAlibabaCheck() {
	}

	static void warnOnOverlap(ConfigurableEnvironment environment, NacosSettings settings, Log logger) {
		if (ClassUtils.isPresent(NACOS_CONFIG_PROPERTIES_CLASS, SpringCloudAlibabaCheck.class.getClassLoader())) {
			Set<String> overlap = overlap(Binder.get(environment), settings);
			if (!overlap.isEmpty()) {
				logger.warn(warning(overlap));
			}
		}
	}

	static String warning(Set<String> overlap) {
		return "Nacos data-id(s) " + overlap + " are loaded both by spring-cloud-alibaba's Nacos config and by"
				+ " hotreload.nacos.configs, so each change would be applied twice. spring-cloud-alibaba's"
				+ " refreshes already reach hotreload through its Spring Cloud bridge: remove these data-ids"
				+ " from hotreload.nacos.configs (or from spring-cloud-alibaba's config)";
	}

	/**
	 * Return the data-ids (as {@code group/data-id}) that spring-cloud-alibaba also
	 * loads.
	 * @param binder binds the environment
	 * @param settings the Nacos source's settings
	 * @return the data-ids in both
	 */
	static Set<String> overlap(Binder binder, NacosSettings settings) {
		if (!binder.bind(PREFIX + ".enabled", Boolean.class).orElse(true)) {
			return Set.of();
		}
		Set<String> theirs = new LinkedHashSet<>();
		String defaultGroup = binder.bind(PREFIX + ".group", String.class).orElse(NacosSettings.DEFAULT_GROUP);
		for (String location : binder.bind("spring.config.import", Bindable.listOf(String.class)).orElse(List.of())) {
			String value = location.trim();
			value = value.startsWith("optional:") ? value.substring("optional:".length()) : value;
			if (value.startsWith("nacos:")) {
				String dataId = value.substring("nacos:".length());
				int query = dataId.indexOf('?');
				String group = defaultGroup;
				if (query >= 0) {
					String parameters = dataId.substring(query + 1);
					dataId = dataId.substring(0, query);
					for (String parameter : parameters.split("&")) {
						if (parameter.startsWith("group=")) {
							group = parameter.substring("group=".length());
						}
					}
				}
				theirs.add(group + "/" + dataId);
			}
		}
		for (String list : List.of("shared-configs", "extension-configs")) {
			for (SharedConfig entry : binder.bind(PREFIX + "." + list, Bindable.listOf(SharedConfig.class))
				.orElse(List.of())) {
				if (StringUtils.hasText(entry.dataId())) {
					theirs.add((StringUtils.hasText(entry.group()) ? entry.group() : NacosSettings.DEFAULT_GROUP) + "/"
							+ entry.dataId());
				}
			}
		}
		Set<String> overlap = new LinkedHashSet<>();
		for (NacosSettings.DataId config : settings.configs()) {
			String key = config.group() + "/" + config.dataId();
			if (theirs.contains(key)) {
				overlap.add(key);
			}
		}
		return overlap;
	}

	/**
	 * An entry of spring-cloud-alibaba's shared or extension configs.
	 *
	 * @param dataId the data-id
	 * @param group the group
	 */
	record SharedConfig(@Nullable String dataId, @Nullable String group) {

	}

}

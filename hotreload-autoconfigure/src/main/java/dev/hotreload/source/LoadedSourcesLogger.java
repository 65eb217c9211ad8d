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

package dev.hotreload.source;

import java.util.ArrayList;
import java.util.List;

import org.apache.commons.logging.Log;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;

/**
 * Says at startup, in one INFO line per source, what each config source loaded: its name,
 * where it lives, how many keys and the short digest of its content, so that the log
 * shows which file or data-id the application runs on. Runs after the sources have
 * loaded, before any bean is built, so the lines come before a failure that the loaded
 * keys may explain.
 *
 * @author hotreload authors
 */
public final class LoadedSourcesLogger implements EnvironmentPostProcessor, Ordered {

	/**
	 * The order: after the file source and the Nacos source, which run right after
	 * {@link ConfigDataEnvironmentPostProcessor}.
	 */
	public static final int ORDER = ConfigDataEnvironmentPostProcessor.ORDER + 10;

	private final Log logger;

	public LoadedSourcesLogger(DeferredLogFactory logFactory) {
		this.logger = logFactory.getLog(LoadedSourcesLogger.class);
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		List<SourcePropertySource> loaded = new ArrayList<>();
		for (PropertySource<?> propertySource : environment.getPropertySources()) {
			if (propertySource instanceof SourcePropertySource source) {
				loaded.add(0, source);
			}
		}
		// in the order they were loaded: the lowest precedence first
		loaded.forEach((source) -> this.logger.info(describe(source)));
	}

	static String describe(SourcePropertySource loaded) {
		String digest = loaded.getDigest();
		int keys = loaded.getPropertyNames().length;
		return "Loaded " + loaded.getSourceName() + " (" + loaded.getLocation() + "): "
				+ ((digest != null) ? keys + ((keys == 1) ? " key" : " keys") + ", digest " + digest.substring(0, 8)
						: "no content, no keys");
	}

}

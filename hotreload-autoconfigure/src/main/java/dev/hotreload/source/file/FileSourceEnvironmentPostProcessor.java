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

package dev.hotreload.source.file;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.hotreload.source.ConfigContent;
import dev.hotreload.source.ConfigParser;
import dev.hotreload.source.SourcePropertySource;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Loads the files of {@code hotreload.file.locations} into the environment before any
 * bean is built, so that a DataSource can be configured from them. Runs right after
 * Spring Boot's config data has been loaded, so the locations may be set in
 * {@code application.yaml}, the environment or on the command line.
 *
 * @author hotreload authors
 */
public class FileSourceEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	/**
	 * The order: right after {@link ConfigDataEnvironmentPostProcessor}.
	 */
	public static final int ORDER = ConfigDataEnvironmentPostProcessor.ORDER + 1;

	private static final Duration DEFAULT_SETTLE_TIME = Duration.ofMillis(50);

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		Binder binder = Binder.get(environment);
		if (!binder.bind("hotreload.enabled", Boolean.class).orElse(true)) {
			return;
		}
		List<String> locations = binder.bind("hotreload.file.locations", Bindable.listOf(String.class))
			.orElse(List.of());
		Duration settleTime = binder.bind("hotreload.file.settle-time", Duration.class).orElse(DEFAULT_SETTLE_TIME);
		for (String location : locations) {
			if (location.isBlank()) {
				continue;
			}
			FileConfigSource source = FileConfigSource.of(location, settleTime);
			ConfigContent content;
			try {
				content = source.read();
			}
			catch (IOException ex) {
				if (source.isOptional()) {
					SourcePropertySource.addToEnvironment(environment,
							new SourcePropertySource(source, Map.of(), null, null));
					continue;
				}
				throw new IllegalStateException("hotreload.file.locations: cannot read " + source.location() + " ("
						+ ex.getClass().getSimpleName() + ": " + ex.getMessage()
						+ "); create the file or prefix the location with 'optional:'", ex);
			}
			Map<String, Object> properties = ConfigParser.parse(source.name(), source.format(), content.bytes());
			SourcePropertySource.addToEnvironment(environment, new SourcePropertySource(source, properties,
					ConfigParser.sha256(content.bytes()), content.lastModified()));
		}
	}

}

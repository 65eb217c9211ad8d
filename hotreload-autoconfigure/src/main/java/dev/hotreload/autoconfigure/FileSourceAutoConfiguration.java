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

package dev.hotreload.autoconfigure;

import java.util.List;

import dev.hotreload.engine.ReloadEngine;
import dev.hotreload.source.ConfigSources;
import dev.hotreload.source.file.FileConfigSource;
import dev.hotreload.source.file.FileSourceWatcher;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the local-file source: the files of
 * {@code hotreload.file.locations}, watched for changes. The files themselves are loaded
 * at startup by {@link dev.hotreload.source.file.FileSourceEnvironmentPostProcessor}.
 *
 * @author hotreload authors
 */
@AutoConfiguration(after = HotReloadAutoConfiguration.class)
@ConditionalOnBean(ReloadEngine.class)
public final class FileSourceAutoConfiguration {

	@Bean
	FileConfigSources hotReloadFileSources(HotReloadProperties properties) {
		return new FileConfigSources(properties.getFile()
			.getLocations()
			.stream()
			.filter((location) -> !location.isBlank())
			.map((location) -> FileConfigSource.of(location, properties.getFile().getSettleTime()))
			.toList());
	}

	@Bean
	FileSourceWatcher hotReloadFileSourceWatcher(FileConfigSources sources, ReloadEngine engine,
			HotReloadProperties properties) {
		return new FileSourceWatcher(sources.sources(), engine, properties.getFile().isWatch(),
				properties.getFile().getPollInterval(), properties.getFile().getSettleTime());
	}

	/**
	 * The files of {@code hotreload.file.locations}.
	 *
	 * @param sources the files
	 */
	record FileConfigSources(List<FileConfigSource> sources) implements ConfigSources {

	}

}

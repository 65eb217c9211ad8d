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

import java.nio.file.Path;
import java.util.List;

import dev.hotreload.engine.CredentialsRejectedReloads;
import dev.hotreload.engine.DerivedPropertySource;
import dev.hotreload.engine.ReloadEngine;
import dev.hotreload.engine.ReloadGuard;
import dev.hotreload.engine.ReloadListener;
import dev.hotreload.guard.VersionGuard;
import dev.hotreload.history.JsonLinesHistoryStore;
import dev.hotreload.history.ReloadHistory;
import dev.hotreload.resource.ReloadableResource;
import dev.hotreload.source.ConfigSource;
import dev.hotreload.source.ConfigSources;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.info.ProjectInfoAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.info.BuildProperties;
import org.springframework.cloud.autoconfigure.RefreshAutoConfiguration;
import org.springframework.cloud.context.scope.refresh.RefreshScope;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Auto-configuration of the reload engine and its history.
 *
 * @author hotreload authors
 */
@AutoConfiguration(after = { ProjectInfoAutoConfiguration.class, RefreshAutoConfiguration.class })
@ConditionalOnBooleanProperty(name = "hotreload.enabled", matchIfMissing = true)
@EnableConfigurationProperties(HotReloadProperties.class)
public final class HotReloadAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ReloadHistory hotReloadHistory(HotReloadProperties properties) {
		Path file = properties.getHistory().getFile();
		return new ReloadHistory(properties.getHistory().getSize(), properties.getHistory().getChangedKeysLimit(),
				(file != null) ? new JsonLinesHistoryStore(file) : null);
	}

	@Bean
	@ConditionalOnMissingBean
	VersionGuard hotReloadVersionGuard(ObjectProvider<BuildProperties> buildProperties) {
		return new VersionGuard(() -> {
			BuildProperties build = buildProperties.getIfAvailable();
			return (build != null) ? build.getVersion() : null;
		});
	}

	@Bean
	@ConditionalOnMissingBean
	ReloadEngine hotReloadEngine(ApplicationContext context, ConfigurableEnvironment environment,
			ObjectProvider<ConfigSources> sources, ObjectProvider<ReloadableResource> resources,
			ObjectProvider<ReloadListener> listeners, ObjectProvider<RefreshScope> refreshScope, ReloadHistory history,
			ObjectProvider<ReloadGuard> guards, ObjectProvider<DerivedPropertySource> derivedSources,
			HotReloadProperties properties) {
		ReloadEngine engine = new ReloadEngine(context, environment,
				() -> sources.orderedStream()
					.flatMap((group) -> group.sources().stream())
					.map(ConfigSource.class::cast)
					.toList(),
				() -> resources.orderedStream().toList(), () -> listeners.orderedStream().toList(),
				refreshScope::getIfAvailable, history, () -> guards.orderedStream().toList(), properties.getJitter());
		engine.setShutdownTimeout(properties.getShutdownTimeout());
		engine.setDerivedSources(() -> derivedSources.orderedStream().toList());
		return engine;
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBooleanProperty(name = "hotreload.auth-failure.enabled", matchIfMissing = true)
	CredentialsRejectedReloads hotReloadCredentialsRejectedReloads(ReloadEngine engine,
			HotReloadProperties properties) {
		return new CredentialsRejectedReloads(engine, properties.getAuthFailure().getWindow(),
				properties.getAuthFailure().getInterval());
	}

}

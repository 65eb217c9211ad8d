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

package dev.hotreload.engine;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.boot.env.PropertySourceInfo;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.PropertySource.StubPropertySource;

/**
 * Binds a reload's candidate environment through Boot's adapters of its property sources
 * ({@link ConfigurationPropertySource}), kept from one reload to the next for the sources
 * a reload did not replace: an adapter learns the names of its source's properties once,
 * which a binder built with {@link ConfigurationPropertySources#from} learns again on
 * every reload for every source (about half of the CPU time a DataSource candidate takes
 * to build). Adapts as {@code ConfigurationPropertySources.from} does: stubs and the
 * attached {@code configurationProperties} source are skipped, a nested environment's
 * sources are used, and an environment prefix applies.
 *
 * @author hotreload authors
 */
final class BindingSources {

	private Map<PropertySource<?>, ConfigurationPropertySource> adapters = new IdentityHashMap<>();

	/**
	 * A binder over the candidate property sources; adapters of sources that are not in
	 * them any more are dropped.
	 * @param candidate the candidate property sources
	 * @return the binder
	 */
	synchronized Binder binder(MutablePropertySources candidate) {
		Map<PropertySource<?>, ConfigurationPropertySource> kept = new IdentityHashMap<>();
		List<ConfigurationPropertySource> sources = new ArrayList<>();
		adapt(candidate, kept, sources);
		this.adapters = kept;
		return new Binder(sources, new PropertySourcesPlaceholdersResolver(candidate),
				ApplicationConversionService.getSharedInstance());
	}

	private void adapt(Iterable<PropertySource<?>> propertySources,
			Map<PropertySource<?>, ConfigurationPropertySource> kept, List<ConfigurationPropertySource> sources) {
		for (PropertySource<?> source : propertySources) {
			if (source instanceof StubPropertySource
					|| ConfigurationPropertySources.isAttachedConfigurationPropertySource(source)) {
				continue;
			}
			if (source.getSource() instanceof ConfigurableEnvironment nested) {
				adapt(nested.getPropertySources(), kept, sources);
				continue;
			}
			ConfigurationPropertySource adapter = this.adapters.get(source);
			if (adapter == null) {
				adapter = ConfigurationPropertySource.from(source);
				if (adapter != null && source instanceof PropertySourceInfo info) {
					adapter = adapter.withPrefix(info.getPrefix());
				}
			}
			if (adapter != null) {
				kept.put(source, adapter);
				sources.add(adapter);
			}
		}
	}

}

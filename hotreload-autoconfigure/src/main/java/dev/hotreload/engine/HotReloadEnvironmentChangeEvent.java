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

import java.util.Set;

import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.context.ApplicationContext;

/**
 * The {@link EnvironmentChangeEvent} hotreload publishes after it applied a change. A
 * distinct type so that the Spring Cloud bridge does not feed hotreload's own changes
 * back to the engine. When Spring Cloud's {@code ConfigurationPropertiesRebinder} is
 * present, the engine rebinds each {@code @ConfigurationProperties} bean itself before
 * publishing, and the event's source is the engine, so that the rebinder does not rebind
 * them again.
 *
 * @author hotreload authors
 */
public class HotReloadEnvironmentChangeEvent extends EnvironmentChangeEvent {

	public HotReloadEnvironmentChangeEvent(ApplicationContext context, Set<String> keys) {
		super(context, keys);
	}

	/**
	 * Create an event from another source than the application context.
	 * @param source the source, such as the reload engine
	 * @param keys the keys that changed
	 */
	public HotReloadEnvironmentChangeEvent(Object source, Set<String> keys) {
		super(source, keys);
	}

}

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

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a {@link NacosClientMissingException}: which properties ask for the Nacos
 * source, and what to add or remove.
 *
 * @author hotreload authors
 */
final class NacosClientMissingFailureAnalyzer extends AbstractFailureAnalyzer<NacosClientMissingException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, NacosClientMissingException cause) {
		String description = "The Nacos source is configured (" + String.join(", ", cause.getProperties())
				+ ") but nacos-client is not on the class path, so no data-id can be loaded from Nacos.";
		String action = "Add com.alibaba.nacos:nacos-client to the application: hotreload-spring-boot-starter"
				+ " brings it unless it is excluded, and an application that depends on hotreload-autoconfigure"
				+ " alone must add it. Or, to read only local files, remove the hotreload.nacos.* properties.";
		return new FailureAnalysis(description, action, cause);
	}

}

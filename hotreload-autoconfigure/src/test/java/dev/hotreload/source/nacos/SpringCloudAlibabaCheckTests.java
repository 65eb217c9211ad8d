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

import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SpringCloudAlibabaCheck}.
 *
 * @author hotreload authors
 */
class SpringCloudAlibabaCheckTests {

	private final NacosSettings settings = new NacosSettings("127.0.0.1:8848", null, null, null, null, null, true,
			java.time.Duration.ofSeconds(3), java.time.Duration.ofSeconds(5),
			List.of(new NacosSettings.DataId("app.yaml", "ORDERS", null, false), NacosSettings.DataId.of("common.yaml"),
					NacosSettings.DataId.of("mine.yaml")));

	@Test
	void findsDataIdsAlsoImportedOrSharedBySpringCloudAlibaba() {
		MockEnvironment environment = new MockEnvironment()
			.withProperty("spring.config.import", "optional:nacos:app.yaml?group=ORDERS&refreshEnabled=true")
			.withProperty("spring.cloud.nacos.config.shared-configs[0].data-id", "common.yaml")
			.withProperty("spring.cloud.nacos.config.extension-configs[0].data-id", "theirs.yaml");
		assertThat(SpringCloudAlibabaCheck.overlap(Binder.get(environment), this.settings))
			.containsExactly("ORDERS/app.yaml", "DEFAULT_GROUP/common.yaml");
	}

	@Test
	void findsNothingWhenSpringCloudAlibabaConfigIsDisabled() {
		MockEnvironment environment = new MockEnvironment().withProperty("spring.config.import", "nacos:mine.yaml")
			.withProperty("spring.cloud.nacos.config.enabled", "false");
		assertThat(SpringCloudAlibabaCheck.overlap(Binder.get(environment), this.settings)).isEmpty();
	}

	@Test
	void groupMustMatchToOverlap() {
		MockEnvironment environment = new MockEnvironment().withProperty("spring.config.import", "nacos:app.yaml");
		assertThat(SpringCloudAlibabaCheck.overlap(Binder.get(environment), this.settings)).isEmpty();
	}

	@Test
	void warningSaysWhichDataIdsAndWhatToDo() {
		assertThat(SpringCloudAlibabaCheck.warning(java.util.Set.of("ORDERS/app.yaml"))).contains("ORDERS/app.yaml")
			.contains("applied twice")
			.contains("remove these data-ids from hotreload.nacos.configs");
	}

}

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

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link NacosSettings}.
 */
class NacosSettingsTests {

	@Test
	void printsNoPasswordOrSecretKey() {
		NacosSettings settings = new Binder(new MapConfigurationPropertySource(Map.of("hotreload.nacos.server-addr",
				"127.0.0.1:8848", "hotreload.nacos.username", "nacos", "hotreload.nacos.password", "NacosPw4242",
				"hotreload.nacos.access-key", "ak", "hotreload.nacos.secret-key", "NacosSk4242")))
			.bind(NacosSettings.PREFIX, NacosSettings.class)
			.get();
		assertThat(settings.password()).isEqualTo("NacosPw4242");
		assertThat(settings.toString()).contains("username=nacos")
			.contains("serverAddr=127.0.0.1:8848")
			.doesNotContain("NacosPw4242")
			.doesNotContain("NacosSk4242");
	}

}

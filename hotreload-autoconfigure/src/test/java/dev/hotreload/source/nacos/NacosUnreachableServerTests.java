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

import java.io.IOException;
import java.net.ServerSocket;

import dev.hotreload.autoconfigure.HotReloadAutoConfiguration;
import dev.hotreload.autoconfigure.NacosSourceAutoConfiguration;
import dev.hotreload.engine.ReloadEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests of the Nacos source with nacos-client's own config service and no server
 * listening at the configured address: proves that the real client reports the server
 * down, so {@code fail-fast} and the snapshot fallback work with it.
 *
 * @author hotreload authors
 */
@ExtendWith(OutputCaptureExtension.class)
class NacosUnreachableServerTests {

	@Test
	void failFastFailsStartupWithRealClient() throws IOException {
		String address = "127.0.0.1:" + freePort();
		assertThatIllegalStateException()
			.isThrownBy(() -> run(address, "--hotreload.nacos.configs[0].data-id=app.properties"))
			.withMessageContaining("Cannot reach Nacos server " + address);
	}

	@Test
	void startsWithOptionalDataIdWhenFailFastIsOffWithRealClient(CapturedOutput output) throws IOException {
		String address = "127.0.0.1:" + freePort();
		try (ConfigurableApplicationContext context = run(address, "--hotreload.nacos.fail-fast=false",
				"--hotreload.nacos.configs[0].data-id=app.properties", "--hotreload.nacos.configs[0].optional=true")) {
			assertThat(output).contains("is unreachable: started nacos:app.properties from nacos-client's local"
					+ " snapshot (there is none: no keys)");
			assertThat(context.getBean(ReloadEngine.class).sources()).singleElement()
				.satisfies((state) -> assertThat(state.status()).containsEntry("connected", false)
					.containsEntry("snapshot", true));
		}
	}

	private ConfigurableApplicationContext run(String address, String... args) {
		String[] all = new String[args.length + 1];
		all[0] = "--hotreload.nacos.server-addr=" + address;
		System.arraycopy(args, 0, all, 1, args.length);
		return new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE).run(all);
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ HotReloadAutoConfiguration.class, NacosSourceAutoConfiguration.class })
	static class App {

	}

}

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

import dev.hotreload.crypto.CipherPropertySource;
import dev.hotreload.engine.ReloadEngine;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.cloud.bootstrap.encrypt.AbstractEnvironmentDecrypt;
import org.springframework.context.annotation.Bean;
import org.springframework.security.crypto.encrypt.TextEncryptor;

/**
 * Auto-configuration of the decryption of {@code {cipher}} values in reloaded config,
 * where Spring Cloud decrypts them at startup: spring-security-crypto is on the class
 * path and {@code spring.cloud.decrypt-environment-post-processor.enabled} is not
 * {@code false}.
 *
 * @author hotreload authors
 */
@AutoConfiguration(after = HotReloadAutoConfiguration.class)
@ConditionalOnClass({ TextEncryptor.class, AbstractEnvironmentDecrypt.class })
@ConditionalOnBean(ReloadEngine.class)
@ConditionalOnBooleanProperty(name = "spring.cloud.decrypt-environment-post-processor.enabled", matchIfMissing = true)
public final class CipherReloadAutoConfiguration {

	@Bean
	CipherPropertySource hotReloadCipherPropertySource(ObjectProvider<TextEncryptor> textEncryptor) {
		return new CipherPropertySource(textEncryptor::getIfUnique);
	}

}

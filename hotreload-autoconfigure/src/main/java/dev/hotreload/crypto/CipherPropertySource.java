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

package dev.hotreload.crypto;

import java.util.Collection;
import java.util.Map;
import java.util.function.Supplier;

import dev.hotreload.engine.DerivedPropertySource;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.cloud.bootstrap.encrypt.AbstractEnvironmentDecrypt;
import org.springframework.cloud.bootstrap.encrypt.KeyProperties;
import org.springframework.cloud.bootstrap.encrypt.RsaProperties;
import org.springframework.cloud.bootstrap.encrypt.TextEncryptorUtils;
import org.springframework.cloud.context.encrypt.EncryptorFactory;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.PropertySources;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.security.crypto.encrypt.TextEncryptor;
import org.springframework.util.ClassUtils;

/**
 * Decrypts the {@code {cipher}} values of a reloaded config exactly as Spring Cloud's
 * {@code DecryptEnvironmentPostProcessor} decrypts them at startup: with Spring Cloud's
 * own decryption, into the {@code decrypted} property source put first in the
 * environment, with the key of {@code encrypt.*} as the candidate config sets it (so a
 * new key and values encrypted with it can arrive together) or else the application's
 * {@link TextEncryptor} bean. A value that cannot be decrypted rejects the change, naming
 * its key; the sources keep the ciphertext, so their digests and the history are of the
 * ciphertext and the plain value is never recorded.
 *
 * @author hotreload authors
 */
public final class CipherPropertySource implements DerivedPropertySource {

	private static final boolean RSA_PRESENT = ClassUtils
		.isPresent("org.springframework.security.crypto.encrypt.RsaSecretEncryptor", null);

	private final Supplier<@Nullable TextEncryptor> textEncryptor;

	/**
	 * Create a derived source of decrypted values.
	 * @param textEncryptor the application's text encryptor, used when the config sets no
	 * {@code encrypt.key} or key store
	 */
	public CipherPropertySource(Supplier<@Nullable TextEncryptor> textEncryptor) {
		this.textEncryptor = textEncryptor;
	}

	@Override
	public String name() {
		return AbstractEnvironmentDecrypt.DECRYPTED_PROPERTY_SOURCE_NAME;
	}

	/**
	 * Only when the environment has decrypted values already (they may change or go) or
	 * the new content holds a cipher: a reload of a config without ciphers pays nothing.
	 */
	@Override
	public boolean mayChange(@Nullable PropertySource<?> live, Collection<? extends PropertySource<?>> replacements) {
		return live != null || replacements.stream().anyMatch(CipherPropertySource::hasCipher);
	}

	private static boolean hasCipher(PropertySource<?> propertySource) {
		if (!(propertySource instanceof EnumerablePropertySource<?> enumerable)) {
			return true;
		}
		for (String name : enumerable.getPropertyNames()) {
			Object value = enumerable.getProperty(name);
			if (value != null && value.toString().startsWith(AbstractEnvironmentDecrypt.ENCRYPTED_PROPERTY_PREFIX)) {
				return true;
			}
		}
		return false;
	}

	@Override
	public @Nullable PropertySource<?> derive(PropertySources candidate) {
		Decryptor decryptor = new Decryptor();
		Map<String, Object> decrypted;
		try {
			decrypted = decryptor.decrypt(encryptor(candidate, decryptor), candidate);
		}
		catch (IllegalStateException ex) {
			throw new IllegalStateException(ex.getMessage()
					+ "; check the value's ciphertext and the key it was encrypted with (encrypt.key or the key store)");
		}
		return decrypted.isEmpty() ? null : new SystemEnvironmentPropertySource(name(), decrypted);
	}

	private TextEncryptor encryptor(PropertySources candidate, Decryptor decryptor) {
		Binder binder = new Binder(ConfigurationPropertySources.from(candidate),
				new PropertySourcesPlaceholdersResolver(candidate));
		KeyProperties keys = binder.bind(KeyProperties.PREFIX, KeyProperties.class).orElseGet(KeyProperties::new);
		if (TextEncryptorUtils.keysConfigured(keys)) {
			decryptor.setFailOnError(keys.isFailOnError());
			if (RSA_PRESENT) {
				RsaProperties rsa = binder.bind(RsaProperties.PREFIX, RsaProperties.class)
					.orElseGet(RsaProperties::new);
				return TextEncryptorUtils.createTextEncryptor(keys, rsa);
			}
			return new EncryptorFactory(keys.getSalt()).create(keys.getKey());
		}
		TextEncryptor bean = this.textEncryptor.get();
		return (bean != null) ? bean : new TextEncryptorUtils.FailsafeTextEncryptor();
	}

	/**
	 * Spring Cloud's decryption, reached from here.
	 */
	private static final class Decryptor extends AbstractEnvironmentDecrypt {

		@Override
		protected Map<String, Object> decrypt(TextEncryptor encryptor, PropertySources propertySources) {
			return super.decrypt(encryptor, propertySources);
		}

	}

}

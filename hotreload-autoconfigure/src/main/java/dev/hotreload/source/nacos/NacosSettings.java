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

import java.time.Duration;
import java.util.List;
import java.util.Objects;

import dev.hotreload.source.ConfigFormat;
import dev.hotreload.support.SecretSanitizer;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.StringUtils;

/**
 * The {@code hotreload.nacos.*} settings, as the Nacos source uses them. Bound from the
 * environment by {@link NacosSourceEnvironmentPostProcessor} before the
 * {@code @ConfigurationProperties} beans exist; the documented keys are those of
 * {@code HotReloadProperties.Nacos}.
 *
 * @param serverAddr server address(es), {@code null} when the source is off
 * @param namespace namespace id, {@code null} for the default one
 * @param username user name
 * @param password password
 * @param accessKey access key
 * @param secretKey secret key
 * @param failFast whether startup fails when the server cannot be reached
 * @param timeout timeout of a read from the server
 * @param healthCheckInterval how often the server's status is checked
 * @param configs the data-ids, later ones taking precedence
 * @author hotreload authors
 */
public record NacosSettings(@Nullable String serverAddr, @Nullable String namespace, @Nullable String username,
		@Nullable String password, @Nullable String accessKey, @Nullable String secretKey,
		@DefaultValue("true") boolean failFast, @DefaultValue("3s") Duration timeout,
		@DefaultValue("5s") Duration healthCheckInterval, @DefaultValue List<DataId> configs) {

	/**
	 * The prefix of the settings.
	 */
	public static final String PREFIX = "hotreload.nacos";

	@Override
	public String toString() {
		return "NacosSettings[serverAddr=" + SecretSanitizer.maskUrl(this.serverAddr) + ", namespace=" + this.namespace
				+ ", username=" + this.username + ", password=" + masked(this.password) + ", accessKey="
				+ this.accessKey + ", secretKey=" + masked(this.secretKey) + ", failFast=" + this.failFast
				+ ", timeout=" + this.timeout + ", healthCheckInterval=" + this.healthCheckInterval + ", configs="
				+ this.configs + "]";
	}

	private static @Nullable String masked(@Nullable String secret) {
		return (secret != null) ? SecretSanitizer.MASK : null;
	}

	/**
	 * Nacos's default group.
	 */
	public static final String DEFAULT_GROUP = "DEFAULT_GROUP";

	public NacosSettings {
		configs = List.copyOf(configs);
	}

	/**
	 * Bind the settings from {@code hotreload.nacos.*}.
	 * @param binder the binder
	 * @return the settings, or {@code null} if {@code hotreload.nacos.server-addr} is not
	 * set
	 */
	public static @Nullable NacosSettings bind(Binder binder) {
		NacosSettings settings = binder.bind(PREFIX, NacosSettings.class).orElse(null);
		return (settings != null && StringUtils.hasText(settings.serverAddr())) ? settings : null;
	}

	/**
	 * The namespace as Nacos shows it: {@code public} when none is set.
	 * @return the namespace's name
	 */
	public String namespaceName() {
		return StringUtils.hasText(this.namespace) ? this.namespace : "public";
	}

	/**
	 * One data-id.
	 *
	 * @param dataId the data-id
	 * @param group its group
	 * @param format the format of its content, inferred from the data-id when not given
	 * @param optional whether the application starts when the data-id does not exist
	 */
	public record DataId(String dataId, @DefaultValue(DEFAULT_GROUP) String group, @Nullable ConfigFormat format,
			boolean optional) {

		public DataId {
			if (!StringUtils.hasText(dataId)) {
				throw new IllegalArgumentException(
						"An entry of hotreload.nacos.configs has no data-id; set its data-id or remove the entry");
			}
			dataId = dataId.trim();
			group = StringUtils.hasText(group) ? group.trim() : DEFAULT_GROUP;
			format = (format != null) ? format : ConfigFormat.fromName(dataId);
		}

		/**
		 * The format of the content, given or inferred.
		 * @return the format
		 */
		public ConfigFormat contentFormat() {
			return Objects.requireNonNull(this.format);
		}

		/**
		 * A data-id of the default group, its format inferred from its name.
		 * @param dataId the data-id
		 * @return the data-id
		 */
		public static DataId of(String dataId) {
			return new DataId(dataId, DEFAULT_GROUP, null, false);
		}

	}

}

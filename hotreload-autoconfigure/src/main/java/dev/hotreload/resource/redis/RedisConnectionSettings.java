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

package dev.hotreload.resource.redis;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import dev.hotreload.support.SecretSanitizer;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.util.StringUtils;

/**
 * Reads the {@code spring.data.redis.*} keys into what a Lettuce {@code RedisClient}
 * needs, for applications that use lettuce-core without Spring Data Redis (and so without
 * Spring Boot's Redis auto-configuration). The keys mean what they mean to Spring Boot:
 * {@code url} overrides host, port, username, password and database; {@code sentinel.*}
 * selects a master through sentinels; {@code ssl.bundle} names an SSL bundle. A cluster
 * ({@code cluster.nodes}) is refused: it needs a cluster connection, not a
 * {@code StatefulRedisConnection}.
 *
 * @author hotreload authors
 */
final class RedisConnectionSettings {

	static final String PREFIX = "spring.data.redis";

	private final @Nullable SslBundles sslBundles;

	RedisConnectionSettings(@Nullable SslBundles sslBundles) {
		this.sslBundles = sslBundles;
	}

	/**
	 * Read the keys.
	 * @param binder the binder over the (candidate) environment
	 * @return where and how to connect
	 * @throws IllegalStateException if the keys describe something this connection cannot
	 * be: a cluster, an unknown SSL bundle, a malformed URL or node
	 */
	Target read(Binder binder) {
		Keys keys = binder.bindOrCreate(PREFIX, Keys.class);
		if (!keys.cluster().nodes().isEmpty()) {
			throw new IllegalStateException(PREFIX + ".cluster.nodes is set, but a Redis Cluster needs a cluster "
					+ "connection, which the StatefulRedisConnection bean cannot be; use Spring Data Redis for a cluster");
		}
		RedisURI uri = (StringUtils.hasText(keys.sentinel().master())) ? sentinelUri(keys) : standaloneUri(keys);
		if (keys.timeout() != null) {
			uri.setTimeout(keys.timeout());
		}
		if (StringUtils.hasText(keys.clientName())) {
			uri.setClientName(keys.clientName());
		}
		boolean ssl = uri.isSsl() || Boolean.TRUE.equals(keys.ssl().enabled())
				|| (keys.ssl().enabled() == null && StringUtils.hasText(keys.ssl().bundle()));
		uri.setSsl(ssl);
		ClientOptions.Builder options = ClientOptions.builder();
		if (keys.connectTimeout() != null) {
			options.socketOptions(SocketOptions.builder().connectTimeout(keys.connectTimeout()).build());
		}
		if (ssl && StringUtils.hasText(keys.ssl().bundle())) {
			options.sslOptions(sslOptions(keys.ssl().bundle()));
		}
		return new Target(uri, options.build(), describe(uri));
	}

	private static RedisURI standaloneUri(Keys keys) {
		if (StringUtils.hasText(keys.url())) {
			// checked as Spring Boot does; Lettuce's own parsing is lenient, and its
			// message would repeat the URL, password included
			try {
				URI url = new URI(keys.url());
				if (!"redis".equals(url.getScheme()) && !"rediss".equals(url.getScheme())) {
					throw new URISyntaxException(keys.url(), "scheme");
				}
				if (url.getHost() == null) {
					throw new URISyntaxException(keys.url(), "host");
				}
				return RedisURI.create(url);
			}
			catch (URISyntaxException | IllegalArgumentException ex) {
				throw new IllegalStateException(PREFIX
						+ ".url is not a valid redis://[user:password@]host[:port][/database] " + "or rediss:// URL");
			}
		}
		RedisURI uri = RedisURI.create(keys.host(), keys.port());
		credentials(uri, keys.username(), keys.password());
		uri.setDatabase(keys.database());
		return uri;
	}

	private static RedisURI sentinelUri(Keys keys) {
		Sentinel sentinel = keys.sentinel();
		if (sentinel.nodes().isEmpty()) {
			throw new IllegalStateException(
					PREFIX + ".sentinel.master is set but " + PREFIX + ".sentinel.nodes is empty");
		}
		RedisURI.Builder builder = RedisURI.builder().withSentinelMasterId(sentinel.master());
		for (String node : sentinel.nodes()) {
			RedisURI sentinelUri = RedisURI.create(host(node), port(node));
			credentials(sentinelUri, sentinel.username(), sentinel.password());
			builder.withSentinel(sentinelUri);
		}
		RedisURI uri = builder.build();
		credentials(uri, keys.username(), keys.password());
		uri.setDatabase(keys.database());
		return uri;
	}

	private static void credentials(RedisURI uri, @Nullable String username, @Nullable String password) {
		if (StringUtils.hasText(username)) {
			uri.setUsername(username);
		}
		if (StringUtils.hasText(password)) {
			uri.setPassword(password.toCharArray());
		}
	}

	private static String host(String node) {
		int colon = node.lastIndexOf(':');
		if (colon <= 0) {
			throw new IllegalStateException("sentinel node '" + node + "' is not host:port");
		}
		return node.substring(0, colon);
	}

	private static int port(String node) {
		try {
			return Integer.parseInt(node.substring(node.lastIndexOf(':') + 1));
		}
		catch (NumberFormatException ex) {
			throw new IllegalStateException("sentinel node '" + node + "' is not host:port");
		}
	}

	private SslOptions sslOptions(String bundleName) {
		if (this.sslBundles == null) {
			throw new IllegalStateException(PREFIX + ".ssl.bundle is set but the application has no SslBundles bean");
		}
		SslBundle bundle = this.sslBundles.getBundle(bundleName);
		SslOptions.Builder builder = SslOptions.builder()
			.keyManager(bundle.getManagers().getKeyManagerFactory())
			.trustManager(bundle.getManagers().getTrustManagerFactory());
		String[] ciphers = bundle.getOptions().getCiphers();
		if (ciphers != null) {
			builder.cipherSuites(ciphers);
		}
		String[] protocols = bundle.getOptions().getEnabledProtocols();
		if (protocols != null) {
			builder.protocols(protocols);
		}
		return builder.build();
	}

	/**
	 * Where a URI connects, such as {@code 127.0.0.1:6379/0}. Never a secret.
	 * @param uri the URI
	 * @return the description
	 */
	static String describe(RedisURI uri) {
		if (StringUtils.hasText(uri.getSentinelMasterId())) {
			String sentinels = uri.getSentinels()
				.stream()
				.map((sentinel) -> sentinel.getHost() + ":" + sentinel.getPort())
				.collect(Collectors.joining(", ", "[", "]"));
			return "sentinel " + uri.getSentinelMasterId() + "@" + sentinels + "/" + uri.getDatabase();
		}
		return uri.getHost() + ":" + uri.getPort() + "/" + uri.getDatabase() + (uri.isSsl() ? " (ssl)" : "");
	}

	/**
	 * Where and how to connect.
	 *
	 * @param uri the Redis URI, with credentials
	 * @param options the client options
	 * @param description where it connects, without a secret
	 */
	record Target(RedisURI uri, ClientOptions options, String description) {

	}

	record Keys(@Nullable String url, @DefaultValue("localhost") String host, @DefaultValue("6379") int port,
			@Nullable String username, @Nullable String password, @DefaultValue("0") int database,
			@Nullable Duration timeout, @Nullable Duration connectTimeout, @Nullable String clientName,
			@DefaultValue Ssl ssl, @DefaultValue Sentinel sentinel, @DefaultValue Cluster cluster) {

		@Override
		public String toString() {
			return "Keys[url=" + SecretSanitizer.maskUrl(this.url) + ", host=" + this.host + ", port=" + this.port
					+ ", username=" + this.username + ", password="
					+ ((this.password != null) ? SecretSanitizer.MASK : null) + ", database=" + this.database
					+ ", timeout=" + this.timeout + ", connectTimeout=" + this.connectTimeout + ", clientName="
					+ this.clientName + ", ssl=" + this.ssl + ", sentinel=" + this.sentinel + ", cluster="
					+ this.cluster + "]";
		}

	}

	record Ssl(@Nullable Boolean enabled, @Nullable String bundle) {

	}

	record Sentinel(@Nullable String master, @DefaultValue List<String> nodes, @Nullable String username,
			@Nullable String password) {

		@Override
		public String toString() {
			return "Sentinel[master=" + this.master + ", nodes=" + this.nodes + ", username=" + this.username
					+ ", password=" + ((this.password != null) ? SecretSanitizer.MASK : null) + "]";
		}

	}

	record Cluster(@DefaultValue List<String> nodes) {

	}

}

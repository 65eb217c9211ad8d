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

package dev.hotreload.support;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.origin.OriginTrackedValue;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;

/**
 * Removes secrets from text that comes from a parser or a driver before it reaches a log
 * line, the history, the endpoint, a meter or a span.
 * <p>
 * A sanitizer knows the values of every credential-like key (a key ending in
 * {@code password}, {@code secret}, {@code token}, {@code key} or {@code credentials},
 * and the password part of any URL with user-info or a {@code password=} parameter) of
 * the property sources and raw contents it was built from, and replaces each occurrence
 * of them by {@code ******}. It also masks any URL password it finds in the text, known
 * or not: {@code scheme://user:password@host}, Oracle's {@code user/password@host} and
 * {@code password=} parameters. Values shorter than {@value #MIN_SECRET_LENGTH}
 * characters are not searched for: they cannot be told apart from ordinary text.
 * <p>
 * Instances are immutable; {@link #with} combines two.
 *
 * @author hotreload authors
 */
public final class SecretSanitizer {

	/**
	 * What a secret is replaced with.
	 */
	public static final String MASK = "******";

	/**
	 * Shortest value searched for.
	 */
	public static final int MIN_SECRET_LENGTH = 3;

	/**
	 * A sanitizer that knows no value and only masks URL passwords.
	 */
	public static final SecretSanitizer URLS_ONLY = new SecretSanitizer(List.of());

	private static final List<String> CREDENTIAL_SUFFIXES = List.of("password", "passwd", "pwd", "secret", "token",
			"key", "credentials", "credential", "passphrase");

	private static final List<String> CREDENTIAL_PARTS = List.of("password", "secret", "credentials", "token");

	/**
	 * {@code scheme://user-info@}: the user-info runs to the last {@code @} before the
	 * end of the token, so that a password may contain {@code @} or {@code /}.
	 */
	private static final Pattern USER_INFO = Pattern
		.compile("(?<![a-zA-Z0-9+.\\-])([a-zA-Z][a-zA-Z0-9+.\\-]*+://)([^\\s'\"<>]*)@");

	/**
	 * Oracle's {@code jdbc:oracle:thin:user/password@host}.
	 */
	private static final Pattern ORACLE = Pattern
		.compile("(?i)(jdbc:oracle:[a-z0-9]+:)([^\\s'\"<>/@:]*)/([^\\s'\"<>]*)@");

	/**
	 * {@code password=}, {@code sslpassword=}, {@code secret=}, {@code token=}
	 * parameters.
	 */
	private static final Pattern PARAMETER = Pattern
		.compile("(?i)((?:^|[?&;:,\\s(])[a-z0-9_.\\-]*(?:password|passwd|pwd|secret|token)\\s*=)([^&;,\\s'\")]*)");

	/**
	 * A {@code key: value} or {@code key=value} line of raw YAML or properties content.
	 */
	private static final Pattern LINE = Pattern.compile("^\\s*(?:-\\s+)?[\"']?([^\\s:=#\"']+)[\"']?\\s*[:=]\\s*(.*)$");

	private static final Pattern INDEX = Pattern.compile("\\[\\d+]$");

	private static final Pattern NOT_ALPHANUMERIC = Pattern.compile("[^a-z0-9]");

	private final List<String> secrets;

	private SecretSanitizer(Collection<String> secrets) {
		List<String> sorted = new ArrayList<>(new LinkedHashSet<>(secrets));
		sorted.sort(Comparator.comparingInt(String::length).reversed());
		this.secrets = List.copyOf(sorted);
	}

	/**
	 * A sanitizer that knows the credential-like values of the given property sources.
	 * @param propertySources the property sources, such as an environment's
	 * @param resolver resolves placeholders in a value, such as
	 * {@code environment::resolvePlaceholders}, so that the value a placeholder stands
	 * for is known too
	 * @return the sanitizer
	 */
	public static SecretSanitizer of(Iterable<? extends PropertySource<?>> propertySources,
			Function<String, @Nullable String> resolver) {
		Set<String> secrets = new LinkedHashSet<>();
		for (PropertySource<?> propertySource : propertySources) {
			if (propertySource instanceof EnumerablePropertySource<?> enumerable) {
				for (String name : enumerable.getPropertyNames()) {
					Object value = enumerable.getProperty(name);
					if (value instanceof OriginTrackedValue tracked) {
						value = tracked.getValue();
					}
					if (value instanceof CharSequence || value instanceof Number) {
						collect(name, value.toString(), resolver, secrets);
					}
				}
			}
		}
		return new SecretSanitizer(secrets);
	}

	/**
	 * A sanitizer that knows the credential-like values of raw YAML or properties
	 * content, read line by line without parsing, so that content a parser refuses is
	 * covered too.
	 * @param content the raw content
	 * @return the sanitizer
	 */
	public static SecretSanitizer ofContent(byte[] content) {
		Set<String> secrets = new LinkedHashSet<>();
		if (content.length > 0) {
			for (String line : new String(content, StandardCharsets.UTF_8).split("\\R")) {
				Matcher matcher = LINE.matcher(line);
				if (matcher.matches() && isCredentialKey(matcher.group(1))) {
					addSecret(unquote(matcher.group(2)), secrets);
				}
				urlPasswords(line, secrets);
			}
		}
		return new SecretSanitizer(secrets);
	}

	/**
	 * A sanitizer that knows the given values.
	 * @param values the secrets
	 * @return the sanitizer
	 */
	public static SecretSanitizer ofValues(Collection<String> values) {
		Set<String> secrets = new LinkedHashSet<>();
		values.forEach((value) -> addSecret(value, secrets));
		return new SecretSanitizer(secrets);
	}

	/**
	 * Return a sanitizer that knows the values of this one and of the other.
	 * @param other the other sanitizer
	 * @return the combined sanitizer
	 */
	public SecretSanitizer with(SecretSanitizer other) {
		if (other.secrets.isEmpty()) {
			return this;
		}
		List<String> all = new ArrayList<>(this.secrets);
		all.addAll(other.secrets);
		return new SecretSanitizer(all);
	}

	/**
	 * Return the text with every known secret and every URL password masked.
	 * @param text the text
	 * @return the sanitized text, {@code null} for {@code null}
	 */
	public @Nullable String sanitize(@Nullable String text) {
		if (text == null || text.isEmpty()) {
			return text;
		}
		String result = text;
		for (String secret : this.secrets) {
			if (result.contains(secret)) {
				result = result.replace(secret, MASK);
			}
		}
		return maskUrls(result);
	}

	/**
	 * Return a copy of an exception and its causes whose messages are sanitized and whose
	 * stack traces are the originals', for logging.
	 * @param ex the exception
	 * @return the sanitized copy
	 */
	public Throwable sanitize(Throwable ex) {
		return copy(ex, new LinkedHashSet<>());
	}

	private Throwable copy(Throwable ex, Set<Throwable> seen) {
		seen.add(ex);
		Throwable cause = (ex.getCause() != null && !seen.contains(ex.getCause())) ? copy(ex.getCause(), seen) : null;
		String message = sanitize(ex.getMessage());
		SanitizedException copy = new SanitizedException(
				ex.getClass().getName() + ((message != null) ? ": " + message : ""), cause);
		copy.setStackTrace(ex.getStackTrace());
		return copy;
	}

	/**
	 * Whether a key names a credential: its last part is a password, secret, token, key
	 * or credentials, in any case and with any separator.
	 * @param key the key, such as {@code spring.datasource.password} or
	 * {@code SPRING_DATASOURCE_PASSWORD}
	 * @return whether its value is a secret
	 */
	public static boolean isCredentialKey(String key) {
		String lower = key.toLowerCase(Locale.ROOT);
		if (lower.equals("pwd") || lower.equals("oldpwd")) {
			// the shell's working directory, not a password
			return false;
		}
		String normalized = NOT_ALPHANUMERIC.matcher(INDEX.matcher(lower).replaceAll("")).replaceAll("");
		for (String suffix : CREDENTIAL_SUFFIXES) {
			if (normalized.endsWith(suffix)) {
				return true;
			}
		}
		for (String part : CREDENTIAL_PARTS) {
			if (normalized.contains(part)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Whether a value is a URL that carries a password: user-info with a password,
	 * Oracle's {@code user/password@}, or a {@code password=} parameter.
	 * @param value the value
	 * @return whether it holds a credential
	 */
	public static boolean hasCredentials(@Nullable String value) {
		return value != null && !maskUrls(value).equals(value);
	}

	/**
	 * Return the URL with its password masked, wherever it is: user-info (also without a
	 * user name, and with {@code @} or {@code /} in the password), Oracle's
	 * {@code user/password@} and {@code password=} parameters.
	 * @param url the URL
	 * @return the masked URL, {@code null} for {@code null}
	 */
	public static @Nullable String maskUrl(@Nullable String url) {
		return (url != null) ? maskUrls(url) : null;
	}

	private static String maskUrls(String text) {
		if (!mayHoldUrlPassword(text)) {
			return text;
		}
		String result = replace(ORACLE, text, (matcher) -> matcher.group(1) + matcher.group(2) + "/" + MASK + "@");
		result = replace(USER_INFO, result, (matcher) -> {
			String userInfo = matcher.group(2);
			int colon = userInfo.indexOf(':');
			if (colon >= 0) {
				return matcher.group(1) + userInfo.substring(0, colon) + ":" + MASK + "@";
			}
			// redis://password@host: a user-info without a colon is the password
			return matcher.group(1).toLowerCase(Locale.ROOT).startsWith("redis") ? matcher.group(1) + MASK + "@"
					: matcher.group();
		});
		return replace(PARAMETER, result, (matcher) -> matcher.group(2).isEmpty() || matcher.group(2).equals(MASK)
				? matcher.group() : matcher.group(1) + MASK);
	}

	private static String replace(Pattern pattern, String text, Function<Matcher, String> replacement) {
		Matcher matcher = pattern.matcher(text);
		if (!matcher.find()) {
			return text;
		}
		StringBuilder result = new StringBuilder(text.length());
		do {
			matcher.appendReplacement(result, Matcher.quoteReplacement(replacement.apply(matcher)));
		}
		while (matcher.find());
		matcher.appendTail(result);
		return result.toString();
	}

	private static void collect(String key, String value, Function<String, @Nullable String> resolver,
			Set<String> secrets) {
		if (isCredentialKey(key)) {
			addSecret(value, secrets);
			if (value.contains("${")) {
				String resolved = resolveQuietly(resolver, value);
				if (resolved != null) {
					addSecret(resolved, secrets);
				}
			}
		}
		if (value.indexOf('@') >= 0 || value.indexOf('=') >= 0) {
			urlPasswords(value, secrets);
		}
	}

	private static @Nullable String resolveQuietly(Function<String, @Nullable String> resolver, String value) {
		try {
			return resolver.apply(value);
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

	/**
	 * Add the passwords of every URL in the text: user-info, Oracle's form and
	 * parameters.
	 */
	private static void urlPasswords(String text, Set<String> secrets) {
		if (!mayHoldUrlPassword(text)) {
			return;
		}
		Matcher oracle = ORACLE.matcher(text);
		while (oracle.find()) {
			addSecret(oracle.group(3), secrets);
		}
		Matcher userInfo = USER_INFO.matcher(text);
		while (userInfo.find()) {
			String info = userInfo.group(2);
			int colon = info.indexOf(':');
			if (colon >= 0) {
				addSecret(info.substring(colon + 1), secrets);
			}
			else if (userInfo.group(1).toLowerCase(Locale.ROOT).startsWith("redis")) {
				addSecret(info, secrets);
			}
		}
		Matcher parameter = PARAMETER.matcher(text);
		while (parameter.find()) {
			addSecret(parameter.group(2), secrets);
		}
	}

	/**
	 * A quick look that spares the patterns most text: a URL password needs an {@code @}
	 * or a {@code password=}-like parameter.
	 */
	private static boolean mayHoldUrlPassword(String text) {
		if (text.indexOf('@') >= 0) {
			return true;
		}
		if (text.indexOf('=') < 0) {
			return false;
		}
		String lower = text.toLowerCase(Locale.ROOT);
		return lower.contains("pass") || lower.contains("pwd") || lower.contains("secret") || lower.contains("token");
	}

	private static void addSecret(@Nullable String value, Set<String> secrets) {
		if (value == null) {
			return;
		}
		String trimmed = value.trim();
		if (trimmed.length() < MIN_SECRET_LENGTH || trimmed.equals(MASK) || trimmed.equalsIgnoreCase("true")
				|| trimmed.equalsIgnoreCase("false")) {
			// too short, or a flag such as api-key.enabled: true, to be told from text
			return;
		}
		secrets.add(trimmed);
		if (trimmed.indexOf('%') >= 0) {
			try {
				String decoded = URLDecoder.decode(trimmed, StandardCharsets.UTF_8);
				if (decoded.length() >= MIN_SECRET_LENGTH) {
					secrets.add(decoded);
				}
			}
			catch (IllegalArgumentException ex) {
				// not URL-encoded after all
			}
		}
	}

	private static String unquote(String raw) {
		String value = raw.trim();
		if (value.startsWith("\"") || value.startsWith("'")) {
			char quote = value.charAt(0);
			value = value.substring(1);
			int end = value.lastIndexOf(quote);
			return (end >= 0) ? value.substring(0, end) : value;
		}
		int comment = value.indexOf(" #");
		return (comment >= 0) ? value.substring(0, comment).trim() : value;
	}

	/**
	 * An exception whose message was sanitized; its stack trace is the original's and its
	 * message starts with the original's class name.
	 */
	static final class SanitizedException extends RuntimeException {

		SanitizedException(String message, @Nullable Throwable cause) {
			super(message, cause);
		}

		@Override
		public String toString() {
			return getMessage();
		}

	}

}

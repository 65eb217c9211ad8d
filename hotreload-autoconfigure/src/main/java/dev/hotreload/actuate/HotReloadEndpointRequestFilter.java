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

package dev.hotreload.actuate;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.UrlPathHelper;

/**
 * Lets a script call {@code POST /actuator/hotreload} the way it calls
 * {@code /actuator/refresh}: without a body or a content type ({@code curl -X POST}), or
 * with a form content type, as {@code curl -d '{}'} or {@code curl -d source=...} send.
 * Such a request reaches the endpoint as JSON: no body becomes {@code {}}, a body that is
 * a JSON object is passed as it is, form fields become the fields of a JSON object. Query
 * parameters are left to the actuator, which reads them as operation parameters. Every
 * other request passes unchanged.
 *
 * @author hotreload authors
 */
public final class HotReloadEndpointRequestFilter extends OncePerRequestFilter {

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final UrlPathHelper paths = new UrlPathHelper();

	/**
	 * The largest body read: the parameters of a reload are a few hundred bytes.
	 */
	private static final int MAX_BODY = 16 * 1024;

	private final Supplier<@Nullable String> endpointPath;

	/**
	 * Create a filter for the endpoint at the given path.
	 * @param endpointPath supplies the endpoint's path below the servlet context, such as
	 * {@code /actuator/hotreload}, or {@code null} while it is not exposed over HTTP
	 */
	public HotReloadEndpointRequestFilter(Supplier<@Nullable String> endpointPath) {
		this.endpointPath = endpointPath;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		if (!HttpMethod.POST.matches(request.getMethod()) || !acceptsAsJson(request.getContentType())) {
			return true;
		}
		String path = this.endpointPath.get();
		return path == null || !trimTrailingSlash(paths.getPathWithinApplication(request)).endsWith(path);
	}

	private static boolean acceptsAsJson(@Nullable String contentType) {
		if (contentType == null || contentType.isBlank()) {
			return true;
		}
		try {
			return MediaType.APPLICATION_FORM_URLENCODED.equalsTypeAndSubtype(MediaType.parseMediaType(contentType));
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

	private static String trimTrailingSlash(String path) {
		return (path.length() > 1 && path.endsWith("/")) ? path.substring(0, path.length() - 1) : path;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		byte[] bytes = request.getInputStream().readNBytes(MAX_BODY + 1);
		if (bytes.length > MAX_BODY) {
			response.sendError(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE,
					"A reload request takes source, dryRun and expectedDigest only");
			return;
		}
		String body = new String(bytes, StandardCharsets.UTF_8).trim();
		chain.doFilter(new JsonRequest(request, toJson(body).getBytes(StandardCharsets.UTF_8)), response);
	}

	static String toJson(String body) {
		if (body.isEmpty()) {
			return "{}";
		}
		if (body.startsWith("{")) {
			return body;
		}
		Map<String, String> fields = new LinkedHashMap<>();
		for (String pair : body.split("&")) {
			if (!pair.isEmpty()) {
				int equals = pair.indexOf('=');
				String name = (equals >= 0) ? pair.substring(0, equals) : pair;
				String value = (equals >= 0) ? pair.substring(equals + 1) : "";
				fields.put(URLDecoder.decode(name, StandardCharsets.UTF_8),
						URLDecoder.decode(value, StandardCharsets.UTF_8));
			}
		}
		return json.writeValueAsString(fields);
	}

	/**
	 * The request as JSON.
	 */
	private static final class JsonRequest extends HttpServletRequestWrapper {

		private final byte[] body;

		JsonRequest(HttpServletRequest request, byte[] body) {
			super(request);
			this.body = body;
		}

		@Override
		public String getContentType() {
			return MediaType.APPLICATION_JSON_VALUE;
		}

		@Override
		public String getCharacterEncoding() {
			return StandardCharsets.UTF_8.name();
		}

		@Override
		public int getContentLength() {
			return this.body.length;
		}

		@Override
		public long getContentLengthLong() {
			return this.body.length;
		}

		@Override
		public @Nullable String getHeader(String name) {
			if (HttpHeaders.CONTENT_TYPE.equalsIgnoreCase(name)) {
				return getContentType();
			}
			if (HttpHeaders.CONTENT_LENGTH.equalsIgnoreCase(name)) {
				return String.valueOf(this.body.length);
			}
			return super.getHeader(name);
		}

		@Override
		public Enumeration<String> getHeaders(String name) {
			String replaced = (HttpHeaders.CONTENT_TYPE.equalsIgnoreCase(name)
					|| HttpHeaders.CONTENT_LENGTH.equalsIgnoreCase(name)) ? getHeader(name) : null;
			return (replaced != null) ? Collections.enumeration(List.of(replaced)) : super.getHeaders(name);
		}

		@Override
		public Enumeration<String> getHeaderNames() {
			List<String> names = new ArrayList<>();
			names.add(HttpHeaders.CONTENT_TYPE);
			names.add(HttpHeaders.CONTENT_LENGTH);
			for (String name : Collections.list(super.getHeaderNames())) {
				if (!HttpHeaders.CONTENT_TYPE.equalsIgnoreCase(name)
						&& !HttpHeaders.CONTENT_LENGTH.equalsIgnoreCase(name)) {
					names.add(name);
				}
			}
			return Collections.enumeration(names);
		}

		@Override
		public ServletInputStream getInputStream() {
			ByteArrayInputStream bytes = new ByteArrayInputStream(this.body);
			return new ServletInputStream() {

				@Override
				public int read() {
					return bytes.read();
				}

				@Override
				public int read(byte[] buffer, int offset, int length) {
					return bytes.read(buffer, offset, length);
				}

				@Override
				public boolean isFinished() {
					return bytes.available() == 0;
				}

				@Override
				public boolean isReady() {
					return true;
				}

				@Override
				public void setReadListener(ReadListener listener) {
					throw new UnsupportedOperationException("Only blocking reads are supported");
				}

			};
		}

		@Override
		public BufferedReader getReader() {
			return new BufferedReader(new InputStreamReader(getInputStream(), StandardCharsets.UTF_8));
		}

	}

}

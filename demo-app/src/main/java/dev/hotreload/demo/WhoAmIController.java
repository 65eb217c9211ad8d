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

package dev.hotreload.demo;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.hotreload.resource.ReloadableResource;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/whoami}: which database and Redis server served this request, the live
 * greeting and the generation of each reloadable resource.
 *
 * @author hotreload authors
 */
@RestController
class WhoAmIController {

	private final Schema schema;

	private final ObjectProvider<StringRedisTemplate> redis;

	private final Greeter greeter;

	private final DemoProperties properties;

	private final ObjectProvider<ReloadableResource> resources;

	WhoAmIController(Schema schema, ObjectProvider<StringRedisTemplate> redis, Greeter greeter,
			DemoProperties properties, ObjectProvider<ReloadableResource> resources) {
		this.schema = schema;
		this.redis = redis;
		this.greeter = greeter;
		this.properties = properties;
		this.resources = resources;
	}

	@GetMapping("/api/whoami")
	Map<String, Object> whoami() throws Exception {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("database", this.schema.currentCatalog());
		body.put("redis", redisServer());
		body.put("greeting", this.greeter.greeting());
		Map<String, Long> generations = new LinkedHashMap<>();
		this.resources.orderedStream()
			.forEach((resource) -> generations.put(resource.name(), resource.describe().generation()));
		body.put("generation", generations);
		return body;
	}

	private String redisServer() {
		StringRedisTemplate template = this.redis.getIfAvailable();
		if (!this.properties.isRedisEnabled() || template == null) {
			return "off";
		}
		return template.execute((RedisCallback<String>) (connection) -> {
			Object info = connection.execute("CLIENT", "INFO".getBytes(StandardCharsets.UTF_8));
			String text = (info instanceof byte[] bytes) ? new String(bytes, StandardCharsets.UTF_8)
					: String.valueOf(info);
			for (String field : List.of(text.trim().split(" "))) {
				if (field.startsWith("laddr=")) {
					return field.substring("laddr=".length());
				}
			}
			return "unknown";
		});
	}

}

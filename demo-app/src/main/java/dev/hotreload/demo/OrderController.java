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

import java.sql.SQLException;
import java.util.Map;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Orders: {@code POST /api/orders} stores an order and its line in one transaction and
 * counts orders in Redis; {@code GET /api/orders/count} reads the count back.
 *
 * @author hotreload authors
 */
@RestController
class OrderController {

	private final JdbcClient jdbc;

	private final Schema schema;

	private final ObjectProvider<StringRedisTemplate> redis;

	private final DemoProperties properties;

	OrderController(JdbcClient jdbc, Schema schema, ObjectProvider<StringRedisTemplate> redis,
			DemoProperties properties) {
		this.jdbc = jdbc;
		this.schema = schema;
		this.redis = redis;
		this.properties = properties;
	}

	@PostMapping("/api/orders")
	@Transactional
	Map<String, Object> create(@RequestParam(defaultValue = "widget") String item) throws SQLException {
		String database = this.schema.currentCatalog();
		KeyHolder key = new GeneratedKeyHolder();
		this.jdbc.sql("insert into orders(item) values (?)").param(item).update(key, "id");
		long id = key.getKeyAs(Long.class);
		this.jdbc.sql("insert into order_lines(order_id, item) values (?, ?)").param(id).param(item).update();
		if (this.properties.isRedisEnabled()) {
			StringRedisTemplate template = this.redis.getIfAvailable();
			if (template != null) {
				template.opsForValue().increment("demo:orders");
			}
		}
		return Map.of("id", id, "database", database);
	}

	@GetMapping("/api/orders/count")
	@Transactional(readOnly = true)
	Map<String, Object> count() throws SQLException {
		String database = this.schema.currentCatalog();
		long orders = this.jdbc.sql("select count(*) from orders").query(Long.class).single();
		return Map.of("database", database, "orders", orders);
	}

}

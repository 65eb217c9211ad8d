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

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The demo's own settings, rebound live when the config file changes.
 *
 * @author hotreload authors
 */
@ConfigurationProperties("demo")
public class DemoProperties {

	/**
	 * Greeting returned by /api/whoami.
	 */
	private String greeting = "hello";

	/**
	 * Whether the service uses Redis.
	 */
	private boolean redisEnabled;

	public String getGreeting() {
		return this.greeting;
	}

	public void setGreeting(String greeting) {
		this.greeting = greeting;
	}

	public boolean isRedisEnabled() {
		return this.redisEnabled;
	}

	public void setRedisEnabled(boolean redisEnabled) {
		this.redisEnabled = redisEnabled;
	}

}

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

package dev.hotreload.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import dev.hotreload.source.ConfigContent;
import dev.hotreload.source.ConfigFormat;
import dev.hotreload.source.ConfigSource;
import dev.hotreload.source.ReloadTrigger;

/**
 * A config source whose content a test sets.
 */
public final class TestConfigSource implements ConfigSource {

	private final String name;

	private final ConfigFormat format;

	private volatile byte[] content = new byte[0];

	private volatile boolean failing;

	private final java.util.Queue<byte[]> once = new java.util.concurrent.ConcurrentLinkedQueue<>();

	private final java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();

	public TestConfigSource(String name, ConfigFormat format) {
		this.name = name;
		this.format = format;
	}

	public TestConfigSource set(String text) {
		this.content = text.getBytes(StandardCharsets.UTF_8);
		return this;
	}

	/**
	 * Answer the next read with the given text, as a source caught mid-write would; later
	 * reads answer the content set.
	 * @param text the text of the next read
	 * @return this source
	 */
	public TestConfigSource nextReadOnly(String text) {
		this.once.add(text.getBytes(StandardCharsets.UTF_8));
		return this;
	}

	public int reads() {
		return this.reads.get();
	}

	public void failReads(boolean failing) {
		this.failing = failing;
	}

	@Override
	public String name() {
		return this.name;
	}

	@Override
	public String location() {
		return "memory:" + this.name;
	}

	@Override
	public ConfigFormat format() {
		return this.format;
	}

	@Override
	public ReloadTrigger trigger() {
		return ReloadTrigger.OTHER;
	}

	@Override
	public ConfigContent read() throws IOException {
		if (this.failing) {
			throw new IOException("source unavailable");
		}
		this.reads.incrementAndGet();
		byte[] next = this.once.poll();
		return new ConfigContent((next != null) ? next : this.content, Instant.now());
	}

}

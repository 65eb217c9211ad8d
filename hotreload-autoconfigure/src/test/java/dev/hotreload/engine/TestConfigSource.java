package dev.hotreload.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import dev.hotreload.source.ConfigContent;
import dev.hotreload.source.ConfigFormat;
import dev.hotreload.source.ConfigSource;

/**
 * A config source whose content a test sets.
 */
public final class TestConfigSource implements ConfigSource {

	private final String name;

	private final ConfigFormat format;

	private volatile byte[] content = new byte[0];

	private volatile boolean failing;

	public TestConfigSource(String name, ConfigFormat format) {
		this.name = name;
		this.format = format;
	}

	public TestConfigSource set(String text) {
		this.content = text.getBytes(StandardCharsets.UTF_8);
		return this;
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
		return new ConfigContent(this.content, Instant.now());
	}

}

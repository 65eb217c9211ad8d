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

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.hotreload.resource.PreparedChange;
import dev.hotreload.resource.ReloadContext;
import dev.hotreload.resource.ReloadableResource;
import dev.hotreload.resource.ResourceDescriptor;
import dev.hotreload.resource.RetireReport;
import org.jspecify.annotations.Nullable;

/**
 * A resource bound to one key: it "rebuilds" when the key changes, and can be told to
 * fail validation or the swap, or to block while preparing.
 */
public final class TestResource implements ReloadableResource {

	private final String name;

	private final String key;

	private volatile @Nullable String live;

	private volatile long generation = 1;

	private volatile @Nullable String failPrepareOn;

	private volatile boolean failCommit;

	private volatile @Nullable CountDownLatch blockPrepare;

	private volatile RetireReport retireReport = RetireReport.NOTHING;

	final CountDownLatch preparing = new CountDownLatch(1);

	final List<String> events = new CopyOnWriteArrayList<>();

	final List<String> retired = new CopyOnWriteArrayList<>();

	public TestResource(String name, String key, @Nullable String initial) {
		this.name = name;
		this.key = key;
		this.live = initial;
	}

	public void failPrepareOn(String value) {
		this.failPrepareOn = value;
	}

	public void retireWith(RetireReport report) {
		this.retireReport = report;
	}

	public void failCommit() {
		this.failCommit = true;
	}

	public void blockPrepare(CountDownLatch latch) {
		this.blockPrepare = latch;
	}

	public @Nullable String live() {
		return this.live;
	}

	/**
	 * What happened to the candidates, in order: {@code prepare x}, {@code commit x},
	 * {@code rollback x}.
	 * @return the events
	 */
	public List<String> events() {
		return this.events;
	}

	/**
	 * Wait for the first prepare to start.
	 * @param timeout how long to wait
	 * @return whether it started
	 * @throws InterruptedException if interrupted
	 */
	public boolean awaitPreparing(Duration timeout) throws InterruptedException {
		return this.preparing.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
	}

	@Override
	public String name() {
		return this.name;
	}

	@Override
	public String type() {
		return "test";
	}

	@Override
	public @Nullable PreparedChange prepare(ReloadContext context) throws Exception {
		this.preparing.countDown();
		CountDownLatch latch = this.blockPrepare;
		if (latch != null) {
			this.blockPrepare = null;
			latch.await(10, TimeUnit.SECONDS);
		}
		String candidate = context.binder().bind(this.key, String.class).orElse(null);
		if (Objects.equals(candidate, this.live)) {
			return null;
		}
		if (candidate != null && candidate.equals(this.failPrepareOn)) {
			throw new IllegalStateException("cannot connect to " + candidate);
		}
		this.events.add("prepare " + candidate);
		String previous = this.live;
		long next = this.generation + 1;
		return new PreparedChange() {

			@Override
			public String description() {
				return "rebuilt for " + TestResource.this.key;
			}

			@Override
			public long generation() {
				return next;
			}

			@Override
			public void commit() {
				if (TestResource.this.failCommit) {
					throw new IllegalStateException("swap failed");
				}
				TestResource.this.live = candidate;
				TestResource.this.generation = next;
				TestResource.this.events.add("commit " + candidate);
			}

			@Override
			public CompletableFuture<RetireReport> retire() {
				TestResource.this.retired.add(String.valueOf(previous));
				return CompletableFuture.supplyAsync(() -> TestResource.this.retireReport);
			}

			@Override
			public void rollback() {
				if (Objects.equals(TestResource.this.live, candidate)) {
					TestResource.this.live = previous;
					TestResource.this.generation = next - 1;
				}
				TestResource.this.events.add("rollback " + candidate);
			}

		};
	}

	@Override
	public ResourceDescriptor describe() {
		return new ResourceDescriptor(this.name, type(), this.generation, "SERVING",
				Map.of("value", String.valueOf(this.live)));
	}

}

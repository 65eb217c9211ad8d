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

package dev.hotreload.alibaba;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.alibaba.nacos.api.config.ConfigService;
import com.alibaba.nacos.api.config.filter.IConfigFilter;
import com.alibaba.nacos.api.config.listener.AbstractSharedListener;
import com.alibaba.nacos.api.config.listener.FuzzyWatchEventWatcher;
import com.alibaba.nacos.api.config.listener.Listener;

/**
 * An in-memory Nacos server and client in one {@link ConfigService}: a publish stores the
 * content and calls every listener of the data-id on one notification thread (or on the
 * listener's executor) with the new content, as nacos-client does.
 *
 * @author hotreload authors
 */
final class InMemoryNacos implements ConfigService {

	private final Map<String, String> contents = new ConcurrentHashMap<>();

	private final Map<String, List<Listener>> listeners = new ConcurrentHashMap<>();

	private final ExecutorService notifier = Executors.newSingleThreadExecutor((runnable) -> {
		Thread thread = new Thread(runnable, "in-memory-nacos-notifier");
		thread.setDaemon(true);
		return thread;
	});

	int listenerCount() {
		return this.listeners.values().stream().mapToInt(List::size).sum();
	}

	void awaitNotified() throws Exception {
		this.notifier.submit(() -> {
		}).get(10, TimeUnit.SECONDS);
	}

	@Override
	public String getConfig(String dataId, String group, long timeoutMs) {
		return this.contents.get(key(dataId, group));
	}

	@Override
	public String getConfigAndSignListener(String dataId, String group, long timeoutMs, Listener listener) {
		addListener(dataId, group, listener);
		return getConfig(dataId, group, timeoutMs);
	}

	@Override
	public void addListener(String dataId, String group, Listener listener) {
		if (listener instanceof AbstractSharedListener shared) {
			shared.fillContext(dataId, group);
		}
		this.listeners.computeIfAbsent(key(dataId, group), (key) -> new CopyOnWriteArrayList<>()).add(listener);
	}

	@Override
	public void removeListener(String dataId, String group, Listener listener) {
		List<Listener> registered = this.listeners.get(key(dataId, group));
		if (registered != null) {
			registered.remove(listener);
		}
	}

	@Override
	public boolean publishConfig(String dataId, String group, String content) {
		this.contents.put(key(dataId, group), content);
		for (Listener listener : this.listeners.getOrDefault(key(dataId, group), List.of())) {
			this.notifier.execute(() -> {
				if (listener.getExecutor() != null) {
					listener.getExecutor().execute(() -> listener.receiveConfigInfo(content));
				}
				else {
					listener.receiveConfigInfo(content);
				}
			});
		}
		return true;
	}

	@Override
	public boolean publishConfig(String dataId, String group, String content, String type) {
		return publishConfig(dataId, group, content);
	}

	@Override
	public boolean publishConfigCas(String dataId, String group, String content, String casMd5) {
		throw new UnsupportedOperationException();
	}

	@Override
	public boolean publishConfigCas(String dataId, String group, String content, String casMd5, String type) {
		throw new UnsupportedOperationException();
	}

	@Override
	public boolean removeConfig(String dataId, String group) {
		return this.contents.remove(key(dataId, group)) != null;
	}

	@Override
	public String getServerStatus() {
		return "UP";
	}

	@Override
	public void addConfigFilter(IConfigFilter configFilter) {
		throw new UnsupportedOperationException();
	}

	@Override
	public void shutDown() {
		this.notifier.shutdownNow();
	}

	@Override
	public void fuzzyWatch(String groupNamePattern, FuzzyWatchEventWatcher watcher) {
		throw new UnsupportedOperationException();
	}

	@Override
	public void fuzzyWatch(String dataIdPattern, String groupNamePattern, FuzzyWatchEventWatcher watcher) {
		throw new UnsupportedOperationException();
	}

	@Override
	public Future<Set<String>> fuzzyWatchWithGroupKeys(String groupNamePattern, FuzzyWatchEventWatcher watcher) {
		throw new UnsupportedOperationException();
	}

	@Override
	public Future<Set<String>> fuzzyWatchWithGroupKeys(String dataIdPattern, String groupNamePattern,
			FuzzyWatchEventWatcher watcher) {
		throw new UnsupportedOperationException();
	}

	@Override
	public void cancelFuzzyWatch(String groupNamePattern, FuzzyWatchEventWatcher watcher) {
		throw new UnsupportedOperationException();
	}

	@Override
	public void cancelFuzzyWatch(String dataIdPattern, String groupNamePattern, FuzzyWatchEventWatcher watcher) {
		throw new UnsupportedOperationException();
	}

	private static String key(String dataId, String group) {
		return group + "/" + dataId;
	}

}

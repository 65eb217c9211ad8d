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

package dev.hotreload.source.nacos;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.alibaba.nacos.api.config.ConfigService;
import com.alibaba.nacos.api.config.filter.IConfigFilter;
import com.alibaba.nacos.api.config.listener.FuzzyWatchEventWatcher;
import com.alibaba.nacos.api.config.listener.Listener;
import com.alibaba.nacos.api.exception.NacosException;
import org.jspecify.annotations.Nullable;

/**
 * An in-memory Nacos server and client in one {@link ConfigService}, behaving like
 * nacos-client where the Nacos source depends on it:
 * <ul>
 * <li>listeners are called asynchronously, on one notification thread (or on the
 * listener's own executor), and only when the MD5 of the content differs from the one the
 * listener last saw;</li>
 * <li>when the server is {@link #down() down}, {@link #getServerStatus()} is
 * {@code DOWN}, {@link #getConfig} answers from the client's local snapshot (the content
 * it last read, or one {@link #snapshot seeded}) and notifications are held; when it is
 * {@link #up() up} again, listeners whose content changed meanwhile are called;</li>
 * <li>a data-id that does not exist reads as {@code null}.</li>
 * </ul>
 *
 * @author hotreload authors
 */
public final class InMemoryConfigService implements ConfigService {

	private final Map<String, String> server = new ConcurrentHashMap<>();

	private final Map<String, String> snapshots = new ConcurrentHashMap<>();

	private final Map<String, List<Watch>> watches = new ConcurrentHashMap<>();

	private final ExecutorService notifier;

	private final AtomicBoolean up = new AtomicBoolean(true);

	private final AtomicBoolean shutDown = new AtomicBoolean();

	private final AtomicInteger notifications = new AtomicInteger();

	private final Map<String, AtomicInteger> reads = new ConcurrentHashMap<>();

	public InMemoryConfigService() {
		this.notifier = Executors.newSingleThreadExecutor((runnable) -> {
			Thread thread = new Thread(runnable, "in-memory-nacos-notifier");
			thread.setDaemon(true);
			return thread;
		});
	}

	/**
	 * A factory that hands out this service, as {@code NacosFactory} would a new one.
	 * @return the factory
	 */
	public NacosConfigServiceFactory factory() {
		return (properties) -> this;
	}

	/**
	 * Put the server down: reads answer from the local snapshot, notifications wait.
	 */
	public void down() {
		this.up.set(false);
	}

	/**
	 * Bring the server up again and deliver the changes made while it was down.
	 */
	public void up() {
		this.up.set(true);
		this.watches.keySet().forEach(this::notifyChanged);
	}

	/**
	 * Seed the client's local snapshot of a data-id, as a previous run would have left
	 * it.
	 * @param dataId the data-id
	 * @param group the group
	 * @param content the content
	 */
	public void snapshot(String dataId, String group, String content) {
		this.snapshots.put(key(dataId, group), content);
	}

	/**
	 * Change a data-id on the server without notifying anyone, as if a notification had
	 * been lost.
	 * @param dataId the data-id
	 * @param group the group
	 * @param content the content
	 */
	public void publishSilently(String dataId, String group, String content) {
		this.server.put(key(dataId, group), content);
		String key = key(dataId, group);
		for (Watch watch : this.watches.getOrDefault(key, List.of())) {
			watch.lastMd5 = md5(content);
		}
	}

	/**
	 * Return how many times a listener was called.
	 * @return the number of notifications
	 */
	public int notifications() {
		return this.notifications.get();
	}

	/**
	 * Wait until every notification due so far has been delivered.
	 * @throws Exception if waiting fails
	 */
	public void awaitNotified() throws Exception {
		this.notifier.submit(() -> {
		}).get(10, java.util.concurrent.TimeUnit.SECONDS);
	}

	public boolean isShutDown() {
		return this.shutDown.get();
	}

	/**
	 * Return how many times {@link #getConfig} was called for a data-id.
	 * @param dataId the data-id
	 * @param group the group
	 * @return the number of reads
	 */
	public int reads(String dataId, String group) {
		AtomicInteger count = this.reads.get(key(dataId, group));
		return (count != null) ? count.get() : 0;
	}

	public int listenerCount() {
		return this.watches.values().stream().mapToInt(List::size).sum();
	}

	@Override
	public @Nullable String getConfig(String dataId, String group, long timeoutMs) throws NacosException {
		checkRunning();
		String key = key(dataId, group);
		this.reads.computeIfAbsent(key, (k) -> new AtomicInteger()).incrementAndGet();
		if (!this.up.get()) {
			return this.snapshots.get(key);
		}
		String content = this.server.get(key);
		if (content != null) {
			this.snapshots.put(key, content);
		}
		else {
			this.snapshots.remove(key);
		}
		return content;
	}

	@Override
	public @Nullable String getConfigAndSignListener(String dataId, String group, long timeoutMs, Listener listener)
			throws NacosException {
		String content = getConfig(dataId, group, timeoutMs);
		addListener(dataId, group, listener);
		return content;
	}

	@Override
	public void addListener(String dataId, String group, Listener listener) throws NacosException {
		checkRunning();
		String key = key(dataId, group);
		String current = this.up.get() ? this.server.get(key) : this.snapshots.get(key);
		Watch watch = new Watch(listener);
		watch.lastMd5 = md5(current);
		this.watches.computeIfAbsent(key, (k) -> new CopyOnWriteArrayList<>()).add(watch);
	}

	@Override
	public void removeListener(String dataId, String group, Listener listener) {
		List<Watch> list = this.watches.get(key(dataId, group));
		if (list != null) {
			list.removeIf((watch) -> watch.listener == listener);
		}
	}

	@Override
	public boolean publishConfig(String dataId, String group, String content) throws NacosException {
		checkAvailable();
		this.server.put(key(dataId, group), content);
		notifyChanged(key(dataId, group));
		return true;
	}

	@Override
	public boolean publishConfig(String dataId, String group, String content, String type) throws NacosException {
		return publishConfig(dataId, group, content);
	}

	@Override
	public boolean publishConfigCas(String dataId, String group, String content, String casMd5) throws NacosException {
		checkAvailable();
		synchronized (this.server) {
			if (!Objects.equals(md5(this.server.get(key(dataId, group))), casMd5)) {
				return false;
			}
			return publishConfig(dataId, group, content);
		}
	}

	@Override
	public boolean publishConfigCas(String dataId, String group, String content, String casMd5, String type)
			throws NacosException {
		return publishConfigCas(dataId, group, content, casMd5);
	}

	@Override
	public boolean removeConfig(String dataId, String group) throws NacosException {
		checkAvailable();
		this.server.remove(key(dataId, group));
		notifyChanged(key(dataId, group));
		return true;
	}

	@Override
	public String getServerStatus() {
		return (this.up.get() && !this.shutDown.get()) ? "UP" : "DOWN";
	}

	@Override
	public void addConfigFilter(IConfigFilter configFilter) {
		throw new UnsupportedOperationException("Config filters are not supported in memory");
	}

	@Override
	public void shutDown() {
		if (this.shutDown.compareAndSet(false, true)) {
			this.notifier.shutdownNow();
		}
	}

	@Override
	public void fuzzyWatch(String groupNamePattern, FuzzyWatchEventWatcher watcher) {
		throw new UnsupportedOperationException("Fuzzy watch is not supported in memory");
	}

	@Override
	public void fuzzyWatch(String dataIdPattern, String groupNamePattern, FuzzyWatchEventWatcher watcher) {
		throw new UnsupportedOperationException("Fuzzy watch is not supported in memory");
	}

	@Override
	public Future<Set<String>> fuzzyWatchWithGroupKeys(String groupNamePattern, FuzzyWatchEventWatcher watcher) {
		throw new UnsupportedOperationException("Fuzzy watch is not supported in memory");
	}

	@Override
	public Future<Set<String>> fuzzyWatchWithGroupKeys(String dataIdPattern, String groupNamePattern,
			FuzzyWatchEventWatcher watcher) {
		throw new UnsupportedOperationException("Fuzzy watch is not supported in memory");
	}

	@Override
	public void cancelFuzzyWatch(String groupNamePattern, FuzzyWatchEventWatcher watcher) {
		throw new UnsupportedOperationException("Fuzzy watch is not supported in memory");
	}

	@Override
	public void cancelFuzzyWatch(String dataIdPattern, String groupNamePattern, FuzzyWatchEventWatcher watcher) {
		throw new UnsupportedOperationException("Fuzzy watch is not supported in memory");
	}

	private void notifyChanged(String key) {
		if (!this.up.get() || this.shutDown.get()) {
			return;
		}
		this.notifier.execute(() -> {
			if (!this.up.get()) {
				return;
			}
			String content = this.server.get(key);
			String md5 = md5(content);
			List<Watch> due = new ArrayList<>();
			for (Watch watch : this.watches.getOrDefault(key, List.of())) {
				if (!md5.equals(watch.lastMd5)) {
					watch.lastMd5 = md5;
					due.add(watch);
				}
			}
			// the client learns the content only when it is pushed to a listener of its
			// own
			if (!due.isEmpty()) {
				if (content != null) {
					this.snapshots.put(key, content);
				}
				else {
					this.snapshots.remove(key);
				}
			}
			for (Watch watch : due) {
				Runnable call = () -> {
					this.notifications.incrementAndGet();
					watch.listener.receiveConfigInfo(content);
				};
				if (watch.listener.getExecutor() != null) {
					watch.listener.getExecutor().execute(call);
				}
				else {
					call.run();
				}
			}
		});
	}

	private void checkRunning() throws NacosException {
		if (this.shutDown.get()) {
			throw new NacosException(NacosException.CLIENT_INVALID_PARAM, "The config service is shut down");
		}
	}

	private void checkAvailable() throws NacosException {
		checkRunning();
		if (!this.up.get()) {
			throw new NacosException(NacosException.SERVER_ERROR, "Nacos server is down");
		}
	}

	private static String key(String dataId, String group) {
		return group + "/" + dataId;
	}

	static String md5(@Nullable String content) {
		if (content == null) {
			return "";
		}
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("MD5").digest(content.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * A listener and the MD5 of the content it last saw.
	 */
	private static final class Watch {

		private final Listener listener;

		private volatile String lastMd5 = "";

		Watch(Listener listener) {
			this.listener = listener;
		}

	}

}

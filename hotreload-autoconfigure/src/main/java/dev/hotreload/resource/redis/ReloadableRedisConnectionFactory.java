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

package dev.hotreload.resource.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.Supplier;

import dev.hotreload.resource.Generation;
import dev.hotreload.resource.Generations;
import dev.hotreload.support.SecretSanitizer;
import io.lettuce.core.AbstractRedisClient;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.ReactiveRedisClusterConnection;
import org.springframework.data.redis.connection.ReactiveRedisConnection;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisSentinelConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

/**
 * A {@link RedisConnectionFactory} and {@link ReactiveRedisConnectionFactory} that serves
 * connections from the current generation of a Lettuce connection factory, which
 * hotreload replaces when {@code spring.data.redis.*} change. It takes the place of the
 * application's {@link LettuceConnectionFactory} bean, so {@code RedisTemplate},
 * {@code ReactiveRedisTemplate}, Spring Cache and Spring Session follow the swap with no
 * change.
 * <p>
 * Getting a connection costs one volatile read and one compare-and-set more than the
 * Lettuce factory: the generation is read once, and the connection is counted until it is
 * closed, so that a retiring generation is destroyed only when its connections (and the
 * transactions, pipelines and sessions bound to them) are done.
 *
 * @author hotreload authors
 */
public final class ReloadableRedisConnectionFactory
		implements RedisConnectionFactory, ReactiveRedisConnectionFactory, SmartLifecycle {

	private final String name;

	private final List<RedisMessageListenerContainer> listenerContainers = new CopyOnWriteArrayList<>();

	private final RedisClientLifecycle lifecycle;

	private final Generations<RedisGeneration, String> generations;

	private final CredentialRejections rejections;

	private final int phase;

	private final boolean autoStartup;

	ReloadableRedisConnectionFactory(String name, LettuceConnectionFactory factory, Supplier<RedisTimeouts> timeouts,
			List<String> reactiveContainers, @Nullable ApplicationEventPublisher publisher,
			Supplier<SecretSanitizer> secrets) {
		this.name = name;
		this.rejections = new CredentialRejections(name, this, publisher, secrets);
		this.lifecycle = new RedisClientLifecycle(name, timeouts, this.listenerContainers, reactiveContainers,
				this::getCurrentFactory);
		RedisGeneration first = new RedisGeneration(1, factory, null, null);
		this.generations = new Generations<>(name, ClientGeneration.of(name, first), first.target(), this.lifecycle);
		followRejections(first);
		this.phase = factory.getPhase();
		this.autoStartup = factory.isAutoStartup();
	}

	/**
	 * The name of the bean this factory serves, used to name the resource and its
	 * threads.
	 * @return the name
	 */
	public String getName() {
		return this.name;
	}

	/**
	 * The Lettuce factory currently serving. Connections taken from it directly are not
	 * counted, so a reload may close them while they are in use; prefer
	 * {@link #getConnection()}.
	 * @return the current Lettuce factory
	 */
	public LettuceConnectionFactory getCurrentFactory() {
		return current().factory();
	}

	/**
	 * The current generation, starting at 1.
	 * @return the generation
	 */
	public long getGeneration() {
		return current().number();
	}

	@Override
	public RedisConnection getConnection() {
		return acquire(RedisConnection.class, LettuceConnectionFactory::getConnection);
	}

	@Override
	public RedisClusterConnection getClusterConnection() {
		return acquire(RedisClusterConnection.class, LettuceConnectionFactory::getClusterConnection);
	}

	@Override
	public RedisSentinelConnection getSentinelConnection() {
		return acquire(RedisSentinelConnection.class, LettuceConnectionFactory::getSentinelConnection);
	}

	@Override
	public ReactiveRedisConnection getReactiveConnection() {
		// through the interface: the factory's own return type is not public
		return acquire(ReactiveRedisConnection.class,
				(factory) -> ((ReactiveRedisConnectionFactory) factory).getReactiveConnection());
	}

	@Override
	public ReactiveRedisClusterConnection getReactiveClusterConnection() {
		return acquire(ReactiveRedisClusterConnection.class,
				(factory) -> ((ReactiveRedisConnectionFactory) factory).getReactiveClusterConnection());
	}

	@Override
	public boolean getConvertPipelineAndTxResults() {
		return current().factory().getConvertPipelineAndTxResults();
	}

	@Override
	public @Nullable DataAccessException translateExceptionIfPossible(RuntimeException ex) {
		return current().factory().translateExceptionIfPossible(ex);
	}

	private <T> T acquire(Class<T> type, Function<LettuceConnectionFactory, T> connect) {
		Generation<RedisGeneration> generation = this.generations.acquire();
		T connection;
		try {
			connection = connect.apply(generation.instance().factory());
		}
		catch (RuntimeException | Error ex) {
			generation.inFlight().release();
			// a new connection refused by the server (the shared one included)
			this.rejections.check(ex);
			throw ex;
		}
		return CountedConnection.wrap(type, connection, generation.instance(), this);
	}

	void addListenerContainer(RedisMessageListenerContainer container) {
		this.listenerContainers.add(container);
	}

	List<RedisMessageListenerContainer> listenerContainers() {
		return this.listenerContainers;
	}

	RedisGeneration current() {
		return this.generations.instance();
	}

	Generations<RedisGeneration, String> generations() {
		return this.generations;
	}

	RedisClientLifecycle lifecycle() {
		return this.lifecycle;
	}

	List<RedisGeneration> retiring() {
		return this.generations.retiring().stream().map(Generation::instance).toList();
	}

	/**
	 * Publish a {@link dev.hotreload.resource.CredentialsRejectedEvent} when the server
	 * refuses a reconnect of the generation's client, once it has a client (it is
	 * started).
	 * @param generation the generation, the live one or one about to serve
	 */
	void followRejections(RedisGeneration generation) {
		AbstractRedisClient client = generation.factory().isRunning() ? generation.factory().getNativeClient() : null;
		if (client != null) {
			this.rejections.follow(client.getResources());
		}
	}

	/**
	 * Destroy every generation this factory built (the first one is the application's
	 * bean and is destroyed by its context). Idempotent.
	 */
	void destroyBuiltGenerations() {
		this.rejections.close();
		List<RedisGeneration> all = new ArrayList<>(retiring());
		all.add(current());
		for (RedisGeneration generation : all) {
			if (generation.number() > 1) {
				this.lifecycle.close(generation);
			}
		}
	}

	@Override
	public void start() {
		RedisGeneration generation = current();
		boolean running = generation.factory().isRunning();
		generation.factory().start();
		if (!running) {
			// a new client
			generation.followHealth();
			followRejections(generation);
		}
	}

	@Override
	public void stop() {
		current().factory().stop();
	}

	@Override
	public boolean isRunning() {
		return current().factory().isRunning();
	}

	@Override
	public int getPhase() {
		return this.phase;
	}

	@Override
	public boolean isAutoStartup() {
		return this.autoStartup;
	}

	@Override
	public String toString() {
		return "ReloadableRedisConnectionFactory '" + this.name + "' serving " + current();
	}

}

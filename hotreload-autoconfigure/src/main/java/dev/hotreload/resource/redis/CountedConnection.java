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

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.util.ClassUtils;

/**
 * A connection handed out by a {@link ReloadableRedisConnectionFactory}: the connection
 * of one generation's factory, counted as in use until it is closed ({@code close()}, or
 * the completion of a reactive connection's {@code closeLater()}). Everything else is
 * passed to the connection unchanged, so a transaction, a pipeline or a
 * {@code SessionCallback} runs to its end on the generation it started on.
 *
 * @author hotreload authors
 */
final class CountedConnection implements InvocationHandler {

	private final Object target;

	private final RedisGeneration generation;

	private final AtomicBoolean released = new AtomicBoolean();

	private CountedConnection(Object target, RedisGeneration generation) {
		this.target = target;
		this.generation = generation;
	}

	/**
	 * Wrap a connection acquired from (and already counted by) a generation.
	 * @param <T> the connection type
	 * @param type the connection type
	 * @param target the connection
	 * @param generation the generation it belongs to
	 * @return the wrapped connection
	 */
	static <T> T wrap(Class<T> type, T target, RedisGeneration generation) {
		Class<?>[] interfaces = ClassUtils.getAllInterfaces(target);
		ClassLoader classLoader = target.getClass().getClassLoader();
		return type.cast(Proxy.newProxyInstance(classLoader, interfaces, new CountedConnection(target, generation)));
	}

	@Override
	public @Nullable Object invoke(Object proxy, Method method, @Nullable Object[] args) throws Throwable {
		boolean noArgs = (args == null || args.length == 0);
		switch (method.getName()) {
			case "equals":
				return (args != null && args.length == 1 && proxy == args[0]);
			case "hashCode":
				if (noArgs) {
					return System.identityHashCode(proxy);
				}
				break;
			case "toString":
				if (noArgs) {
					return this.target + " of " + this.generation;
				}
				break;
			case "close":
				if (noArgs) {
					try {
						return call(method, args);
					}
					finally {
						release();
					}
				}
				break;
			case "closeLater":
				if (noArgs) {
					Object result;
					try {
						result = call(method, args);
					}
					catch (Throwable ex) {
						release();
						throw ex;
					}
					return (result instanceof Mono<?> mono) ? mono.doFinally((signal) -> release()) : result;
				}
				break;
			default:
		}
		return call(method, args);
	}

	private @Nullable Object call(Method method, @Nullable Object[] args) throws Throwable {
		try {
			return method.invoke(this.target, args);
		}
		catch (InvocationTargetException ex) {
			throw ex.getTargetException();
		}
	}

	private void release() {
		if (this.released.compareAndSet(false, true)) {
			this.generation.inFlight().release();
		}
	}

}

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
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.ReactiveRedisConnection;

/**
 * The command object of a reactive connection handed out by a
 * {@link ReloadableRedisConnectionFactory} ({@code stringCommands()},
 * {@code keyCommands()} and the like): each command's publisher is the connection's
 * {@link CountedConnection#movable movable} one, so that a command that fails unwritten
 * on a generation a reload replaced runs on the live one.
 *
 * @author hotreload authors
 */
final class MovedReactiveCommands implements InvocationHandler {

	private final Object target;

	private final Function<ReactiveRedisConnection, @Nullable Object> sameCommands;

	private final CountedConnection connection;

	private MovedReactiveCommands(Object target, Function<ReactiveRedisConnection, @Nullable Object> sameCommands,
			CountedConnection connection) {
		this.target = target;
		this.sameCommands = sameCommands;
		this.connection = connection;
	}

	/**
	 * Wrap a command object.
	 * @param type the command interface, such as {@code ReactiveStringCommands}
	 * @param target the command object
	 * @param sameCommands the same command object of another connection
	 * @param connection the connection it belongs to
	 * @return the wrapped command object
	 */
	static Object wrap(Class<?> type, Object target, Function<ReactiveRedisConnection, @Nullable Object> sameCommands,
			CountedConnection connection) {
		return Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] { type },
				new MovedReactiveCommands(target, sameCommands, connection));
	}

	@Override
	public @Nullable Object invoke(Object proxy, Method method, @Nullable Object[] args) throws Throwable {
		boolean noArgs = (args == null || args.length == 0);
		if (method.getName().equals("equals") && args != null && args.length == 1) {
			return proxy == args[0];
		}
		if (method.getName().equals("hashCode") && noArgs) {
			return System.identityHashCode(proxy);
		}
		Object result;
		try {
			result = method.invoke(this.target, args);
		}
		catch (InvocationTargetException ex) {
			throw ex.getTargetException();
		}
		if (method.getName().equals("toString") && noArgs) {
			return result;
		}
		return this.connection.movable(result,
				(other) -> CountedConnection.issue(method, this.sameCommands.apply(other), args));
	}

}

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

package dev.hotreload.resource;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

import org.springframework.aop.scope.ScopedProxyUtils;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.config.DestructionAwareBeanPostProcessor;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.util.Assert;
import org.springframework.util.ClassUtils;

/**
 * The one way a resource type takes over the application's beans: every bean of the type
 * is served through the Spring-facing wrapper that {@link #wrap} returns, and the
 * wrapper's {@link ReloadableResource} is registered beside it as a singleton named
 * {@code <bean name>.hotreload}, where the engine finds it with the other
 * {@link ReloadableResource} beans. When the bean is destroyed with its context, what the
 * resource built for it is closed.
 * <p>
 * A bean in a scope such as {@code @RefreshScope} is left to its scope (see
 * {@link #leftToScope(String)}). Spring Cloud's rebinding never rebinds a wrapper (its
 * class is added to {@code spring.cloud.refresh.never-refreshable}), and a bean destroyed
 * by someone other than its context is not closed.
 *
 * @param <B> the type of the beans taken over, such as {@code HikariDataSource}
 * @author hotreload authors
 */
public abstract class ResourceBeanPostProcessor<B>
		implements DestructionAwareBeanPostProcessor, ApplicationContextAware, Ordered {

	/**
	 * Appended to a bean's name to name its resource.
	 */
	public static final String RESOURCE_SUFFIX = ".hotreload";

	private static final boolean SPRING_CLOUD_PRESENT = ClassUtils.isPresent(
			"org.springframework.cloud.context.properties.ConfigurationPropertiesRebinder",
			ResourceBeanPostProcessor.class.getClassLoader());

	private final Class<B> type;

	private final Map<String, Registration> registered = new ConcurrentHashMap<>();

	private final Set<String> scoped = ConcurrentHashMap.newKeySet();

	private @Nullable ApplicationContext applicationContext;

	/**
	 * Create a post-processor for beans of the given type.
	 * @param type the type
	 */
	protected ResourceBeanPostProcessor(Class<B> type) {
		this.type = type;
	}

	/**
	 * The name of the resource registered for a bean.
	 * @param beanName the bean's name
	 * @return the resource's bean name
	 */
	public static String resourceBeanName(String beanName) {
		return beanName + RESOURCE_SUFFIX;
	}

	@Override
	public void setApplicationContext(ApplicationContext applicationContext) {
		Assert.isInstanceOf(ConfigurableListableBeanFactory.class, applicationContext.getAutowireCapableBeanFactory(),
				"hotreload needs a ConfigurableListableBeanFactory");
		this.applicationContext = applicationContext;
	}

	/**
	 * The application context.
	 * @return the context
	 */
	protected final ApplicationContext getApplicationContext() {
		Assert.state(this.applicationContext != null, "no ApplicationContext set");
		return this.applicationContext;
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
		if (!this.type.isInstance(bean) || this.registered.containsKey(beanName) || this.applicationContext == null) {
			return bean;
		}
		if (ScopedProxyUtils.isScopedTarget(beanName)) {
			if (this.scoped.add(beanName)) {
				leftToScope(ScopedProxyUtils.getOriginalBeanName(beanName));
			}
			return bean;
		}
		Wrapped wrapped = wrap(this.type.cast(bean), beanName);
		if (wrapped == null) {
			return bean;
		}
		((ConfigurableListableBeanFactory) this.applicationContext.getAutowireCapableBeanFactory())
			.registerSingleton(resourceBeanName(beanName), wrapped.resource());
		if (SPRING_CLOUD_PRESENT && this.applicationContext.getEnvironment() instanceof ConfigurableEnvironment env) {
			NeverRefreshable.add(env, wrapped.bean().getClass().getName());
		}
		this.registered.put(beanName, new Registration(bean, wrapped));
		return wrapped.bean();
	}

	/**
	 * Wrap a bean of the type.
	 * @param bean the bean, initialized
	 * @param beanName its name
	 * @return the wrapper, its resource and how to close what it built, or {@code null}
	 * to leave the bean as it is
	 */
	protected abstract @Nullable Wrapped wrap(B bean, String beanName);

	/**
	 * Called once for a bean of the type in a scope such as {@code @RefreshScope}, which
	 * is left to its scope. Does nothing by default.
	 * @param beanName the name of the scoped bean
	 */
	protected void leftToScope(String beanName) {
	}

	/**
	 * Close what the resource built when the bean is destroyed with its context. Spring
	 * hands the bean as it was created, before it was wrapped; a bean destroyed by
	 * someone else (Spring Cloud's rebinding destroys the wrapper under another name) is
	 * left alone.
	 */
	@Override
	public void postProcessBeforeDestruction(Object bean, String beanName) throws BeansException {
		Registration registration = this.registered.get(beanName);
		if (registration != null && registration.original() == bean && this.registered.remove(beanName, registration)) {
			registration.wrapped().close().run();
		}
	}

	@Override
	public boolean requiresDestruction(Object bean) {
		return this.registered.values().stream().anyMatch((registration) -> registration.original() == bean);
	}

	private record Registration(Object original, Wrapped wrapped) {

	}

	/**
	 * A bean taken over: the wrapper served in its place, its resource, and how to close
	 * what the resource built for it (every generation), once.
	 *
	 * @param bean the Spring-facing wrapper
	 * @param resource its resource
	 * @param close closes every generation; idempotent
	 */
	public record Wrapped(Object bean, ReloadableResource resource, Runnable close) {

	}

}

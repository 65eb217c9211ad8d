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

package dev.hotreload.resource.jdbc;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import com.zaxxer.hikari.HikariDataSource;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.BeansException;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.context.properties.ConfigurationPropertiesBean;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import org.springframework.core.Ordered;
import org.springframework.util.StringUtils;

/**
 * Serves every HikariCP DataSource bean through a {@link ReloadableDataSource}. Spring
 * Boot's auto-configured one is rebuilt from {@code spring.datasource.*} (through
 * {@link DataSourceProperties} and {@code spring.datasource.hikari.*}, as Spring Boot
 * builds it); a DataSource the application defines with
 * {@code @ConfigurationProperties("prefix")} on its {@code @Bean} method is rebuilt from
 * that prefix. Other HikariCP DataSources are served as they are and are not reloadable.
 * Closes every pool when the application context closes.
 *
 * @author hotreload authors
 */
public final class ReloadableDataSourcePostProcessor
		implements BeanPostProcessor, ApplicationContextAware, DisposableBean, Ordered {

	private static final Log logger = LogFactory.getLog(ReloadableDataSourcePostProcessor.class);

	private static final String BOOT_PREFIX = "spring.datasource.hikari";

	private static final String SCOPED_TARGET_PREFIX = "scopedTarget.";

	private final Duration validationTimeout;

	private final Duration drainTimeout;

	private final Map<String, ReloadableDataSource> wrapped = new ConcurrentHashMap<>();

	private final java.util.Set<String> scopedWarned = ConcurrentHashMap.newKeySet();

	private @Nullable ApplicationContext context;

	public ReloadableDataSourcePostProcessor(Duration validationTimeout, Duration drainTimeout) {
		this.validationTimeout = validationTimeout;
		this.drainTimeout = drainTimeout;
	}

	@Override
	public void setApplicationContext(ApplicationContext context) {
		this.context = context;
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
		if (!(bean instanceof HikariDataSource pool)) {
			return bean;
		}
		if (beanName.startsWith(SCOPED_TARGET_PREFIX)) {
			// its scoped proxy is a HikariDataSource subclass that needs the raw target
			if (this.scopedWarned.add(beanName)) {
				logger.warn("HikariCP DataSource '" + beanName.substring(SCOPED_TARGET_PREFIX.length())
						+ "' is in a scope such as @RefreshScope, which closes its pool on every refresh; hotreload"
						+ " leaves it alone. Remove @RefreshScope to have it reloaded gracefully");
			}
			return bean;
		}
		if (this.wrapped.containsKey(beanName)) {
			return bean;
		}
		Function<Binder, HikariDataSource> candidates = candidates(bean, beanName);
		if (candidates == null) {
			logger.info("HikariCP DataSource '" + beanName + "' is served as it is: it is not Spring Boot's"
					+ " and has no @ConfigurationProperties prefix to rebuild it from");
		}
		ReloadableDataSource reloadable = new ReloadableDataSource(beanName, pool, candidates, this.validationTimeout,
				this.drainTimeout);
		this.wrapped.put(beanName, reloadable);
		return reloadable;
	}

	private @Nullable Function<Binder, HikariDataSource> candidates(Object bean, String beanName) {
		ConfigurationPropertiesBean properties = (this.context != null)
				? ConfigurationPropertiesBean.get(this.context, bean, beanName) : null;
		if (properties == null) {
			return null;
		}
		String prefix = properties.getAnnotation().prefix();
		if (BOOT_PREFIX.equals(prefix)) {
			ClassLoader classLoader = bean.getClass().getClassLoader();
			return (binder) -> bootDataSource(binder, classLoader);
		}
		return (binder) -> {
			HikariDataSource candidate = new HikariDataSource();
			binder.bind(prefix, Bindable.ofInstance(candidate));
			return candidate;
		};
	}

	private static HikariDataSource bootDataSource(Binder binder, ClassLoader classLoader) {
		DataSourceProperties properties = binder.bind("spring.datasource", DataSourceProperties.class)
			.orElseGet(DataSourceProperties::new);
		properties.setBeanClassLoader(classLoader);
		try {
			properties.afterPropertiesSet();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex.getMessage(), ex);
		}
		HikariDataSource candidate = properties.initializeDataSourceBuilder().type(HikariDataSource.class).build();
		if (StringUtils.hasText(properties.getName())) {
			candidate.setPoolName(properties.getName());
		}
		binder.bind(BOOT_PREFIX, Bindable.ofInstance(candidate));
		return candidate;
	}

	@Override
	public void destroy() {
		this.wrapped.values().forEach(ReloadableDataSource::shutdown);
	}

}

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

import com.zaxxer.hikari.HikariDataSource;
import dev.hotreload.resource.BootTypes;
import dev.hotreload.resource.EffectiveSettings;
import dev.hotreload.resource.ResourceBeanPostProcessor;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.BeansException;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.properties.ConfigurationPropertiesBean;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.jdbc.metadata.DataSourcePoolMetadataProvider;
import org.springframework.context.ApplicationContext;
import org.springframework.util.ClassUtils;

/**
 * Serves every HikariCP DataSource bean through a {@link ReloadableDataSource} and
 * registers its resource beside it (see {@link ResourceBeanPostProcessor}). A pool is
 * rebuilt the way it was built (see {@link HikariRecipe}): Spring Boot's from its
 * {@link JdbcConnectionDetails} and {@code spring.datasource.hikari.*}; one of Spring
 * Boot's pattern for more DataSources from its {@link DataSourceProperties} prefix and
 * the pool's; one the application binds with {@code @ConfigurationProperties("prefix")}
 * on its {@code @Bean} method from that prefix. Other HikariCP DataSources are served as
 * they are and are not reloadable. Closes every pool when its bean is destroyed.
 *
 * @author hotreload authors
 */
public final class ReloadableDataSourcePostProcessor extends ResourceBeanPostProcessor<HikariDataSource> {

	private static final Log logger = LogFactory.getLog(ReloadableDataSourcePostProcessor.class);

	private static final String BOOT_BEAN_NAME = "dataSource";

	private static final boolean MICROMETER_PRESENT = ClassUtils.isPresent(
			"io.micrometer.core.instrument.MeterRegistry", ReloadableDataSourcePostProcessor.class.getClassLoader());

	private static final String PROPERTIES_CONNECTION_DETAILS = "org.springframework.boot.jdbc.autoconfigure.PropertiesJdbcConnectionDetails";

	private final Duration validationTimeout;

	private final Duration drainTimeout;

	public ReloadableDataSourcePostProcessor(Duration validationTimeout, Duration drainTimeout) {
		super(HikariDataSource.class);
		this.validationTimeout = validationTimeout;
		this.drainTimeout = drainTimeout;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
		if (bean instanceof DataSourcePoolMetadataProvider provider && !(bean instanceof LivePoolMetadataProvider)) {
			return new LivePoolMetadataProvider(provider);
		}
		return super.postProcessAfterInitialization(bean, beanName);
	}

	@Override
	protected Wrapped wrap(HikariDataSource pool, String beanName) {
		ApplicationContext context = getApplicationContext();
		HikariRecipe recipe = recipe(context, pool, beanName);
		if (recipe == null) {
			logger.info("HikariCP DataSource '" + beanName + "' is served as it is: it is not Spring Boot's"
					+ " and has no @ConfigurationProperties prefix to rebuild it from");
		}
		EffectiveSettings settings = (recipe != null)
				? recipe.settings(recipe.keys(Binder.get(context.getEnvironment()))) : null;
		DataSourceResource resource = new DataSourceResource(beanName, pool, recipe, settings, this.validationTimeout,
				this.drainTimeout, context);
		if (MICROMETER_PRESENT) {
			HikariMeters.install(pool, context);
		}
		return new Wrapped(new ReloadableDataSource(resource.generations()), resource, resource::close);
	}

	@Override
	protected void leftToScope(String beanName) {
		// its scoped proxy is a HikariDataSource subclass that needs the raw target
		logger.warn("HikariCP DataSource '" + beanName + "' is in a scope such as @RefreshScope, which closes its"
				+ " pool on every refresh; hotreload leaves it alone. Remove @RefreshScope to have it reloaded"
				+ " gracefully");
	}

	private static @Nullable HikariRecipe recipe(ApplicationContext context, Object bean, String beanName) {
		ConfigurationPropertiesBean properties = ConfigurationPropertiesBean.get(context, bean, beanName);
		if (properties == null) {
			return null;
		}
		String poolPrefix = properties.getAnnotation().prefix();
		ClassLoader classLoader = bean.getClass().getClassLoader();
		Map.Entry<String, DataSourceProperties> parent = parentProperties(context, poolPrefix);
		if (parent == null) {
			return HikariRecipe.BOOT_POOL.equals(poolPrefix)
					? new HikariRecipe(poolPrefix, HikariRecipe.BOOT_PROPERTIES, null, null, classLoader)
					: new HikariRecipe(poolPrefix, null, null, null, classLoader);
		}
		JdbcConnectionDetails details = (HikariRecipe.BOOT_PROPERTIES.equals(parent.getKey())
				&& BOOT_BEAN_NAME.equals(beanName)) ? connectionDetails(context) : null;
		return new HikariRecipe(poolPrefix, parent.getKey(), parent.getValue(), details, classLoader);
	}

	/**
	 * The live {@link DataSourceProperties} bean with the longest prefix above the pool's
	 * own, among those already created (the pool's bean method depends on it).
	 */
	private static Map.@Nullable Entry<String, DataSourceProperties> parentProperties(ApplicationContext context,
			String poolPrefix) {
		Map.Entry<String, DataSourceProperties> best = null;
		for (String name : context.getBeanNamesForType(DataSourceProperties.class, false, false)) {
			if (!(context.getAutowireCapableBeanFactory() instanceof ConfigurableListableBeanFactory beanFactory)
					|| !beanFactory.containsSingleton(name)) {
				continue;
			}
			DataSourceProperties candidate = beanFactory.getBean(name, DataSourceProperties.class);
			ConfigurationPropertiesBean bound = ConfigurationPropertiesBean.get(context, candidate, name);
			String prefix = (bound != null) ? bound.getAnnotation().prefix() : null;
			if (prefix != null && poolPrefix.startsWith(prefix + ".")
					&& (best == null || prefix.length() > best.getKey().length())) {
				best = Map.entry(prefix, candidate);
			}
		}
		return best;
	}

	/**
	 * The application's connection details when they do not come from
	 * {@code spring.datasource.*}: Spring Boot builds its DataSource from them.
	 */
	private static @Nullable JdbcConnectionDetails connectionDetails(ApplicationContext context) {
		JdbcConnectionDetails details = context.getBeanProvider(JdbcConnectionDetails.class).getIfUnique();
		return (details != null && !BootTypes.isInstance(details, PROPERTIES_CONNECTION_DETAILS)) ? details : null;
	}

}

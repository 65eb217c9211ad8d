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

package dev.hotreload.resource.druid;

import java.time.Duration;
import java.util.List;

import com.alibaba.druid.filter.Filter;
import com.alibaba.druid.pool.DruidDataSource;
import dev.hotreload.resource.EffectiveSettings;
import dev.hotreload.resource.ResourceBeanPostProcessor;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationPropertiesBean;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationContext;

/**
 * Serves every Druid DataSource bean through a {@link ReloadableDruidDataSource} and
 * registers its resource beside it (see {@link ResourceBeanPostProcessor}). A pool is
 * rebuilt the way it was built (see {@link DruidRecipe}): one bound with
 * {@code @ConfigurationProperties} (druid-spring-boot-starter's, or the application's
 * {@code @Bean}) from its prefix and {@code spring.datasource.*}; Spring Boot's, of
 * {@code spring.datasource.type} Druid, from {@code spring.datasource.*}. Other Druid
 * DataSources are served as they are and are not reloadable.
 *
 * @author hotreload authors
 */
public final class ReloadableDruidDataSourcePostProcessor extends ResourceBeanPostProcessor<DruidDataSource> {

	private static final Log logger = LogFactory.getLog(ReloadableDruidDataSourcePostProcessor.class);

	private static final String BOOT_BEAN_NAME = "dataSource";

	private final Duration validationTimeout;

	private final Duration drainTimeout;

	/**
	 * Create a post-processor.
	 * @param validationTimeout time a new pool is given to open and check a connection
	 * @param drainTimeout time a retired pool is given for its borrowed connections
	 */
	public ReloadableDruidDataSourcePostProcessor(Duration validationTimeout, Duration drainTimeout) {
		super(DruidDataSource.class);
		this.validationTimeout = validationTimeout;
		this.drainTimeout = drainTimeout;
	}

	/**
	 * Give a Druid pool that is not initialized yet hotreload's {@link ConnectFilter}, so
	 * that its first connections go through it too, their logins bounded by the
	 * validation timeout.
	 */
	@Override
	public Object postProcessBeforeInitialization(Object bean, String beanName) {
		if (bean instanceof DruidDataSource pool && !pool.isInited()) {
			ConnectFilter.of(pool).bound(this.validationTimeout);
		}
		return bean;
	}

	@Override
	protected Wrapped wrap(DruidDataSource pool, String beanName) {
		ApplicationContext context = getApplicationContext();
		DruidRecipe recipe = recipe(context, pool, beanName);
		if (recipe == null) {
			logger.info("Druid DataSource '" + beanName + "' is served as it is: it is not Spring Boot's and has no"
					+ " @ConfigurationProperties prefix to rebuild it from");
		}
		EffectiveSettings settings = (recipe != null)
				? recipe.settings(recipe.keys(Binder.get(context.getEnvironment()))) : null;
		DruidResource resource = new DruidResource(beanName, pool, recipe, settings, this.validationTimeout,
				this.drainTimeout, context);
		return new Wrapped(new ReloadableDruidDataSource(resource.generations()), resource, resource::close);
	}

	private static @Nullable DruidRecipe recipe(ApplicationContext context, DruidDataSource pool, String beanName) {
		ConfigurationPropertiesBean properties = ConfigurationPropertiesBean.get(context, pool, beanName);
		if (properties != null) {
			return new DruidRecipe(properties.getAnnotation().prefix(), () -> filters(context));
		}
		return BOOT_BEAN_NAME.equals(beanName) && context.getEnvironment().containsProperty("spring.datasource.url")
				? new DruidRecipe(null, () -> filters(context)) : null;
	}

	private static List<Filter> filters(ApplicationContext context) {
		return List.copyOf(context.getBeansOfType(Filter.class, false, false).values());
	}

	@Override
	protected void leftToScope(String beanName) {
		logger.warn("Druid DataSource '" + beanName + "' is in a scope such as @RefreshScope, which closes its pool"
				+ " on every refresh; hotreload leaves it alone. Remove @RefreshScope to have it reloaded gracefully");
	}

}

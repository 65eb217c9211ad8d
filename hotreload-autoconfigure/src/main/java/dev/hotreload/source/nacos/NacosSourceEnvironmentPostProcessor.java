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

import java.util.List;

import org.apache.commons.logging.Log;

import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.bootstrap.ConfigurableBootstrapContext;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.util.ClassUtils;

/**
 * Loads the data-ids of {@code hotreload.nacos.configs} into the environment before any
 * bean is built, so that the first DataSource is already configured from Nacos. Runs
 * right after the local-file source, so {@code hotreload.nacos.*} may be set in
 * {@code application.yaml}, the environment, on the command line or in a
 * {@code hotreload.file.locations} file. Each data-id becomes one property source below
 * the command-line arguments; a later entry takes precedence over an earlier one.
 * <p>
 * The Nacos client created here is handed to the application context as the
 * {@value NacosConnection#BEAN_NAME} bean, which listens through it and closes it with
 * the context.
 *
 * @author hotreload authors
 */
public final class NacosSourceEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	/**
	 * The order: right after the file source's post-processor, which runs right after
	 * Spring Boot's {@link ConfigDataEnvironmentPostProcessor}.
	 */
	public static final int ORDER = ConfigDataEnvironmentPostProcessor.ORDER + 2;

	private final Log logger;

	private final ConfigurableBootstrapContext bootstrapContext;

	public NacosSourceEnvironmentPostProcessor(DeferredLogFactory logFactory,
			ConfigurableBootstrapContext bootstrapContext) {
		this.logger = logFactory.getLog(NacosSourceEnvironmentPostProcessor.class);
		this.bootstrapContext = bootstrapContext;
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		Binder binder = Binder.get(environment);
		if (!binder.bind("hotreload.enabled", Boolean.class).orElse(true)) {
			return;
		}
		if (!ClassUtils.isPresent(NacosClientMissingException.CONFIG_SERVICE_CLASS, application.getClassLoader())) {
			List<String> requesting = NacosClientMissingException.requestingProperties(binder);
			if (!requesting.isEmpty()) {
				throw new NacosClientMissingException(requesting);
			}
			return;
		}
		NacosSettings settings = NacosSettings.bind(binder);
		if (settings == null) {
			return;
		}
		new Loader(this.logger, this.bootstrapContext).load(environment, settings);
	}

	/**
	 * Does the work that needs nacos-client, which is optional.
	 */
	private record Loader(Log logger, ConfigurableBootstrapContext bootstrapContext) {

		void load(ConfigurableEnvironment environment, NacosSettings settings) {
			NacosConfigServiceFactory factory = this.bootstrapContext.getOrElse(NacosConfigServiceFactory.class,
					NacosConfigServiceFactory.standard());
			NacosConnection connection = NacosConnection.open(settings, factory);
			try {
				connection.load(environment, this.logger);
			}
			catch (RuntimeException ex) {
				connection.close();
				throw ex;
			}
			SpringCloudAlibabaCheck.warnOnOverlap(environment, settings, this.logger);
			this.bootstrapContext.addCloseListener((event) -> register(event.getApplicationContext(), connection));
		}

		private static void register(ConfigurableApplicationContext context, NacosConnection connection) {
			var beanFactory = context.getBeanFactory();
			if (beanFactory.containsSingleton(NacosConnection.BEAN_NAME)) {
				connection.close();
				return;
			}
			beanFactory.registerSingleton(NacosConnection.BEAN_NAME, connection);
			if (beanFactory instanceof DefaultSingletonBeanRegistry registry) {
				registry.registerDisposableBean(NacosConnection.BEAN_NAME, connection::close);
			}
		}

	}

}

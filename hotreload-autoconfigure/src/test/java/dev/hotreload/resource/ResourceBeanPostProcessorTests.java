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
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The registration base: beans of the type are served through their wrapper, the resource
 * is registered beside them, and what it built is closed with the bean's context only.
 */
class ResourceBeanPostProcessorTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner().withUserConfiguration(Pools.class);

	@Test
	void servesTheWrapperAndRegistersTheResourceBesideIt() {
		this.runner.run((context) -> {
			assertThat(context.getBean("pool")).isInstanceOf(Wrapper.class);
			assertThat(((Wrapper) context.getBean("pool")).pool.name).isEqualTo("first");
			assertThat(context.getBeansOfType(ReloadableResource.class)).containsOnlyKeys("pool.hotreload");
			assertThat(context.getBean(ResourceBeanPostProcessor.resourceBeanName("pool"), ReloadableResource.class)
				.name()).isEqualTo("pool");
		});
	}

	@Test
	void closesWhatTheResourceBuiltWithTheContextOnlyOnce() {
		AtomicInteger closed = new AtomicInteger();
		this.runner.withBean(AtomicInteger.class, () -> closed).run((context) -> {
			Object wrapper = context.getBean("pool");
			// Spring Cloud's rebinding destroys the wrapper it is handed: nothing closes
			context.getAutowireCapableBeanFactory().destroyBean(wrapper);
			assertThat(closed).hasValue(0);
		});
		assertThat(closed).hasValue(1);
	}

	@Configuration(proxyBeanMethods = false)
	static class Pools {

		@Bean
		static PoolPostProcessor poolPostProcessor(ObjectProvider<AtomicInteger> closed) {
			return new PoolPostProcessor(closed);
		}

		@Bean
		Pool pool() {
			return new Pool("first");
		}

	}

	record Pool(String name) {

	}

	record Wrapper(Pool pool) {

	}

	static final class PoolPostProcessor extends ResourceBeanPostProcessor<Pool> {

		private final ObjectProvider<AtomicInteger> closed;

		PoolPostProcessor(ObjectProvider<AtomicInteger> closed) {
			super(Pool.class);
			this.closed = closed;
		}

		@Override
		protected Wrapped wrap(Pool bean, String beanName) {
			ReloadableResource resource = new ReloadableResource() {

				@Override
				public String name() {
					return beanName;
				}

				@Override
				public String type() {
					return "test";
				}

				@Override
				public @Nullable PreparedChange prepare(ReloadContext context) {
					return null;
				}

				@Override
				public ResourceDescriptor describe() {
					return new ResourceDescriptor(beanName, "test", 1, "SERVING", Map.of());
				}

			};
			return new Wrapped(new Wrapper(bean), resource, () -> {
				AtomicInteger closed = this.closed.getIfAvailable();
				if (closed != null) {
					closed.incrementAndGet();
				}
			});
		}

	}

}

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

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.jdbc.DataSourceUnwrapper;
import org.springframework.boot.jdbc.metadata.DataSourcePoolMetadata;
import org.springframework.boot.jdbc.metadata.DataSourcePoolMetadataProvider;
import org.springframework.boot.jdbc.metadata.HikariDataSourcePoolMetadata;

/**
 * Wraps a {@link DataSourcePoolMetadataProvider} so that the metadata of a
 * {@link ReloadableDataSource} reads the pool that serves at each call: Spring Boot's
 * {@code jdbc.connections.*} meters and DataSource health keep the metadata they are
 * given, and would otherwise keep reading the first pool.
 *
 * @author hotreload authors
 */
final class LivePoolMetadataProvider implements DataSourcePoolMetadataProvider {

	private final DataSourcePoolMetadataProvider delegate;

	LivePoolMetadataProvider(DataSourcePoolMetadataProvider delegate) {
		this.delegate = delegate;
	}

	@Override
	public @Nullable DataSourcePoolMetadata getDataSourcePoolMetadata(DataSource dataSource) {
		ReloadableDataSource reloadable = DataSourceUnwrapper.unwrap(dataSource, ReloadableDataSource.class);
		return (reloadable != null) ? new LiveMetadata(reloadable)
				: this.delegate.getDataSourcePoolMetadata(dataSource);
	}

	/**
	 * Metadata of the pool that serves now.
	 */
	private record LiveMetadata(ReloadableDataSource dataSource) implements DataSourcePoolMetadata {

		private DataSourcePoolMetadata live() {
			return new HikariDataSourcePoolMetadata(this.dataSource.getPool());
		}

		@Override
		public @Nullable Float getUsage() {
			return live().getUsage();
		}

		@Override
		public @Nullable Integer getActive() {
			return live().getActive();
		}

		@Override
		public @Nullable Integer getIdle() {
			return live().getIdle();
		}

		@Override
		public @Nullable Integer getMax() {
			return live().getMax();
		}

		@Override
		public @Nullable Integer getMin() {
			return live().getMin();
		}

		@Override
		public @Nullable String getValidationQuery() {
			return live().getValidationQuery();
		}

		@Override
		public @Nullable Boolean getDefaultAutoCommit() {
			return live().getDefaultAutoCommit();
		}

	}

}

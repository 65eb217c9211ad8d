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

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that JDBC urls never show a password in messages or in the endpoint.
 */
class MaskUrlTests {

	@Test
	void masksPasswordParameters() {
		assertThat(ReloadableDataSource.maskUrl("jdbc:postgresql://db:5432/orders?user=app&password=s3cret&ssl=true"))
			.isEqualTo("jdbc:postgresql://db:5432/orders?user=app&password=******&ssl=true");
		assertThat(ReloadableDataSource.maskUrl("jdbc:sqlserver://db;user=app;Password=s3cret;encrypt=true"))
			.isEqualTo("jdbc:sqlserver://db;user=app;Password=******;encrypt=true");
	}

	@Test
	void masksUserInfoPasswords() {
		assertThat(ReloadableDataSource.maskUrl("jdbc:mysql://app:s3cret@db:3306/orders"))
			.isEqualTo("jdbc:mysql://app:******@db:3306/orders");
	}

	@Test
	void leavesUrlsWithoutPasswordsAlone() {
		assertThat(ReloadableDataSource.maskUrl("jdbc:postgresql://db:5432/orders"))
			.isEqualTo("jdbc:postgresql://db:5432/orders");
		assertThat(ReloadableDataSource.maskUrl(null)).isNull();
	}

}

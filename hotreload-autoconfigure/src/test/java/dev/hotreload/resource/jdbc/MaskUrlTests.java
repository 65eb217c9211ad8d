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

import com.zaxxer.hikari.HikariConfig;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that JDBC urls never show a password in messages or in the endpoint.
 */
class MaskUrlTests {

	@Test
	void masksPasswordParameters() {
		assertThat(DataSourceResource.maskUrl("jdbc:postgresql://db:5432/orders?user=app&password=s3cret&ssl=true"))
			.isEqualTo("jdbc:postgresql://db:5432/orders?user=app&password=******&ssl=true");
		assertThat(DataSourceResource.maskUrl("jdbc:sqlserver://db;user=app;Password=s3cret;encrypt=true"))
			.isEqualTo("jdbc:sqlserver://db;user=app;Password=******;encrypt=true");
	}

	@Test
	void masksUserInfoPasswords() {
		assertThat(DataSourceResource.maskUrl("jdbc:mysql://app:s3cret@db:3306/orders"))
			.isEqualTo("jdbc:mysql://app:******@db:3306/orders");
	}

	@Test
	void masksOracleUserSlashPasswordAndPasswordsWithAtOrSlash() {
		assertThat(DataSourceResource.maskUrl("jdbc:oracle:thin:scott/t1ger@//db:1521/orcl"))
			.isEqualTo("jdbc:oracle:thin:scott/******@//db:1521/orcl");
		assertThat(DataSourceResource.maskUrl("jdbc:postgresql://app:p@ss/w0rd@db:5432/orders"))
			.isEqualTo("jdbc:postgresql://app:******@db:5432/orders");
	}

	@Test
	void hikariSettingsPrintNoPassword() {
		HikariConfig config = new HikariConfig();
		config.setJdbcUrl("jdbc:postgresql://app:UrlPw4242@db:5432/orders");
		config.setUsername("app");
		config.setPassword("Hikari4242");
		config.addDataSourceProperty("sslpassword", "Prop4242");
		HikariSettings settings = HikariSettings.of(config);
		assertThat(settings.password()).isEqualTo("Hikari4242");
		assertThat(settings.toString()).contains("username=app")
			.contains("jdbc:postgresql://app:******@db:5432/orders")
			.doesNotContain("UrlPw4242")
			.doesNotContain("Hikari4242")
			.doesNotContain("Prop4242");
	}

	@Test
	void leavesUrlsWithoutPasswordsAlone() {
		assertThat(DataSourceResource.maskUrl("jdbc:postgresql://db:5432/orders"))
			.isEqualTo("jdbc:postgresql://db:5432/orders");
		assertThat(DataSourceResource.maskUrl(null)).isNull();
	}

}

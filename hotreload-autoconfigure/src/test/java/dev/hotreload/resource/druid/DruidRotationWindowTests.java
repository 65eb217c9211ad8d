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

import java.nio.file.Path;

import com.alibaba.druid.pool.DruidDataSource;
import dev.hotreload.testsupport.jdbc.ConfigFiles;
import dev.hotreload.testsupport.jdbc.MariaDb;
import dev.hotreload.testsupport.jdbc.MariaDbAccount;
import dev.hotreload.testsupport.jdbc.RotationWindow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rotation window for a Druid pool on MariaDB, which checks passwords over TCP (see
 * {@link RotationWindow}), under 16 threads of transactions: the pool (with Druid's stat
 * filter, and connections opened when it is initialized) keeps opening connections (each
 * lives 1 s, {@code phy-timeout-millis}), so the password changed on the server is
 * refused at once; the window's change is served by a new pool (Druid does not take a new
 * password in place), to which the requests that waited for a connection meanwhile move.
 */
class DruidRotationWindowTests {

	private static final String DATABASE = "hotreload_druid_window";

	private static final String USER = DATABASE;

	private static final String FIRST = "First-Druid-8501";

	@RegisterExtension
	static final MariaDbAccount account = new MariaDbAccount(DATABASE, FIRST);

	private static final String SECOND = "Second-Druid-8502";

	@TempDir
	Path directory;

	@Test
	void aPasswordChangedOnTheServerFirstIsPickedUpByTheRotationWindowWithoutAFailedRequest() throws Exception {
		RotationWindow.assertPickedUp(this.directory, MariaDb.passwordServer(DATABASE, USER),
				new RotationWindow.Pool(
						(config) -> ConfigFiles.run(ReloadableDruidDataSourceLoadTests.TestApplication.class, config),
						"    druid:\n      max-active: 16\n      max-wait: 20000\n      phy-timeout-millis: 1000\n"
								+ "      initial-size: 2\n      filters: stat\n",
						16, (context) -> context.getBean(ReloadableDruidDataSource.class).getPool(), (pool) -> {
						}, false, "new pool", (pool) -> ((DruidDataSource) pool).isClosed()),
				FIRST, SECOND);
	}

}

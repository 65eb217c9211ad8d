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

package dev.hotreload.e2e;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A short run of the benchmark in hotreload's mode: a few flips of database and Redis
 * (every 3 s) under concurrent HTTP load, with zero failed requests.
 */
class SmokeBenchmarkIT {

	@TempDir
	Path directory;

	@Test
	void flipsUnderLoadWithoutAFailedRequest() throws Exception {
		DemoEndToEndIT.createDatabase(FlipBenchmark.DATABASE_B);
		try (RedisServer otherRedis = RedisServer.start(this.directory)) {
			FlipBenchmark benchmark = new FlipBenchmark(this.directory, otherRedis.port(),
					new FlipBenchmark.Settings(Duration.ofSeconds(16), 16, Duration.ofSeconds(3)));
			FlipBenchmark.Result result = benchmark.run(FlipBenchmark.Mode.HOTRELOAD);
			System.out.println(FlipBenchmark.table(java.util.List.of(result)));
			System.out.print(FlipBenchmark.threadLines(java.util.List.of(result)));
			assertThat(result.failures()).isEmpty();
			assertThat(result.failed()).isZero();
			assertThat(result.sent()).isGreaterThan(500);
			assertThat(result.flips()).isGreaterThanOrEqualTo(4);
			assertThat(result.switchedFlips()).isEqualTo(result.flips());
			assertThat(result.pgAfter()).isLessThanOrEqualTo(result.pgBefore());
			assertThat(result.redisAfter()).isLessThanOrEqualTo(result.redisBefore());
		}
	}

}

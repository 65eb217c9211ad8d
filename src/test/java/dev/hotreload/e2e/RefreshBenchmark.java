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

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark of docs/benchmarks.md: hotreload against stock Spring Cloud refresh,
 * three modes on the same machine, interleaved. Not part of the default test run:
 * {@code ./mvnw -Pbenchmark verify}. Settings: {@code -Dbenchmark.duration=60s}
 * {@code -Dbenchmark.clients=32} {@code -Dbenchmark.flip-interval=2s}
 * {@code -Dbenchmark.rounds=1} {@code -Dbenchmark.modes=BASELINE,HOTRELOAD};
 * {@code -Dbenchmark.flips=100} runs every mode for 100 flips instead of a duration.
 */
class RefreshBenchmark {

	/**
	 * The modes to run, {@code -Dbenchmark.modes=BASELINE,HOTRELOAD}; all by default, the
	 * Nacos mode only when {@code NACOS_SERVER_ADDR} names a Nacos server.
	 */
	private static List<FlipBenchmark.Mode> modes() {
		String modes = System.getProperty("benchmark.modes", "");
		if (modes.isBlank()) {
			boolean nacos = System.getenv("NACOS_SERVER_ADDR") != null;
			return Arrays.stream(FlipBenchmark.Mode.values())
				.filter((mode) -> nacos || mode != FlipBenchmark.Mode.HOTRELOAD_NACOS)
				.toList();
		}
		return Arrays.stream(modes.split(",")).map(String::trim).map(FlipBenchmark.Mode::valueOf).toList();
	}

	private static String floor(List<FlipBenchmark.Result> results) {
		String table = FlipBenchmark.floorTable(results);
		return table.isEmpty() ? "" : "\nWhat a reload cannot do without, timed beside the same load:\n\n" + table;
	}

	@TempDir
	Path directory;

	@Test
	void compareHotReloadWithSpringCloudRefresh() throws Exception {
		Duration flipInterval = Duration
			.parse("PT" + System.getProperty("benchmark.flip-interval", "2s").toUpperCase());
		Integer flips = Integer.getInteger("benchmark.flips");
		// n flips on a fixed schedule, the last one followed by a whole interval
		Duration duration = (flips != null) ? flipInterval.multipliedBy(flips + 1L)
				: Duration.parse("PT" + System.getProperty("benchmark.duration", "60s").toUpperCase());
		FlipBenchmark.Settings settings = new FlipBenchmark.Settings(duration,
				Integer.getInteger("benchmark.clients", 32), flipInterval);
		int rounds = Integer.getInteger("benchmark.rounds", 1);
		DemoEndToEndIT.createDatabase(FlipBenchmark.DATABASE_B);
		List<FlipBenchmark.Result> results = new ArrayList<>();
		try (RedisServer otherRedis = RedisServer.start(this.directory)) {
			FlipBenchmark benchmark = new FlipBenchmark(this.directory, otherRedis.port(), settings);
			for (int round = 0; round < rounds; round++) {
				for (FlipBenchmark.Mode mode : modes()) {
					FlipBenchmark.Result result = benchmark.run(mode);
					results.add(result);
					System.out.println(mode.label + " failures: " + result.failures());
					System.out.print(FlipBenchmark.threadLines(List.of(result)));
				}
			}
		}
		String report = "Run " + Instant.now() + " on " + FlipBenchmark.machine() + "; " + settings.clients()
				+ " closed-loop clients (1 in 4 requests a DB transaction), " + settings.duration().toSeconds()
				+ " s per mode" + ((flips != null) ? " (" + flips + " flips)" : "") + ", flip every "
				+ settings.flipInterval().toMillis() + " ms.\n\n" + FlipBenchmark.table(results)
				+ "\nJVM threads after the run and not before (\"new\") and the other way round (\"gone\"),"
				+ " digits in names as N:\n\n" + FlipBenchmark.threadLines(results)
				+ "\nPhases of a reload (hotreload's INFO line per reload):\n\n" + FlipBenchmark.phaseTable(results)
				+ "\nThe new pool of each reload by the connections it held when its start ended (its history entry),"
				+ " against HikariCP's pace (one connection every 30 ms after the second):\n\n"
				+ FlipBenchmark.newPoolTable(results)
				+ "\nRequest latency p99 by time since a flip, as a ratio of the steady p99 of the same requests:\n\n"
				+ FlipBenchmark.afterFlipTable(results) + floor(results);
		Path output = Path.of("target", "benchmark-results.md");
		Files.writeString(output, report);
		System.out.println(report);
	}

}

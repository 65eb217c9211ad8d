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

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.alibaba.nacos.api.NacosFactory;
import com.alibaba.nacos.api.config.ConfigService;
import com.alibaba.nacos.api.exception.NacosException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs the demo in one mode under closed-loop HTTP load while the database and Redis
 * targets flip, and measures failures, reload latency, request latency, staleness and
 * what is left behind.
 */
final class FlipBenchmark {

	static final String DATABASE_A = "test";

	static final String DATABASE_B = "hotreload_e2e_b";

	static final String NACOS_DATA_ID = "hotreload-benchmark.yaml";

	static final String NACOS_GROUP = "DEFAULT_GROUP";

	private static final Duration WARM_UP = Duration
		.parse("PT" + System.getProperty("benchmark.warm-up", "5s").toUpperCase(Locale.ROOT));

	private static final JsonMapper json = JsonMapper.builder().build();

	/**
	 * How the demo is run.
	 */
	enum Mode {

		/**
		 * hotreload watches the config file, which never changes: what the same load is
		 * served when nothing switches.
		 */
		BASELINE("0: no switch (baseline)", false),

		/**
		 * As the baseline, with the steps a reload cannot do without timed in the
		 * benchmark's process beside the load at every flip interval (see
		 * {@link FloorProbe}).
		 */
		FLOOR("F: no switch, floor steps timed", false),

		/**
		 * hotreload watches the config file.
		 */
		HOTRELOAD("A: hotreload", true),

		/**
		 * hotreload listens to a Nacos data-id, published on every flip; only when
		 * NACOS_SERVER_ADDR names a Nacos server.
		 */
		HOTRELOAD_NACOS("A2: hotreload, Nacos", true),

		/**
		 * Stock Spring Cloud: the file imported through spring.config.import, applied
		 * with POST /actuator/refresh.
		 */
		SPRING_CLOUD_REFRESH("B: Spring Cloud refresh", true),

		/**
		 * As B with HikariDataSource made refreshable.
		 */
		SPRING_CLOUD_REFRESHABLE_POOL("C: refresh, refreshable pool", true);

		final String label;

		/**
		 * Whether the mode flips the config.
		 */
		final boolean flips;

		Mode(String label, boolean flips) {
			this.label = label;
			this.flips = flips;
		}

	}

	record Settings(Duration duration, int clients, Duration flipInterval) {

	}

	record Sample(long startNanos, long endNanos, int status, String database, String redis, boolean write) {

		long latencyMicros() {
			return (this.endNanos - this.startNanos) / 1000;
		}

	}

	record Flip(long nanos, String database, int redisPort) {

	}

	record Result(Mode mode, long sent, long failed, List<Long> reloadLatenciesMillis, int flips, int switchedFlips,
			double steadyP50, double steadyP99, double flipP50, double flipP99, long stale, long pgBefore, long pgAfter,
			long redisBefore, long redisAfter, long threadsBefore, long threadsAfter, long heapBeforeMb,
			long heapAfterMb, List<String> failures, Map<String, List<Long>> phases, Usage usage, AfterFlip afterFlip,
			Floor floor, List<NewPool> newPools) {

	}

	/**
	 * A new pool of an applied reload, as the reload's history entry describes it
	 * ({@code new pool dataSource-g3 (...), ready with 5 connection(s) after 142 ms}).
	 *
	 * @param connections the connections it held when its start ended: those the live
	 * pool had in use or waited for (at least one, at most its maximum size, fewer when
	 * half the validation timeout ran out)
	 * @param readyMillis how long its start took, from before its first connection to the
	 * end of the fill
	 * @param validateMillis the reload's validate phase
	 */
	record NewPool(int connections, long readyMillis, long validateMillis) {

		/**
		 * What HikariCP's own pace makes a fill to this many connections take at the
		 * least: the first connection comes with the pool's start and the second at once,
		 * each one after that 30 ms after the one before.
		 */
		long hikariPaceMillis() {
			return Math.max(0, this.connections - 2) * 30L;
		}

	}

	/**
	 * The floor steps timed in mode {@link Mode#FLOOR}, in milliseconds; empty lists in
	 * the other modes.
	 *
	 * @param connect one new PostgreSQL connection
	 * @param parallel 10 new connections opened 4 at a time
	 * @param hikari a new HikariCP pool of 10 made to hold 10 connections
	 * @param nacos a Nacos publish to its delivery to a listener (only with a Nacos
	 * server)
	 */
	record Floor(List<Long> connect, List<Long> parallel, List<Long> hikari, List<Long> nacos) {

		static final Floor NONE = new Floor(List.of(), List.of(), List.of(), List.of());

	}

	/**
	 * Request latency p99 by time since the last flip, in slices of
	 * {@link #SLICE_MILLIS}, for the database transactions and for the other requests
	 * apart, with the steady p99 of each kind: which part of the second after a flip is
	 * slower, and for which requests.
	 *
	 * @param transactions p99 in microseconds per slice, NaN where a slice has no sample
	 * @param others the same for requests that are not transactions
	 * @param steadyTransactions steady p99 of transactions in microseconds
	 * @param steadyOthers steady p99 of the other requests in microseconds
	 */
	record AfterFlip(double[] transactions, double[] others, double steadyTransactions, double steadyOthers) {

	}

	static final int SLICE_MILLIS = 200;

	/**
	 * Whether a flip moves Redis too ({@code -Dbenchmark.switch-redis}, true by default);
	 * false flips the database alone.
	 */
	static final boolean SWITCH_REDIS = Boolean.parseBoolean(System.getProperty("benchmark.switch-redis", "true"));

	/**
	 * What the demo process spent and kept over a mode's measured window.
	 *
	 * @param cpuMillis CPU time of the demo process, NaN when it could not be read
	 * @param reloads reloads applied: hotreload's APPLIED log lines, or refreshes posted
	 * @param newThreads threads alive after the run and not before, grouped by name
	 * @param goneThreads threads alive before the run and not after, grouped by name
	 */
	record Usage(double cpuMillis, long reloads, Map<String, Integer> newThreads, Map<String, Integer> goneThreads) {

	}

	private final Path directory;

	private final int otherRedisPort;

	private final Settings settings;

	FlipBenchmark(Path directory, int otherRedisPort, Settings settings) {
		this.directory = directory;
		this.otherRedisPort = otherRedisPort;
		this.settings = settings;
	}

	Result run(Mode mode) throws Exception {
		Path workdir = Files.createDirectories(this.directory.resolve(mode.name().toLowerCase(Locale.ROOT)));
		Path config = workdir.resolve("demo.yaml");
		writeConfig(config, DATABASE_A, 6379);
		List<String> args = new ArrayList<>(List.of("--spring.profiles.active=redis",
				"--management.endpoints.web.exposure.include=*", "--spring.datasource.hikari.maximum-pool-size=10",
				// keeps every reload of a long run for newPools()
				"--hotreload.history.size=1000"));
		String extra = System.getProperty("benchmark.demo-args", "");
		if (!extra.isBlank()) {
			args.addAll(List.of(extra.trim().split("\\s+")));
		}
		ConfigService nacos = null;
		switch (mode) {
			case BASELINE, FLOOR, HOTRELOAD -> args.add("--hotreload.file.locations=" + config);
			case HOTRELOAD_NACOS -> {
				String server = System.getenv("NACOS_SERVER_ADDR");
				nacos = NacosFactory.createConfigService(server);
				publish(nacos, DATABASE_A, 6379);
				args.addAll(List.of("--hotreload.nacos.server-addr=" + server,
						"--hotreload.nacos.configs[0].data-id=" + NACOS_DATA_ID));
			}
			case SPRING_CLOUD_REFRESH ->
				args.addAll(List.of("--hotreload.enabled=false", "--spring.config.import=optional:file:" + config));
			case SPRING_CLOUD_REFRESHABLE_POOL ->
				args.addAll(List.of("--hotreload.enabled=false", "--spring.config.import=optional:file:" + config,
						"--spring.cloud.refresh.extra-refreshable=com.zaxxer.hikari.HikariDataSource",
						"--spring.cloud.refresh.never-refreshable="));
		}
		ConfigService publisher = nacos;
		AutoCloseable stopNacos = () -> {
			if (publisher != null) {
				publisher.shutDown();
			}
		};
		try (stopNacos;
				DemoProcess demo = new DemoProcess(workdir, args.toArray(String[]::new)).start();
				FloorProbe floor = (mode == Mode.FLOOR) ? new FloorProbe(System.getenv("NACOS_SERVER_ADDR")) : null) {
			Http http = new Http(demo.baseUrl());
			warmUp(http);
			List<Sample> samples = Collections.synchronizedList(new ArrayList<>(1 << 16));
			List<Flip> flips = new CopyOnWriteArrayList<>();
			ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
			AtomicBoolean running = new AtomicBoolean(true);
			ExecutorService clients = Executors.newFixedThreadPool(this.settings.clients());
			HttpClient client = HttpClient.newBuilder()
				.connectTimeout(Duration.ofSeconds(5))
				.executor(Executors.newFixedThreadPool(4))
				.build();
			AtomicLong sequence = new AtomicLong();
			AtomicBoolean measuring = new AtomicBoolean();
			for (int i = 0; i < this.settings.clients(); i++) {
				clients.execute(() -> {
					while (running.get()) {
						boolean write = sequence.incrementAndGet() % 4 == 0;
						Sample sample = request(client, demo.baseUrl(), write, failures);
						if (measuring.get()) {
							samples.add(sample);
						}
					}
				});
			}
			// the same load, not measured, until the JIT has compiled what it serves and
			// the web server has the threads it needs for it
			Thread.sleep(WARM_UP.toMillis());
			long pgBefore = postgresConnections();
			long redisBefore = redisClients(6379) + redisClients(this.otherRedisPort);
			// after the first GC, whose jcmd starts the JVM's Attach Listener thread
			gc(demo);
			List<String> threadNamesBefore = threadNames(http);
			long threadsBefore = threadNamesBefore.size();
			long heapBefore = metric(http, "jvm.memory.used", "area:heap") / (1024 * 1024);
			failures.clear();
			// the log of an earlier round of this mode, in the same directory, is not
			// this one's
			long logLinesBefore = lineCount(demo.log());
			long lastReloadBefore = lastReload(http);
			double cpuStart = cpuMillis(http, demo);
			long start = System.nanoTime();
			measuring.set(true);
			long end = start + this.settings.duration().toNanos();
			long interval = this.settings.flipInterval().toNanos();
			boolean onA = true;
			long refreshes = 0;
			// flips on a fixed schedule, each followed by a whole interval before the end
			for (long at = start + interval; (mode.flips || floor != null) && at + interval <= end; at += interval) {
				Thread.sleep(Math.max(0, TimeUnit.NANOSECONDS.toMillis(at - System.nanoTime())));
				if (floor != null) {
					floor.measure();
					continue;
				}
				onA = !onA;
				String database = onA ? DATABASE_A : DATABASE_B;
				int redisPort = (onA || !SWITCH_REDIS) ? 6379 : this.otherRedisPort;
				long now = System.nanoTime();
				if (publisher != null) {
					publish(publisher, database, redisPort);
				}
				else {
					writeConfig(config, database, redisPort);
				}
				flips.add(new Flip(now, database, redisPort));
				if (mode == Mode.SPRING_CLOUD_REFRESH || mode == Mode.SPRING_CLOUD_REFRESHABLE_POOL) {
					if (http.send("POST", "/actuator/refresh", "{}").statusCode() == 200) {
						refreshes++;
					}
				}
			}
			Thread.sleep(Math.max(0, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime())));
			double cpu = cpuMillis(http, demo) - cpuStart;
			measuring.set(false);
			running.set(false);
			clients.shutdown();
			clients.awaitTermination(60, TimeUnit.SECONDS);
			// let retired pools drain and close before counting what is left
			Thread.sleep(3000);
			gc(demo);
			long heapAfter = metric(http, "jvm.memory.used", "area:heap") / (1024 * 1024);
			List<String> threadNamesAfter = threadNames(http);
			long threadsAfter = threadNamesAfter.size();
			long pgAfter = postgresConnections();
			long redisAfter = redisClients(6379) + redisClients(this.otherRedisPort);
			Files.writeString(Path.of("target", "benchmark-" + mode.name().toLowerCase(Locale.ROOT) + ".svg"),
					chart(mode, new ArrayList<>(samples), flips));
			Map<String, List<Long>> phases = phases(demo.log(), logLinesBefore);
			List<NewPool> newPools = newPools(http, lastReloadBefore);
			long reloads = (mode == Mode.SPRING_CLOUD_REFRESH || mode == Mode.SPRING_CLOUD_REFRESHABLE_POOL) ? refreshes
					: phases.values().stream().mapToInt(List::size).max().orElse(0);
			Usage usage = new Usage(cpu, reloads, threadGroups(without(threadNamesAfter, threadNamesBefore)),
					threadGroups(without(threadNamesBefore, threadNamesAfter)));
			return summarize(mode, new ArrayList<>(samples), flips, new ArrayList<>(failures), pgBefore, pgAfter,
					redisBefore, redisAfter, threadsBefore, threadsAfter, heapBefore, heapAfter, phases, usage,
					(floor != null) ? floor.floor() : Floor.NONE, newPools);
		}
	}

	private Result summarize(Mode mode, List<Sample> samples, List<Flip> flips, List<String> failures, long pgBefore,
			long pgAfter, long redisBefore, long redisAfter, long threadsBefore, long threadsAfter, long heapBefore,
			long heapAfter, Map<String, List<Long>> phases, Usage usage, Floor floor, List<NewPool> newPools) {
		long oneSecond = TimeUnit.SECONDS.toNanos(1);
		samples.sort((a, b) -> Long.compare(a.startNanos(), b.startNanos()));
		long failed = samples.stream().filter((sample) -> sample.status() != 200).count();
		List<Long> reloadLatencies = new ArrayList<>();
		int switched = 0;
		int switches = 0;
		for (int i = 0; i < flips.size(); i++) {
			Flip flip = flips.get(i);
			long until = (i + 1 < flips.size()) ? flips.get(i + 1).nanos() : Long.MAX_VALUE;
			// a flip to the database the service already serves is not a switch
			String before = null;
			for (Sample sample : samples) {
				if (sample.endNanos() <= flip.nanos() && sample.status() == 200 && !sample.write()) {
					before = sample.database();
				}
			}
			if (flip.database().equals(before)) {
				continue;
			}
			switches++;
			for (Sample sample : samples) {
				if (sample.startNanos() >= flip.nanos() && sample.startNanos() < until && sample.status() == 200
						&& flip.database().equals(sample.database()) && !sample.write()) {
					reloadLatencies.add(TimeUnit.NANOSECONDS.toMillis(sample.endNanos() - flip.nanos()));
					switched++;
					break;
				}
			}
		}
		List<Long> steady = new ArrayList<>();
		List<Long> afterFlip = new ArrayList<>();
		int slices = (int) (1000 / SLICE_MILLIS);
		List<List<Long>> sliceTransactions = new ArrayList<>();
		List<List<Long>> sliceOthers = new ArrayList<>();
		for (int i = 0; i < slices; i++) {
			sliceTransactions.add(new ArrayList<>());
			sliceOthers.add(new ArrayList<>());
		}
		List<Long> steadyTransactions = new ArrayList<>();
		List<Long> steadyOthers = new ArrayList<>();
		long stale = 0;
		for (Sample sample : samples) {
			Flip current = null;
			for (Flip flip : flips) {
				if (flip.nanos() <= sample.startNanos()) {
					current = flip;
				}
			}
			boolean nearFlip = current != null && sample.startNanos() - current.nanos() < oneSecond;
			((nearFlip) ? afterFlip : steady).add(sample.latencyMicros());
			if (nearFlip) {
				int slice = (int) (TimeUnit.NANOSECONDS.toMillis(sample.startNanos() - current.nanos()) / SLICE_MILLIS);
				(sample.write() ? sliceTransactions : sliceOthers).get(slice).add(sample.latencyMicros());
			}
			else {
				(sample.write() ? steadyTransactions : steadyOthers).add(sample.latencyMicros());
			}
			boolean staleRedis = current != null && !sample.write()
					&& !("127.0.0.1:" + current.redisPort()).equals(sample.redis());
			if (current != null && !nearFlip && sample.status() == 200
					&& (!current.database().equals(sample.database()) || staleRedis)) {
				stale++;
			}
		}
		return new Result(mode, samples.size(), failed, reloadLatencies, switches, switched, percentile(steady, 50),
				percentile(steady, 99), percentile(afterFlip, 50), percentile(afterFlip, 99), stale, pgBefore, pgAfter,
				redisBefore, redisAfter, threadsBefore, threadsAfter, heapBefore, heapAfter,
				failures.stream().distinct().limit(5).toList(), phases, usage,
				new AfterFlip(sliceTransactions.stream().mapToDouble((values) -> percentile(values, 99)).toArray(),
						sliceOthers.stream().mapToDouble((values) -> percentile(values, 99)).toArray(),
						percentile(steadyTransactions, 99), percentile(steadyOthers, 99)),
				floor, newPools);
	}

	/**
	 * The id of the last reload in the demo's history, 0 without one or without hotreload
	 * (its history is kept on disk, and an earlier round of a mode ran in the same
	 * directory).
	 */
	private static long lastReload(Http http) throws Exception {
		long last = 0;
		for (JsonNode entry : history(http)) {
			last = Math.max(last, entry.path("id").asLong());
		}
		return last;
	}

	private static JsonNode history(Http http) throws Exception {
		HttpResponse<String> response = http.send("GET", "/actuator/hotreload/history", null);
		return (response.statusCode() != 200) ? json.createArrayNode() : json.readTree(response.body()).path("history");
	}

	/**
	 * The new DataSource pools of the reloads applied after {@code after}, from the
	 * demo's history.
	 */
	private static List<NewPool> newPools(Http http, long after) throws Exception {
		Pattern ready = Pattern.compile("^new pool .*, ready with (\\d+) connection\\(s\\) after (\\d+) ms$");
		List<NewPool> pools = new ArrayList<>();
		for (JsonNode entry : history(http)) {
			if (entry.path("id").asLong() <= after || !"APPLIED".equals(entry.path("outcome").asString(null))) {
				continue;
			}
			for (JsonNode resource : entry.path("resources")) {
				Matcher matcher = ready.matcher(resource.path("action").asString(""));
				if ("jdbc".equals(resource.path("type").asString(null)) && matcher.matches()) {
					pools.add(new NewPool(Integer.parseInt(matcher.group(1)), Long.parseLong(matcher.group(2)),
							entry.path("phases").path("validate").asLong()));
				}
			}
		}
		return pools;
	}

	private static long lineCount(Path log) throws IOException {
		if (!Files.exists(log)) {
			return 0;
		}
		try (Stream<String> lines = Files.lines(log)) {
			return lines.count();
		}
	}

	/**
	 * The phase durations of every applied reload, from the one INFO line each reload
	 * logs: {@code ... APPLIED ... {read=1, parse=0, guard=0, validate=120, swap=3}}.
	 * @param log the demo's log
	 * @param skip lines of the log written before the measured run
	 */
	static Map<String, List<Long>> phases(Path log, long skip) throws IOException {
		Map<String, List<Long>> phases = new LinkedHashMap<>();
		if (!Files.exists(log)) {
			return phases;
		}
		Pattern line = Pattern.compile("Reload #\\d+ APPLIED .* ms \\{([^}]*)\\}");
		Pattern phase = Pattern.compile("(\\w+)=(\\d+)");
		for (String text : Files.readAllLines(log).stream().skip(skip).toList()) {
			Matcher reload = line.matcher(text);
			if (reload.find()) {
				Matcher each = phase.matcher(reload.group(1));
				while (each.find()) {
					phases.computeIfAbsent(each.group(1), (name) -> new ArrayList<>())
						.add(Long.parseLong(each.group(2)));
				}
			}
		}
		return phases;
	}

	private static Sample request(HttpClient client, String baseUrl, boolean write,
			ConcurrentLinkedQueue<String> failures) {
		long start = System.nanoTime();
		try {
			HttpRequest request = write
					? HttpRequest.newBuilder(URI.create(baseUrl + "/api/orders"))
						.timeout(Duration.ofSeconds(30))
						.POST(HttpRequest.BodyPublishers.noBody())
						.build()
					: HttpRequest.newBuilder(URI.create(baseUrl + "/api/whoami"))
						.timeout(Duration.ofSeconds(30))
						.build();
			HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
			long end = System.nanoTime();
			if (response.statusCode() != 200) {
				failures.add(response.statusCode() + " " + abbreviate(response.body()));
				return new Sample(start, end, response.statusCode(), null, null, write);
			}
			JsonNode body = json.readTree(response.body());
			return new Sample(start, end, 200, body.path("database").asString(null), body.path("redis").asString(null),
					write);
		}
		catch (IOException ex) {
			failures.add(ex.getClass().getSimpleName() + ": " + ex.getMessage());
			return new Sample(start, System.nanoTime(), -1, null, null, write);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return new Sample(start, System.nanoTime(), -1, null, null, write);
		}
	}

	private static String abbreviate(String text) {
		return (text.length() > 200) ? text.substring(0, 200) : text;
	}

	private static void warmUp(Http http) throws Exception {
		for (int i = 0; i < 50; i++) {
			http.get("/api/whoami");
			http.post("/api/orders", null);
		}
	}

	static void writeConfig(Path config, String database, int redisPort) throws IOException {
		String content = content(database, redisPort);
		Path temp = config.resolveSibling("." + config.getFileName() + ".tmp");
		Files.writeString(temp, content, StandardCharsets.UTF_8);
		Files.move(temp, config, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
	}

	private static String content(String database, int redisPort) {
		return "spring:\n  datasource:\n    url: jdbc:postgresql://127.0.0.1:5432/" + database + "\n"
				+ "    username: postgres\n    password: postgres\n  data:\n    redis:\n      host: 127.0.0.1\n"
				+ "      port: " + redisPort + "\ndemo:\n  greeting: hello\n";
	}

	private static void publish(ConfigService nacos, String database, int redisPort) throws NacosException {
		if (!nacos.publishConfig(NACOS_DATA_ID, NACOS_GROUP, content(database, redisPort), "yaml")) {
			throw new IllegalStateException("Nacos refused to publish " + NACOS_DATA_ID);
		}
	}

	static long postgresConnections() throws SQLException {
		try (Connection connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test", "postgres",
				"postgres"); Statement statement = connection.createStatement()) {
			ResultSet rows = statement.executeQuery("select count(*) from pg_stat_activity where datname in ('"
					+ DATABASE_A + "', '" + DATABASE_B + "') and pid <> pg_backend_pid()");
			rows.next();
			return rows.getLong(1);
		}
	}

	static long redisClients(int port) {
		String list = RedisServer.command(port, "CLIENT LIST");
		return list.lines().filter((line) -> line.contains("addr=")).count() - 1;
	}

	private static long metric(Http http, String name, String tag) throws Exception {
		JsonNode metric = http.get("/actuator/metrics/" + name + ((tag != null) ? "?tag=" + tag : ""));
		return Math.round(metric.at("/measurements/0/value").asDouble());
	}

	/**
	 * CPU time of the demo process in ms: Micrometer's {@code process.cpu.time}, or utime
	 * + stime from {@code /proc/<pid>/stat} when the meter is absent; NaN when neither
	 * can be read.
	 */
	private static double cpuMillis(Http http, DemoProcess demo) throws Exception {
		HttpResponse<String> response = http.send("GET", "/actuator/metrics/process.cpu.time", null);
		if (response.statusCode() == 200) {
			JsonNode metric = json.readTree(response.body());
			double value = metric.at("/measurements/0/value").asDouble();
			return switch (metric.path("baseUnit").asString("ns")) {
				case "ns", "nanoseconds" -> value / 1_000_000;
				case "us", "microseconds" -> value / 1_000;
				case "ms", "milliseconds" -> value;
				case "s", "seconds" -> value * 1_000;
				default -> Double.NaN;
			};
		}
		Path stat = Path.of("/proc", String.valueOf(demo.pid()), "stat");
		if (!Files.isReadable(stat)) {
			return Double.NaN;
		}
		// the fields after the command name, which is in parentheses and may hold spaces
		String text = Files.readString(stat);
		String[] fields = text.substring(text.lastIndexOf(')') + 2).split(" ");
		long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
		return ticks * 1000.0 / clockTicksPerSecond();
	}

	private static long clockTicksPerSecond() throws Exception {
		Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
		String out = new String(getconf.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
		getconf.waitFor(10, TimeUnit.SECONDS);
		return out.matches("\\d+") ? Long.parseLong(out) : 100;
	}

	/**
	 * The names of the demo's live threads, from {@code /actuator/threaddump}.
	 */
	private static List<String> threadNames(Http http) throws Exception {
		List<String> names = new ArrayList<>();
		for (JsonNode thread : http.get("/actuator/threaddump").path("threads")) {
			names.add(thread.path("threadName").asString(""));
		}
		return names;
	}

	/**
	 * The names in {@code names} left after removing one occurrence of each name in
	 * {@code removed}.
	 */
	static List<String> without(List<String> names, List<String> removed) {
		List<String> left = new ArrayList<>(names);
		removed.forEach(left::remove);
		return left;
	}

	/**
	 * Thread names grouped with their digits replaced by N, most frequent first:
	 * {@code lettuce-nioEventLoop-4-1} and {@code lettuce-nioEventLoop-4-2} are
	 * {@code lettuce-nioEventLoop-N-N} twice.
	 */
	static Map<String, Integer> threadGroups(List<String> names) {
		Map<String, Integer> counts = new TreeMap<>();
		names.forEach((name) -> counts.merge(name.replaceAll("\\d+", "N"), 1, Integer::sum));
		Map<String, Integer> groups = new LinkedHashMap<>();
		counts.entrySet()
			.stream()
			.sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
			.forEach((entry) -> groups.put(entry.getKey(), entry.getValue()));
		return groups;
	}

	private static void gc(DemoProcess demo) throws Exception {
		Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
				String.valueOf(demo.pid()), "GC.run")
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.DISCARD)
			.start();
		jcmd.waitFor(30, TimeUnit.SECONDS);
		Thread.sleep(200);
	}

	/**
	 * An SVG chart of request latency (p50 and max per 250 ms) over time, with the flips
	 * marked and failed requests as red ticks.
	 */
	static String chart(Mode mode, List<Sample> samples, List<Flip> flips) {
		if (samples.isEmpty()) {
			return "<svg xmlns=\"http://www.w3.org/2000/svg\"/>";
		}
		long start = samples.stream().mapToLong(Sample::startNanos).min().getAsLong();
		long bucket = TimeUnit.MILLISECONDS.toNanos(250);
		int buckets = (int) ((samples.stream().mapToLong(Sample::startNanos).max().getAsLong() - start) / bucket) + 1;
		List<List<Long>> latencies = new ArrayList<>();
		for (int i = 0; i < buckets; i++) {
			latencies.add(new ArrayList<>());
		}
		List<Integer> failedBuckets = new ArrayList<>();
		for (Sample sample : samples) {
			int index = (int) ((sample.startNanos() - start) / bucket);
			latencies.get(index).add(sample.latencyMicros());
			if (sample.status() != 200) {
				failedBuckets.add(index);
			}
		}
		int width = 900;
		int height = 300;
		double maxMs = 500;
		double x = (double) width / buckets;
		StringBuilder svg = new StringBuilder();
		svg.append(String.format(Locale.ROOT,
				"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"12\">%n",
				width + 60, height + 40));
		svg.append(String.format(Locale.ROOT, "<text x=\"60\" y=\"14\">%s: request latency (ms, 0 to %.0f), p50 blue,"
				+ " max grey; flips dashed; failed requests red</text>%n", mode.label, maxMs));
		svg.append(String.format(Locale.ROOT, "<g transform=\"translate(50,20)\"><rect width=\"%d\" height=\"%d\""
				+ " fill=\"none\" stroke=\"#ccc\"/>%n", width, height));
		for (Flip flip : flips) {
			double fx = (flip.nanos() - start) / (double) bucket * x;
			svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"0\" x2=\"%.1f\" y2=\"%d\" stroke=\"#888\""
					+ " stroke-dasharray=\"4,3\"/>%n", fx, fx, height));
		}
		svg.append(polyline(latencies, 100, x, height, maxMs, "#bbb"));
		svg.append(polyline(latencies, 50, x, height, maxMs, "#1f5fbf"));
		for (int index : failedBuckets) {
			svg.append(
					String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"red\"/>%n",
							index * x, height - 12, index * x, height));
		}
		svg.append("</g></svg>\n");
		return svg.toString();
	}

	private static String polyline(List<List<Long>> latencies, int percentile, double x, int height, double maxMs,
			String color) {
		StringBuilder points = new StringBuilder();
		for (int i = 0; i < latencies.size(); i++) {
			if (!latencies.get(i).isEmpty()) {
				double ms = Math.min(maxMs, percentile(latencies.get(i), percentile) / 1000);
				points.append(String.format(Locale.ROOT, "%.1f,%.1f ", i * x, height - ms / maxMs * height));
			}
		}
		return "<polyline fill=\"none\" stroke=\"" + color + "\" points=\"" + points + "\"/>\n";
	}

	static double percentile(List<Long> values, int percentile) {
		if (values.isEmpty()) {
			return Double.NaN;
		}
		List<Long> sorted = new ArrayList<>(values);
		Collections.sort(sorted);
		int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
		return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
	}

	static String table(List<Result> results) {
		Result baseline = results.stream().filter((r) -> r.mode() == Mode.BASELINE).findFirst().orElse(null);
		StringBuilder table = new StringBuilder();
		table
			.append("| mode | requests | requests vs no switch | failed | failure rate | switched / flips to another database"
					+ " | reload latency p50 / p95 / max (ms) | latency p50 / p99 steady (ms)"
					+ " | latency p50 / p99 within 1 s of a flip (ms) | p99 within 1 s of a flip / p99 steady"
					+ " | stale responses > 1 s after a flip (database or Redis) | PostgreSQL connections before / after"
					+ " | Redis clients before / after | JVM threads before / after | heap after GC before / after (MB)"
					+ " | CPU ms per 1,000 requests | CPU per reload (ms) / reloads applied |\n");
		table.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
		for (Result r : results) {
			String ratio = (baseline != null && baseline.sent() > 0)
					? String.format(Locale.ROOT, "%.1f%%", 100.0 * r.sent() / baseline.sent()) : "-";
			String flipRatio = (!r.mode().flips || Double.isNaN(r.flipP99())) ? "-"
					: String.format(Locale.ROOT, "%.2f", r.flipP99() / r.steadyP99());
			table.append(String.format(Locale.ROOT,
					"| %s | %d | %s | %d | %.3f%% | %s | %s | %.1f / %.1f | %s | %s | %s | %d / %d | %d / %d | %d / %d | %d / %d | %s | %s |%n",
					r.mode().label, r.sent(), ratio, r.failed(), (r.sent() > 0) ? 100.0 * r.failed() / r.sent() : 0.0,
					!r.mode().flips ? "- (no flip)" : r.switchedFlips() + " / " + r.flips(),
					!r.mode().flips ? "-" : reloadLatency(r.reloadLatenciesMillis()), r.steadyP50() / 1000,
					r.steadyP99() / 1000,
					Double.isNaN(r.flipP50()) ? "-"
							: String.format(Locale.ROOT, "%.1f / %.1f", r.flipP50() / 1000, r.flipP99() / 1000),
					flipRatio, !r.mode().flips ? "-" : String.valueOf(r.stale()), r.pgBefore(), r.pgAfter(),
					r.redisBefore(), r.redisAfter(), r.threadsBefore(), r.threadsAfter(), r.heapBeforeMb(),
					r.heapAfterMb(), cpuPerThousandRequests(r), cpuPerReload(r, baseline)));
		}
		return table.toString();
	}

	private static String cpuPerThousandRequests(Result r) {
		if (Double.isNaN(r.usage().cpuMillis()) || r.sent() == 0) {
			return "-";
		}
		return String.format(Locale.ROOT, "%.1f", 1000 * r.usage().cpuMillis() / r.sent());
	}

	/**
	 * The CPU a mode spent above the no-switch baseline for the requests it served,
	 * divided among the reloads it applied; "-" without a baseline in the same run.
	 */
	private static String cpuPerReload(Result r, Result baseline) {
		if (!r.mode().flips) {
			return "-";
		}
		String reloads = " / " + r.usage().reloads();
		if (baseline == null || Double.isNaN(r.usage().cpuMillis()) || Double.isNaN(baseline.usage().cpuMillis())
				|| r.sent() == 0 || baseline.sent() == 0 || r.usage().reloads() == 0) {
			return "-" + reloads;
		}
		double extraPerRequest = r.usage().cpuMillis() / r.sent() - baseline.usage().cpuMillis() / baseline.sent();
		return String.format(Locale.ROOT, "%.0f", extraPerRequest * r.sent() / r.usage().reloads()) + reloads;
	}

	/**
	 * One line per mode naming the threads alive after the run and not before (and the
	 * other way round), so that a change in the thread count can be told apart.
	 */
	static String threadLines(List<Result> results) {
		StringBuilder lines = new StringBuilder();
		for (Result r : results) {
			int added = r.usage().newThreads().values().stream().mapToInt(Integer::intValue).sum();
			int gone = r.usage().goneThreads().values().stream().mapToInt(Integer::intValue).sum();
			lines.append(String.format(Locale.ROOT, "- %s: %+d; new %s; gone %s%n", r.mode().label, added - gone,
					threadList(r.usage().newThreads()), threadList(r.usage().goneThreads())));
		}
		return lines.toString();
	}

	private static String threadList(Map<String, Integer> groups) {
		if (groups.isEmpty()) {
			return "none";
		}
		List<String> items = new ArrayList<>();
		groups.forEach((name, count) -> items.add("`" + name + "`" + ((count > 1) ? " x" + count : "")));
		return String.join(", ", items);
	}

	/**
	 * Phase durations of hotreload's reloads (from its log), p50 / p95 / max per phase.
	 */
	static String phaseTable(List<Result> results) {
		StringBuilder table = new StringBuilder();
		for (Result r : results) {
			if (r.phases().isEmpty()) {
				continue;
			}
			if (table.isEmpty()) {
				table.append("| mode | reloads | phase p50 / p95 / max (ms) |\n|---|---|---|\n");
			}
			List<String> cells = new ArrayList<>();
			r.phases()
				.forEach((name, values) -> cells.add(name + " " + String.format(Locale.ROOT, "%.0f / %.0f / %d",
						percentile(values, 50), percentile(values, 95), Collections.max(values))));
			int reloads = r.phases().values().stream().mapToInt(List::size).max().orElse(0);
			table.append("| " + r.mode().label + " | " + reloads + " | " + String.join("; ", cells) + " |\n");
		}
		return table.toString();
	}

	/**
	 * The new pools of hotreload's reloads by the connections they held when they were
	 * ready, against what HikariCP's pace alone makes such a fill take.
	 */
	static String newPoolTable(List<Result> results) {
		StringBuilder table = new StringBuilder();
		for (Result r : results) {
			Map<Integer, List<NewPool>> byConnections = new TreeMap<>();
			r.newPools()
				.forEach((pool) -> byConnections.computeIfAbsent(pool.connections(), (n) -> new ArrayList<>())
					.add(pool));
			if (byConnections.isEmpty()) {
				continue;
			}
			if (table.isEmpty()) {
				table.append("| mode | connections when ready | reloads | HikariCP's pace for them (ms) |"
						+ " new pool ready after p50 / max (ms) | of it beyond HikariCP's pace, p50 (ms) |"
						+ " validate p50 (ms) |\n|---|---|---|---|---|---|---|\n");
			}
			byConnections.forEach((connections, pools) -> {
				List<Long> ready = pools.stream().map(NewPool::readyMillis).toList();
				List<Long> beyond = pools.stream().map((pool) -> pool.readyMillis() - pool.hikariPaceMillis()).toList();
				List<Long> validate = pools.stream().map(NewPool::validateMillis).toList();
				table.append(
						String.format(Locale.ROOT, "| %s | %d | %d | %d | %.0f / %d | %.0f | %.0f |%n", r.mode().label,
								connections, pools.size(), pools.get(0).hikariPaceMillis(), percentile(ready, 50),
								Collections.max(ready), percentile(beyond, 50), percentile(validate, 50)));
			});
		}
		return table.toString();
	}

	/**
	 * Request latency p99 by time since a flip (see {@link AfterFlip}) as a ratio of the
	 * steady p99 of the same kind of request, for the modes that flip.
	 */
	static String afterFlipTable(List<Result> results) {
		StringBuilder table = new StringBuilder();
		for (Result r : results) {
			if (!r.mode().flips) {
				continue;
			}
			AfterFlip after = r.afterFlip();
			if (table.isEmpty()) {
				table.append("| mode | requests | steady p99 (ms)");
				for (int i = 0; i < after.transactions().length; i++) {
					table.append(" | ")
						.append(i * SLICE_MILLIS)
						.append("-")
						.append((i + 1) * SLICE_MILLIS)
						.append(" ms");
				}
				table.append(" |\n|---|---|---").append("|---".repeat(after.transactions().length)).append("|\n");
			}
			appendSlices(table, r.mode().label, "transactions", after.steadyTransactions(), after.transactions());
			appendSlices(table, r.mode().label, "other requests", after.steadyOthers(), after.others());
		}
		return table.toString();
	}

	private static void appendSlices(StringBuilder table, String mode, String kind, double steady, double[] slices) {
		table.append(String.format(Locale.ROOT, "| %s | %s | %.1f", mode, kind, steady / 1000));
		for (double slice : slices) {
			table.append(Double.isNaN(slice) || Double.isNaN(steady) ? " | -"
					: String.format(Locale.ROOT, " | %.2fx", slice / steady));
		}
		table.append(" |\n");
	}

	/**
	 * The floor steps of mode {@link Mode#FLOOR} (see {@link FloorProbe}), p50 / p95 /
	 * max, beside the phases of hotreload's reloads they bound; empty without that mode.
	 */
	static String floorTable(List<Result> results) {
		StringBuilder table = new StringBuilder();
		for (Result r : results) {
			Floor floor = r.floor();
			if (floor.connect().isEmpty()) {
				continue;
			}
			if (table.isEmpty()) {
				table.append("| step (timed in the load generator's process, beside the load of mode F) | times |"
						+ " p50 / p95 / max (ms) |\n|---|---|---|\n");
			}
			floorRow(table, "one new PostgreSQL connection", floor.connect());
			floorRow(table, "10 new PostgreSQL connections, 4 at a time", floor.parallel());
			floorRow(table, "a new HikariCP pool of 10 holding 10 connections (borrowed one after another)",
					floor.hikari());
			if (!floor.nacos().isEmpty()) {
				floorRow(table, "a Nacos publish to its delivery to a listener", floor.nacos());
			}
		}
		return table.toString();
	}

	private static void floorRow(StringBuilder table, String step, List<Long> millis) {
		table.append("| ").append(step).append(" | ").append(millis.size()).append(" | ");
		table.append(millis.isEmpty() ? "-" : reloadLatency(millis)).append(" |\n");
	}

	private static String reloadLatency(List<Long> latencies) {
		if (latencies.isEmpty()) {
			return "never switched";
		}
		return String.format(Locale.ROOT, "%.0f / %.0f / %d", percentile(latencies, 50), percentile(latencies, 95),
				Collections.max(latencies));
	}

	static String machine() {
		return Runtime.getRuntime().availableProcessors() + " CPUs, "
				+ ManagementFactory.getOperatingSystemMXBean().getName() + " "
				+ ManagementFactory.getOperatingSystemMXBean().getArch() + ", Java "
				+ System.getProperty("java.version");
	}

}

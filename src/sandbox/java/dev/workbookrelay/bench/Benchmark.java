package dev.workbookrelay.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workbookrelay.sandbox.EmbeddedKafka;
import dev.workbookrelay.sandbox.NangoGraphEmulator;
import dev.workbookrelay.sandbox.RelayProcess;
import dev.workbookrelay.sandbox.SyntheticDrive;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * {@code mvn -Pbench}: the relay against a hand-written {@link Baseline}, both in child JVMs, on synthetic drives
 * served by the emulator, with one in-JVM broker. Per scenario it measures, for each program, from the sync
 * request to its status event on Kafka: wall time, events per second, Graph calls (the emulator's count), CPU
 * seconds and peak RSS of the child (from /proc) and its peak heap (from its {@link dev.workbookrelay.sandbox
 * .ChildReport}), then prints ours / baseline ratios and whether the targets are met.
 *
 * <pre>
 * scenarios (--scenarios a,b,c,d; default all)
 * Scenarios a, c and d emulate no throttling, so the relay's budget is set out of reach there (1,000,000).
 *  a  zero latency, N workbooks x M worksheets                    target: our events/s >= 0.8 x baseline
 *  b  --latency-ms per Graph call, emulator limiter on at budget  target: wall <= 1.2 x calls x latency / concurrency, 0 x 429
 *  c  --large workbooks, child heap capped by --large-heap         target: peak heap < 256 MB, wall(c)/wall(a) ~ large/N
 *  d  a second, incremental sync of the unchanged N-workbook drive target: <= 60 Graph calls, < 2 s
 *  e  --tenants connections x --tenant-workbooks x 2, --tenant-latency-ms a call, all requested at once (ManyTenants)
 *                                        targets: 1 instance <= 1.25 x ideal; 2 instances <= 0.6 x 1 instance
 *  f  one sheet of --sheet-rows x 10 columns with the rows option (SheetRowsScenario): the first snapshot, then
 *     10 rows edited                     target: exactly 10 row.updated events
 * options: --workbooks N (10000) --worksheets M (5) --large N (100000) --latency-ms 20 --concurrency 8
 *          --budget 5000 --budget-period-ms 10000 --heap 512m --large-heap 256m --drives DIR --out DIR
 *          --jfr a,c (JFR profile of our relay in those scenarios) --no-baseline
 *          --repeat 3 (a and b: each program this many times, in alternating order, the median run reported;
 *          without warm-up syncs, after an uncounted warm-up round)
 *          --warm-up-workbooks N (= --workbooks; in a, b and d each child first syncs a drive of this many
 *          workbooks on a second connection, unmeasured, so a warm JVM is measured, as a long-running relay's
 *          syncs are; 0: measure a child's first sync, its JIT cold)
 *          --tenants 200 --tenant-workbooks 20 --tenant-latency-ms 100 (scenario e)
 *          --sheet-rows 100000 --state h2 (scenario f; --state postgresql: each relay's state in a schema of its
 *          own on PostgreSQL at 127.0.0.1:5432, database test)
 * </pre>
 * In b a third program, the "HTTP floor" (the baseline making the same Graph calls but publishing nothing), shows
 * what the emulator and the machine allow at that latency.
 */
public final class Benchmark {

    static final String SECRET = UUID.randomUUID().toString();
    static final String CONNECTION = "bench";
    /** A second connection, on a drive of --warm-up-workbooks, that each child syncs before it is measured. */
    static final String WARM_UP_CONNECTION = "bench-warm-up";
    static final String STATUS_TOPIC = "workbook-relay.sync-status";
    static final List<String> EVENT_TOPICS = List.of("workbook-relay.workbooks", "workbook-relay.worksheets");
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * The relay's request budget where the emulator does not throttle (scenarios a, c, d): never reached (the
     * fastest run makes about 1,300 calls a second), and no larger, as Camel's throttler keeps one permit object
     * per request of the period (1,000,000 of them were 24 MB of the heap).
     */
    static final int UNLIMITED_BUDGET = 100_000;

    /** What one program did in one scenario. */
    record Run(String program, long wallMs, long events, int graphCalls, int throttled, double cpuSeconds,
               long peakHeap, long retainedHeap, long peakRss, int workbooks, int worksheets, String outcome,
               double wbBytes, double wsBytes, double harnessCpuSeconds) {

        double eventsPerSecond() {
            return wallMs == 0 ? 0 : events * 1000.0 / wallMs;
        }
    }

    record Result(String scenario, String description, Run ours, Run baseline, Run floor, String target,
                  Boolean met) {
        Result(String scenario, String description, Run ours, Run baseline, String target, Boolean met) {
            this(scenario, description, ours, baseline, null, target, met);
        }
    }

    /** The median run (by wall time) of each program over {@code --repeat} rounds, and every wall time. */
    record Repeated(Run ours, Run baseline, Run floor, String walls) {
    }

    private final Options o;
    private final EmbeddedKafka kafka;
    private final KafkaProducer<String, byte[]> producer;
    private final KafkaConsumer<String, byte[]> reader;

    private Benchmark(Options o, EmbeddedKafka kafka) {
        this.o = o;
        this.kafka = kafka;
        this.producer = new KafkaProducer<>(Map.of("bootstrap.servers", kafka.bootstrapServers(), "acks", "all"),
                new StringSerializer(), new ByteArraySerializer());
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "50");
        this.reader = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
    }

    public static void main(String[] args) throws Exception {
        // the JDK's HttpServer (the emulator) leaves Nagle on by default: a small response then waits for the
        // client's delayed ACK, about 40 ms a call, which would make every program look the same and slow
        System.setProperty("sun.net.httpserver.nodelay", System.getProperty("sun.net.httpserver.nodelay", "true"));
        Options o = Options.parse(args);
        Files.createDirectories(o.out);
        System.out.printf("workbook-relay benchmark %s: %s%n", LocalDateTime.now().withNano(0), o);
        List<Result> results = new ArrayList<>();
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            kafka.createTopics("workbook-relay.sync-requests", "workbook-relay.workbooks", "workbook-relay.worksheets",
                    STATUS_TOPIC, "workbook-relay.dead-letter", Baseline.REQUESTS_TOPIC);
            Benchmark bench = new Benchmark(o, kafka);
            bench.warmBroker();
            Run a = null;
            for (String scenario : o.scenarios) {
                if (scenario.equals("e") || scenario.equals("f")) {
                    List<Result> own = scenario.equals("e") ? new ManyTenants(o, kafka).run()
                            : new SheetRowsScenario(o, kafka).run();
                    results.addAll(own);
                    System.out.println(table(own));
                    continue;
                }
                Result r = switch (scenario) {
                    case "a" -> bench.zeroLatency();
                    case "b" -> bench.latency();
                    case "c" -> bench.large(a);
                    case "d" -> bench.incremental();
                    default -> throw new IllegalArgumentException("no scenario " + scenario);
                };
                if (scenario.equals("a")) {
                    a = r.ours();
                }
                results.add(r);
                System.out.println(table(List.of(r)));
            }
            bench.producer.close();
            bench.reader.close();
        }
        String report = "# Benchmark results " + LocalDateTime.now().withNano(0) + "\n\n" + o + "\n\n" + table(results);
        Files.writeString(o.out.resolve("results.md"), report, StandardCharsets.UTF_8);
        System.out.println("\n" + report + "\nwritten to " + o.out.resolve("results.md"));
    }

    /**
     * Publishes records shaped like the events (keys, ce_* headers, 300-800 byte values, acks=all, idempotent,
     * batched) before the first measured run. Whichever program ran first would otherwise pay for the broker's JIT
     * compiling its produce path, in the harness's CPU and on the shared cores, and the order would bias the ratio.
     */
    private void warmBroker() throws Exception {
        kafka.createTopics("bench.warm-up");
        Map<String, Object> config = Map.of("bootstrap.servers", kafka.bootstrapServers(), "acks", "all",
                "enable.idempotence", "true", "linger.ms", "5");
        long t = System.nanoTime();
        try (KafkaProducer<String, byte[]> warm = new KafkaProducer<>(config, new StringSerializer(),
                new ByteArraySerializer())) {
            for (int i = 0; i < 120_000; i++) {
                ProducerRecord<String, byte[]> record = new ProducerRecord<>("bench.warm-up", "warm/" + (i % 10_000),
                        new byte[i % 6 == 0 ? 800 : 300]);
                for (String header : List.of("ce_specversion", "ce_id", "ce_source", "ce_type", "ce_subject",
                        "ce_time", "content-type")) {
                    record.headers().add(header, ("value of " + header + " " + i).getBytes(StandardCharsets.UTF_8));
                }
                warm.send(record);
            }
            warm.flush();
        }
        System.out.printf("broker warmed up in %d ms%n", (System.nanoTime() - t) / 1_000_000);
    }

    // ---- scenarios

    private Result zeroLatency() throws Exception {
        Path drive = drive(o.workbooks);
        try (NangoGraphEmulator nango = emulator(drive, false)) {
            Repeated runs = repeated("a", nango, false);
            Run ours = runs.ours();
            Run base = runs.baseline();
            Boolean met = base == null ? null : ours.eventsPerSecond() >= 0.8 * base.eventsPerSecond();
            return new Result("a", String.format("zero latency, %,d x %d", o.workbooks, o.worksheets), ours, base,
                    "events/s >= 0.8 x baseline" + (base == null ? "" : String.format(" (ratio %.2f)",
                            ours.eventsPerSecond() / base.eventsPerSecond())) + runs.walls(), met);
        }
    }

    private Result latency() throws Exception {
        Path drive = drive(o.workbooks);
        try (NangoGraphEmulator nango = emulator(drive, true)) {
            nango.faults().delayEach(Duration.ofMillis(o.latencyMs));
            Repeated runs = repeated("b", nango, true);
            Run ours = runs.ours();
            double idealMs = ours.graphCalls() * (double) o.latencyMs / o.concurrency;
            double budgetMs = (double) Math.max(0, ours.graphCalls() - o.budget) / o.budget * o.budgetPeriodMs;
            boolean met = ours.wallMs() <= 1.2 * idealMs && ours.throttled() == 0;
            String floor = runs.floor() == null ? "" : String.format("; HTTP floor %.2f x ideal",
                    runs.floor().wallMs() / idealMs);
            return new Result("b", String.format("%d ms/call, %,d x %d, concurrency %d, limiter %d/%d ms",
                    o.latencyMs, o.workbooks, o.worksheets, o.concurrency, o.budget, o.budgetPeriodMs), ours,
                    runs.baseline(), runs.floor(),
                    String.format("wall <= 1.2 x ideal %.1f s (= %.2f x ideal%s; budget alone needs >= %.1f s),"
                            + " 429s: %d", idealMs / 1000, ours.wallMs() / idealMs, floor, budgetMs / 1000,
                            ours.throttled()) + runs.walls(), met);
        }
    }

    /**
     * Each program {@code --repeat} times on the same emulator, alternating which goes first in a round, so neither
     * always meets a machine just warmed or just loaded by the other; the median run of each is reported.
     */
    private Repeated repeated(String scenario, NangoGraphEmulator nango, boolean withFloor) throws Exception {
        List<Run> ours = new ArrayList<>();
        List<Run> base = new ArrayList<>();
        List<Run> floor = new ArrayList<>();
        if (!warmsUp(scenario)) {
            // the broker's and the emulator's JIT keep warming over the first runs (the harness's CPU per run
            // halves from the first to the third): a round that is not counted, so the counted ones start even
            // (with warm-up syncs, each child's own warm-up sync does this)
            System.out.println("  warm-up round (not counted):");
            ours(scenario, nango, o.heap, Map.of(), false);
            if (!o.noBaseline) {
                baseline(scenario, nango, o.heap, true);
            }
        }
        for (int round = 0; round < o.repeat; round++) {
            if (round % 2 == 0) {
                ours.add(ours(scenario, nango, o.heap, Map.of(), false));
            }
            if (!o.noBaseline) {
                base.add(baseline(scenario, nango, o.heap, true));
                if (withFloor) {
                    floor.add(baseline(scenario, nango, o.heap, false));
                }
            }
            if (round % 2 == 1) {
                ours.add(ours(scenario, nango, o.heap, Map.of(), false));
            }
        }
        String walls = String.format("; walls s: ours %s%s%s", walls(ours),
                base.isEmpty() ? "" : ", baseline " + walls(base), floor.isEmpty() ? "" : ", floor " + walls(floor));
        return new Repeated(median(ours), median(base), median(floor), walls);
    }

    private static Run median(List<Run> runs) {
        if (runs.isEmpty()) {
            return null;
        }
        List<Run> sorted = new ArrayList<>(runs);
        sorted.sort(java.util.Comparator.comparingLong(Run::wallMs));
        return sorted.get((sorted.size() - 1) / 2);
    }

    private static String walls(List<Run> runs) {
        return String.join("/", runs.stream().map(r -> String.format(Locale.ROOT, "%.1f", r.wallMs() / 1000.0))
                .toList());
    }

    private Result large(Run tenK) throws Exception {
        Path drive = drive(o.large);
        try (NangoGraphEmulator nango = emulator(drive, false)) {
            Run ours = ours("c", nango, o.largeHeap, Map.of(), false);
            Run base = o.noBaseline ? null : baseline("c", nango, o.largeHeap, true);
            boolean heapOk = "succeeded".equals(ours.outcome()) && ours.peakHeap() < 256L << 20;
            String linear = "";
            if (tenK != null && tenK.wallMs() > 0) {
                double ratio = (double) ours.wallMs() / tenK.wallMs();
                linear = String.format("; time x%.1f for x%.0f workbooks", ratio, (double) o.large / o.workbooks);
            }
            return new Result("c", String.format("%,d x %d, -Xmx%s", o.large, o.worksheets, o.largeHeap), ours, base,
                    String.format("peak heap < 256 MB (%.0f MB)%s", ours.peakHeap() / 1048576.0, linear), heapOk);
        }
    }

    private Result incremental() throws Exception {
        Path drive = drive(o.workbooks);
        try (NangoGraphEmulator nango = emulator(drive, false)) {
            Run ours = ours("d", nango, o.heap, Map.of(), true);
            boolean met = "succeeded".equals(ours.outcome()) && ours.graphCalls() <= 60 && ours.wallMs() < 2000;
            return new Result("d", String.format("incremental, unchanged %,d x %d", o.workbooks, o.worksheets), ours,
                    null, "<= 60 Graph calls and < 2 s", met);
        }
    }

    // ---- the two programs

    /** Our relay in a child JVM; with {@code second}, measures a second sync that follows a first, unmeasured one. */
    private Run ours(String scenario, NangoGraphEmulator nango, String heap, Map<String, String> settings,
                     boolean second) throws Exception {
        Path state = Files.createTempDirectory(o.out, "state-" + scenario + "-");
        RelayProcess.Launcher launcher = RelayProcess.launcher().brokers(kafka.bootstrapServers())
                .nango(nango.baseUrl(), SECRET).stateDir(state).jvmArgs("-Xmx" + heap)
                .setting("workbook-relay.sync.concurrency", Integer.toString(o.concurrency))
                // only scenario b paces by the budget; elsewhere Graph has no limit, so neither has the relay
                .setting("workbook-relay.graph.budget.requests", scenario.equals("b") ? Integer.toString(o.budget)
                        : Integer.toString(UNLIMITED_BUDGET))
                .setting("workbook-relay.graph.budget.period-ms", Long.toString(o.budgetPeriodMs))
                .logFile(o.out.resolve(scenario + "-ours.log"));
        if (o.jfr.contains(scenario)) {
            launcher.jvmArgs("-XX:StartFlightRecording=dumponexit=true,settings=profile,filename="
                    + o.out.resolve(scenario + "-ours.jfr").toAbsolutePath());
        }
        settings.forEach(launcher::setting);
        try (RelayProcess relay = launcher.start()) {
            relay.awaitReady(Duration.ofMinutes(2));
            if (second) {
                JsonNode first = request(relay, "workbook-relay.sync-requests");
                System.out.printf("  (d) first sync: %s in %s ms%n", first.path("outcome").asText(),
                        first.path("durationMs").asText());
            }
            return measure("ours", scenario, relay, nango, "workbook-relay.sync-requests");
        }
    }

    /** The baseline in a child JVM; {@code publish == false}: the HTTP floor (same Graph calls, no events). */
    private Run baseline(String scenario, NangoGraphEmulator nango, String heap, boolean publish) throws Exception {
        String program = publish ? "baseline" : "http floor";
        RelayProcess.Launcher launcher = RelayProcess.launcher().mainClass(Baseline.class.getName())
                .brokers(kafka.bootstrapServers()).nango(nango.baseUrl(), SECRET).jvmArgs("-Xmx" + heap)
                .setting("workbook-relay.sync.concurrency", Integer.toString(o.concurrency))
                .setting(Baseline.PUBLISH, Boolean.toString(publish))
                .logFile(o.out.resolve(scenario + "-" + program.replace(' ', '-') + ".log"));
        try (RelayProcess baseline = launcher.start()) {
            baseline.awaitReady(Duration.ofMinutes(1));
            return measure(program, scenario, baseline, nango, Baseline.REQUESTS_TOPIC);
        }
    }

    private Run measure(String program, String scenario, RelayProcess child, NangoGraphEmulator nango, String topic)
            throws Exception {
        if (warmsUp(scenario)) {
            // a relay is a long-running service: measure a sync of a JVM that has synced before (its JIT warm),
            // as a service's syncs after its first are; the baseline is warmed the same way
            JsonNode warm = request(child, topic, WARM_UP_CONNECTION);
            System.out.printf("  %-8s warm-up sync of %,d workbooks: %s in %s ms%n", program, o.warmUpWorkbooks,
                    warm.path("outcome").asText(), warm.path("durationMs").asText());
        }
        Map<String, Long> before = endOffsets();
        int calls0 = nango.graphCalls();
        int throttled0 = nango.throttledCalls();
        double cpu0 = child.cpuSeconds();
        double harness0 = harnessCpuSeconds();
        long start = System.nanoTime();
        JsonNode status = request(child, topic);
        long wallMs = (System.nanoTime() - start) / 1_000_000;
        double cpu = child.cpuSeconds() - cpu0;
        double harnessCpu = harnessCpuSeconds() - harness0;
        int calls = nango.graphCalls() - calls0;
        int throttled = nango.throttledCalls() - throttled0;
        Map<String, Long> after = endOffsets();
        long events = EVENT_TOPICS.stream().mapToLong(t -> after.get(t) - before.get(t)).sum();
        // after the CPU figure: the full GC this asks for is the measurement's, not the program's
        long retained = child.retainedHeapBytes();
        child.stop();
        Run run = new Run(program, wallMs, events, calls, throttled, cpu, child.peakHeapBytes(),
                retained, child.peakRssBytes(), status.path("workbooks").asInt(),
                status.path("worksheets").asInt(), status.path("outcome").asText(),
                averageValueBytes(EVENT_TOPICS.get(0), after.get(EVENT_TOPICS.get(0)) - before.get(EVENT_TOPICS.get(0))),
                averageValueBytes(EVENT_TOPICS.get(1), after.get(EVENT_TOPICS.get(1)) - before.get(EVENT_TOPICS.get(1))),
                harnessCpu);
        System.out.printf("  %-8s %s%n", program, run);
        if (!"succeeded".equals(run.outcome())) {
            System.out.println("  status: " + status + "\n  log tail:\n" + child.logTail(30));
        }
        return run;
    }

    /** Sends a sync request and returns its status event (the first with its requestId). */
    private JsonNode request(RelayProcess child, String topic) throws Exception {
        return request(child, topic, CONNECTION);
    }

    private JsonNode request(RelayProcess child, String topic, String connection) throws Exception {
        String requestId = "bench-" + UUID.randomUUID();
        TopicPartition status = new TopicPartition(STATUS_TOPIC, 0);
        reader.assign(List.of(status));
        reader.seekToEnd(List.of(status));
        reader.position(status);
        String json = String.format("{\"connectionId\":\"%s\",\"providerConfigKey\":\"microsoft-excel\",\"drive\":\"me\","
                + "\"requestId\":\"%s\"}", connection, requestId);
        producer.send(new ProducerRecord<>(topic, connection, json.getBytes(StandardCharsets.UTF_8))).get();
        long deadline = System.nanoTime() + Duration.ofMinutes(o.timeoutMinutes).toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, byte[]> record : reader.poll(Duration.ofMillis(20))) {
                JsonNode data = JSON.readTree(record.value());
                if (requestId.equals(data.path("requestId").asText())) {
                    return data;
                }
            }
            if (!child.isAlive()) {
                throw new IllegalStateException("child died; log tail:\n" + child.logTail(40));
            }
        }
        throw new IllegalStateException("no status for " + requestId + "; log tail:\n" + child.logTail(40));
    }

    /** CPU time of this JVM (emulator, broker, harness): what the machine spent serving the child. */
    private static double harnessCpuSeconds() {
        return ProcessHandle.current().info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(0.0);
    }

    private Map<String, Long> endOffsets() {
        Map<String, Long> offsets = new LinkedHashMap<>();
        for (String topic : EVENT_TOPICS) {
            TopicPartition p = new TopicPartition(topic, 0);
            offsets.put(topic, reader.endOffsets(List.of(p)).get(p));
        }
        return offsets;
    }

    /** Mean value size of the last (up to 50) records of a topic. */
    private double averageValueBytes(String topic, long published) {
        if (published <= 0) {
            return 0;
        }
        TopicPartition p = new TopicPartition(topic, 0);
        long end = reader.endOffsets(List.of(p)).get(p);
        long from = Math.max(0, end - Math.min(50, published));
        reader.assign(List.of(p));
        reader.seek(p, from);
        long total = 0;
        int n = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (n < end - from && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, byte[]> r : reader.poll(Duration.ofMillis(100))) {
                total += r.value() == null ? 0 : r.value().length;
                n++;
            }
        }
        return n == 0 ? 0 : (double) total / n;
    }

    private Path drive(int workbooks) throws IOException {
        long t = System.nanoTime();
        Path dir = SyntheticDrive.ensure(o.drives.resolve(workbooks + "x" + o.worksheets), workbooks, o.worksheets);
        System.out.printf("drive %s ready in %d ms%n", dir, (System.nanoTime() - t) / 1_000_000);
        return dir;
    }

    /**
     * Whether the children of a scenario sync the warm-up connection before they are measured: not in c, whose
     * figures (heap after a sync of 100,000 workbooks in a 256 MB heap) are about that sync alone.
     */
    private boolean warmsUp(String scenario) {
        return o.warmUpWorkbooks > 0 && !scenario.equals("c");
    }

    private NangoGraphEmulator emulator(Path drive, boolean limited) throws IOException {
        NangoGraphEmulator.Builder b = NangoGraphEmulator.builder().secretKey(SECRET)
                .connection("microsoft-excel", CONNECTION, drive).recordRequests(false);
        if (o.warmUpWorkbooks > 0) {
            b.connection("microsoft-excel", WARM_UP_CONNECTION, drive(o.warmUpWorkbooks));
        }
        if (limited) {
            b.graphRateLimit(o.budget, Duration.ofMillis(o.budgetPeriodMs));
        }
        NangoGraphEmulator nango = b.build().start();
        long t = System.nanoTime();
        nango.warmUp();
        System.out.printf("emulator warmed up in %d ms%n", (System.nanoTime() - t) / 1_000_000);
        return nango;
    }

    // ---- output

    static String table(List<Result> results) {
        StringBuilder s = new StringBuilder();
        s.append("| scenario | program | wall s | events | events/s | Graph calls | 429s | CPU s | peak heap MB | retained heap MB "
                + "| peak RSS MB | avg wb/ws event bytes | harness CPU s | outcome |\n");
        s.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (Result r : results) {
            for (Run run : new Run[] {r.ours(), r.baseline(), r.floor()}) {
                if (run != null) {
                    s.append(String.format(Locale.ROOT, "| %s %s | %s | %.2f | %,d | %,.0f | %,d | %d | %.1f | %.0f | %.0f | %.0f | %.0f / %.0f | %.1f | %s |%n",
                            r.scenario(), r.description(), run.program(), run.wallMs() / 1000.0, run.events(),
                            run.eventsPerSecond(), run.graphCalls(), run.throttled(), run.cpuSeconds(),
                            run.peakHeap() / 1048576.0, run.retainedHeap() / 1048576.0, run.peakRss() / 1048576.0,
                            run.wbBytes(), run.wsBytes(), run.harnessCpuSeconds(), run.outcome()));
                }
            }
            if (r.ours() != null && r.baseline() != null) {
                Run a = r.ours();
                Run b = r.baseline();
                s.append(String.format(Locale.ROOT, "| %s | ours/baseline | %.2f | | %.2f | %.2f | | %.2f | %.2f | | %.2f | | | |%n",
                        r.scenario(), ratio(a.wallMs(), b.wallMs()), ratio(a.eventsPerSecond(), b.eventsPerSecond()),
                        ratio(a.graphCalls(), b.graphCalls()), ratio(a.cpuSeconds(), b.cpuSeconds()),
                        ratio(a.peakHeap(), b.peakHeap()), ratio(a.peakRss(), b.peakRss())));
            }
        }
        s.append("\n| scenario | target | met |\n|---|---|---|\n");
        for (Result r : results) {
            s.append("| ").append(r.scenario()).append(" | ").append(r.target()).append(" | ")
                    .append(r.met() == null ? "n/a" : r.met() ? "yes" : "**no**").append(" |\n");
        }
        return s.toString();
    }

    private static double ratio(double a, double b) {
        return b == 0 ? Double.NaN : a / b;
    }

    /** Command-line options, all with defaults (the sizes). */
    record Options(List<String> scenarios, int workbooks, int worksheets, int large, int latencyMs, int concurrency,
                   int budget, long budgetPeriodMs, String heap, String largeHeap, Path drives, Path out,
                   List<String> jfr, boolean noBaseline, int timeoutMinutes, int repeat, int warmUpWorkbooks,
                   int tenants, int tenantWorkbooks, int tenantLatencyMs, int sheetRows, String state) {

        static Options parse(String[] args) {
            Map<String, String> a = new LinkedHashMap<>();
            for (int i = 0; i < args.length; i++) {
                if (args[i].equals("--no-baseline")) {
                    a.put("no-baseline", "true");
                } else if (args[i].startsWith("--") && i + 1 < args.length) {
                    a.put(args[i].substring(2), args[++i]);
                } else {
                    throw new IllegalArgumentException("unknown argument " + args[i] + " (see Benchmark's javadoc)");
                }
            }
            Options o = new Options(List.of(a.getOrDefault("scenarios", "a,b,c,d,e,f").split(",")),
                    Integer.parseInt(a.getOrDefault("workbooks", "10000")),
                    Integer.parseInt(a.getOrDefault("worksheets", "5")),
                    Integer.parseInt(a.getOrDefault("large", "100000")),
                    Integer.parseInt(a.getOrDefault("latency-ms", "20")),
                    Integer.parseInt(a.getOrDefault("concurrency", "8")),
                    Integer.parseInt(a.getOrDefault("budget", "5000")),
                    Long.parseLong(a.getOrDefault("budget-period-ms", "10000")),
                    a.getOrDefault("heap", "512m"), a.getOrDefault("large-heap", "256m"),
                    Path.of(a.getOrDefault("drives", "target/bench-drives")).toAbsolutePath(),
                    Path.of(a.getOrDefault("out", "target/bench")).toAbsolutePath(),
                    List.of(a.getOrDefault("jfr", "").split(",")), a.containsKey("no-baseline"),
                    Integer.parseInt(a.getOrDefault("timeout-minutes", "20")),
                    Integer.parseInt(a.getOrDefault("repeat", "3")),
                    Integer.parseInt(a.getOrDefault("warm-up-workbooks", a.getOrDefault("workbooks", "10000"))),
                    Integer.parseInt(a.getOrDefault("tenants", "200")),
                    Integer.parseInt(a.getOrDefault("tenant-workbooks", "20")),
                    Integer.parseInt(a.getOrDefault("tenant-latency-ms", "100")),
                    Integer.parseInt(a.getOrDefault("sheet-rows", "100000")),
                    a.getOrDefault("state", "h2"));
            a.keySet().removeAll(List.of("scenarios", "workbooks", "worksheets", "large", "latency-ms", "concurrency",
                    "budget", "budget-period-ms", "heap", "large-heap", "drives", "out", "jfr", "no-baseline",
                    "timeout-minutes", "repeat", "warm-up-workbooks", "tenants", "tenant-workbooks",
                    "tenant-latency-ms", "sheet-rows", "state"));
            if (!a.isEmpty()) {
                throw new IllegalArgumentException("unknown options " + a.keySet());
            }
            if (!List.of("h2", "postgresql").contains(o.state())) {
                throw new IllegalArgumentException("--state is h2 or postgresql, not " + o.state());
            }
            return o;
        }
    }
}

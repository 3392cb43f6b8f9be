package dev.workbookrelay.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workbookrelay.bench.Benchmark.Result;
import dev.workbookrelay.bench.Benchmark.Run;
import dev.workbookrelay.sandbox.EmbeddedKafka;
import dev.workbookrelay.sandbox.NangoGraphEmulator;
import dev.workbookrelay.sandbox.RelayProcess;
import dev.workbookrelay.sandbox.SyntheticDrive;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
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
 * Scenario e, many tenants: --tenants Nango connections (200), each a drive of --tenant-workbooks (20) x 2
 * worksheets, --tenant-latency-ms (100) a Graph call, the emulator's per-connection limiter on (Excel's 1500 per
 * 10 s), state in PostgreSQL. One sync request per connection, all at once; measured until every status is in.
 * Three runs side by side: one instance syncing one source at a time (as the relay did before syncs left the
 * consumer's thread), one instance with its defaults, two instances sharing the work. Each run first syncs as many
 * other connections, unmeasured, so that warm JVMs are measured.
 * Targets: one instance within 1.25 x the ideal (Graph calls x latency / workbook-relay.graph.max-in-flight), two
 * instances within 0.6 x one instance.
 */
final class ManyTenants {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/test";
    /** The relay's default workbook-relay.graph.max-in-flight, the bound the ideal is computed from. */
    private static final int MAX_IN_FLIGHT = 32;
    /** Connections each run syncs first, unmeasured, so that warm JVMs are measured (as in scenarios a, b, d). */
    private static final String WARM_UP = "warm-up-";

    private final Benchmark.Options o;
    private final EmbeddedKafka kafka;

    ManyTenants(Benchmark.Options o, EmbeddedKafka kafka) {
        this.o = o;
        this.kafka = kafka;
    }

    List<Result> run() throws Exception {
        Path drive = SyntheticDrive.ensure(o.drives().resolve("tenant-" + o.tenantWorkbooks() + "x2"),
                o.tenantWorkbooks(), 2);
        NangoGraphEmulator.Builder builder = NangoGraphEmulator.builder().secretKey(Benchmark.SECRET)
                .recordRequests(false).graphRateLimit(1500, Duration.ofSeconds(10));
        for (int t = 0; t < o.tenants(); t++) {
            builder.connection("microsoft-excel", tenant(t), drive);
            builder.connection("microsoft-excel", WARM_UP + tenant(t), drive);
        }
        try (NangoGraphEmulator nango = builder.build().start()) {
            nango.faults().delayEach(Duration.ofMillis(o.tenantLatencyMs()));
            Run serial = run("one at a time", nango, 1, Map.of("workbook-relay.sync.max-concurrent-syncs", "1"));
            Run one = run("1 instance", nango, 1, Map.of());
            Run two = run("2 instances", nango, 2, Map.of());
            double ideal = one.graphCalls() * (double) o.tenantLatencyMs() / MAX_IN_FLIGHT;
            double ratio = one.wallMs() / ideal;
            double scaling = (double) two.wallMs() / one.wallMs();
            String description = String.format(Locale.ROOT, "%d tenants x %d x 2, %d ms a call", o.tenants(),
                    o.tenantWorkbooks(), o.tenantLatencyMs());
            return List.of(
                    new Result("e1", description, one, serial, String.format(Locale.ROOT,
                            "1 instance <= 1.25 x ideal %.1f s (%.2f x); one at a time %.1f x slower", ideal / 1000,
                            ratio, (double) serial.wallMs() / one.wallMs()), ratio <= 1.25 && ok(one)),
                    new Result("e2", description, two, one, String.format(Locale.ROOT,
                            "2 instances <= 0.6 x 1 instance (%.2f x)", scaling), scaling <= 0.6 && ok(two)));
        }
    }

    private static boolean ok(Run run) {
        return "succeeded".equals(run.outcome());
    }

    /** {@code instances} relays (fresh group, topic and PostgreSQL schema), every connection's sync requested. */
    private Run run(String label, NangoGraphEmulator nango, int instances, Map<String, String> settings)
            throws Exception {
        String id = label.replaceAll("[^a-z0-9]+", "_") + "_" + UUID.randomUUID().toString().substring(0, 8);
        String topic = "bench-e." + id + ".sync-requests";
        kafka.createTopics(8, topic);
        String schema = "bench_" + id;
        execute("CREATE SCHEMA " + schema);
        List<RelayProcess> relays = new ArrayList<>();
        try {
            for (int i = 0; i < instances; i++) {
                RelayProcess.Launcher launcher = RelayProcess.launcher().brokers(kafka.bootstrapServers())
                        .nango(nango.baseUrl(), Benchmark.SECRET).jvmArgs("-Xmx" + o.heap())
                        .setting("workbook-relay.topics.sync-requests", topic)
                        .setting("workbook-relay.sync-requests.group-id", "bench-e-" + id)
                        .setting("workbook-relay.state.jdbc-url", POSTGRES + "?currentSchema=" + schema
                                + "&user=postgres")
                        .logFile(o.out().resolve("e-" + id + "-" + i + ".log"));
                settings.forEach(launcher::setting);
                relays.add(launcher.start());
            }
            for (RelayProcess relay : relays) {
                relay.awaitReady(Duration.ofMinutes(2));
            }
            awaitStableGroup("bench-e-" + id, instances);
            syncAll(topic, relays, WARM_UP);
            System.out.printf("  %-14s warm-up round of %d syncs done%n", label, o.tenants());
            int calls0 = nango.graphCalls();
            int throttled0 = nango.throttledCalls();
            double cpu0 = relays.stream().mapToDouble(RelayProcess::cpuSeconds).sum();
            long start = System.nanoTime();
            List<JsonNode> statuses = syncAll(topic, relays, "");
            long wallMs = (System.nanoTime() - start) / 1_000_000;
            double cpu = relays.stream().mapToDouble(RelayProcess::cpuSeconds).sum() - cpu0;
            long retained = 0;
            long peakHeap = 0;
            long peakRss = 0;
            for (RelayProcess relay : relays) {
                retained += relay.retainedHeapBytes();
                peakHeap = Math.max(peakHeap, relay.peakHeapBytes());
                peakRss = Math.max(peakRss, relay.peakRssBytes());
            }
            boolean allSucceeded = statuses.stream().allMatch(s -> s.path("outcome").asText().equals("succeeded"));
            int workbooks = statuses.stream().mapToInt(s -> s.path("workbooks").asInt()).sum();
            int worksheets = statuses.stream().mapToInt(s -> s.path("worksheets").asInt()).sum();
            int events = statuses.stream().mapToInt(s -> s.path("events").asInt()).sum();
            Run run = new Run(label, wallMs, events, nango.graphCalls() - calls0, nango.throttledCalls() - throttled0,
                    cpu, peakHeap, retained, peakRss, workbooks, worksheets, allSucceeded ? "succeeded" : "failed",
                    0, 0, 0);
            System.out.printf("  %-14s %s%n", label, run);
            return run;
        } finally {
            for (RelayProcess relay : relays) {
                relay.close();
            }
            execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    /** Until the group has {@code members} members, each with partitions. */
    private void awaitStableGroup(String group, int members) throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", kafka.bootstrapServers());
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(p)) {
            long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
            while (System.nanoTime() < deadline) {
                var description = admin.describeConsumerGroups(List.of(group)).all().get().get(group);
                if (description.members().size() == members && description.members().stream()
                        .allMatch(m -> !m.assignment().topicPartitions().isEmpty())) {
                    return;
                }
                Thread.sleep(200);
            }
        }
        throw new IllegalStateException("the consumer group " + group + " did not settle on " + members + " members");
    }

    /** Requests a sync of every tenant ({@code prefix} + name) at once; returns their statuses once all are in. */
    private List<JsonNode> syncAll(String topic, List<RelayProcess> relays, String prefix) throws Exception {
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<String, byte[]> reader = new KafkaConsumer<>(c, new StringDeserializer(),
                new ByteArrayDeserializer());
                KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                        kafka.bootstrapServers(), "acks", "all", "linger.ms", "5"), new StringSerializer(),
                        new ByteArraySerializer())) {
            TopicPartition status = new TopicPartition(Benchmark.STATUS_TOPIC, 0);
            reader.assign(List.of(status));
            reader.seekToEnd(List.of(status));
            reader.position(status);
            String run = UUID.randomUUID().toString().substring(0, 8);
            Set<String> waiting = new HashSet<>();
            for (int t = 0; t < o.tenants(); t++) {
                String requestId = "e-" + run + "-" + t;
                waiting.add(requestId);
                String connection = prefix + tenant(t);
                String json = String.format("{\"connectionId\":\"%s\",\"requestId\":\"%s\"}", connection,
                        requestId);
                producer.send(new ProducerRecord<>(topic, "microsoft-excel/" + connection + "/me",
                        json.getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
            List<JsonNode> statuses = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofMinutes(o.timeoutMinutes()).toNanos();
            while (!waiting.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : reader.poll(Duration.ofMillis(20))) {
                    JsonNode data = JSON.readTree(record.value());
                    if (waiting.remove(data.path("requestId").asText())) {
                        statuses.add(data);
                    }
                }
                if (relays.stream().noneMatch(RelayProcess::isAlive)) {
                    throw new IllegalStateException("every relay died; log tail:\n" + relays.get(0).logTail(40));
                }
            }
            if (!waiting.isEmpty()) {
                throw new IllegalStateException(waiting.size() + " syncs without a status; log tail:\n"
                        + relays.get(0).logTail(40));
            }
            return statuses;
        }
    }

    private static String tenant(int t) {
        return String.format(Locale.ROOT, "tenant-%03d", t);
    }

    private static void execute(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(POSTGRES, "postgres", null); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}

package dev.workbookrelay.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workbookrelay.bench.Benchmark.Result;
import dev.workbookrelay.bench.Benchmark.Run;
import dev.workbookrelay.sandbox.EmbeddedKafka;
import dev.workbookrelay.sandbox.NangoGraphEmulator;
import dev.workbookrelay.sandbox.RelayProcess;
import dev.workbookrelay.support.PostgresSchema;
import dev.workbookrelay.sandbox.SampleWorkbooks;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
 * Scenario f, rows: one workbook of --sheet-rows (100,000) rows x 10 columns, its rows published with a key column
 * (rows: all, rowKey: Id) by a relay in its own JVM with --large-heap (256m), once by each read path, each relay with
 * its own fresh state, side by side in one run. f1: the first snapshot (row events/s, Graph calls, CPU, heap) through
 * Excel's range API in blocks of 5,000 rows; f2: then 10 rows edited: exactly 10 row.updated events, with the calls
 * and time it took. f3, f4: the same from the downloaded file (workbook-relay.rows.download-above-bytes = 0). Run
 * once (noisy, shared machine: read the figures as such, and compare the paths as ratios). The relays' state is an
 * H2 file each, or with --state postgresql a schema each on the local PostgreSQL.
 */
final class SheetRowsScenario {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONNECTION = "rows-bench";
    private static final String ROWS_TOPIC = "workbook-relay.rows";
    private static final List<String> HEADER = List.of("Id", "Item", "Qty", "Price", "Booked", "Paid", "Region",
            "Code", "Ratio", "Note");
    private static final Set<Integer> EDITED = Set.of(7, 1_000, 9_999, 25_000, 33_333, 50_000, 61_234, 77_777,
            90_001, 99_999);

    private final Benchmark.Options o;
    private final EmbeddedKafka kafka;

    SheetRowsScenario(Benchmark.Options o, EmbeddedKafka kafka) {
        this.o = o;
        this.kafka = kafka;
    }

    List<Result> run() throws Exception {
        int rows = o.sheetRows();
        kafka.createTopics(ROWS_TOPIC);
        Path drive = Files.createTempDirectory(o.out(), "rows-drive-");
        Path book = drive.resolve("Ledger.xlsx");
        long t = System.nanoTime();
        SampleWorkbooks.writeLarge(book, "Ledger", HEADER, rows, i -> row(i + 1, false));
        System.out.printf("sheet of %,d rows x %d written in %d ms (%,d bytes)%n", rows, HEADER.size(),
                (System.nanoTime() - t) / 1_000_000, Files.size(book));
        try (NangoGraphEmulator nango = NangoGraphEmulator.builder().secretKey(Benchmark.SECRET)
                .connection("microsoft-excel", CONNECTION, drive).recordRequests(false).build().start();
                KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                        kafka.bootstrapServers(), "acks", "all"), new StringSerializer(), new ByteArraySerializer());
                KafkaConsumer<String, byte[]> reader = new KafkaConsumer<>(Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"), new StringDeserializer(),
                        new ByteArrayDeserializer())) {
            List<Result> results = new java.util.ArrayList<>();
            // the workbook API whatever the size (a larger sheet would otherwise be downloaded past 10 MB)
            results.addAll(path("f1", "f2", "workbook API", Long.toString(Long.MAX_VALUE), book, nango, producer,
                    reader));
            SampleWorkbooks.writeLarge(book, "Ledger", HEADER, rows, i -> row(i + 1, false));
            results.addAll(path("f3", "f4", "file", "0", book, nango, producer, reader));
            return results;
        }
    }

    /** One read path: a relay with its own state takes the first snapshot, then the 10 edits. */
    private List<Result> path(String snapshotId, String editId, String label, String downloadAboveBytes, Path book,
            NangoGraphEmulator nango, KafkaProducer<String, byte[]> producer, KafkaConsumer<String, byte[]> reader)
            throws Exception {
        int rows = o.sheetRows();
        RelayProcess.Launcher launcher = RelayProcess.launcher().brokers(kafka.bootstrapServers())
                .nango(nango.baseUrl(), Benchmark.SECRET).jvmArgs("-Xmx" + o.largeHeap())
                .setting("workbook-relay.rows.download-above-bytes", downloadAboveBytes)
                .logFile(o.out().resolve(snapshotId + "-ours.log"));
        PostgresSchema schema = null;
        if (o.state().equals("postgresql")) {
            schema = new PostgresSchema("bench_rows");
            launcher.env("WORKBOOK_RELAY_STATE_JDBC_URL", schema.jdbcUrl())
                    .env("WORKBOOK_RELAY_STATE_USER", PostgresSchema.USER);
        } else {
            launcher.stateDir(Files.createTempDirectory(o.out(), "state-" + snapshotId + "-"));
        }
        RelayProcess relay = launcher.start();
        try {
            relay.awaitReady(Duration.ofMinutes(2));
            Run snapshot = measure(snapshotId + " snapshot", relay, nango, producer, reader);

            SampleWorkbooks.writeLarge(book, "Ledger", HEADER, rows, i -> row(i + 1, EDITED.contains(i + 1)));
            Run edit = measure(editId + " 10 edited", relay, nango, producer, reader);
            long updated = countUpdated(reader, edit.events());
            String description = String.format(Locale.ROOT, "%,d rows x %d columns, rowKey, %s, %s state", rows,
                    HEADER.size(), label, o.state().equals("h2") ? "H2" : "PostgreSQL");
            return List.of(
                    new Result(snapshotId, description, snapshot, null, String.format(Locale.ROOT,
                            "first snapshot (%s): %,.0f row events/s, %d Graph calls, %.1f CPU s, peak heap %d MB"
                                    + " in %s", label, snapshot.eventsPerSecond(), snapshot.graphCalls(),
                            snapshot.cpuSeconds(), snapshot.peakHeap() >> 20, o.largeHeap()),
                            "succeeded".equals(snapshot.outcome()) && snapshot.events() == rows),
                    new Result(editId, description, edit, null, String.format(Locale.ROOT,
                            "10 rows edited (%s): exactly 10 row.updated (%d), %d Graph calls, %.1f s", label,
                            updated, edit.graphCalls(), edit.wallMs() / 1000.0),
                            updated == 10 && edit.events() == 10 && "succeeded".equals(edit.outcome())));
        } finally {
            relay.close();
            if (schema != null) {
                schema.close();
            }
        }
    }

    /** Row {@code n} (1-based); an edited row has another quantity. */
    static List<?> row(int n, boolean edited) {
        return List.of(n, "item " + n, edited ? 1_000 + n % 50 : n % 50, n * 0.25,
                LocalDate.of(2020, 1, 1).plusDays(n % 3000), n % 7 == 0, "R" + (n % 12), "C-" + Integer.toHexString(n),
                n / 3.0, "note " + (n % 100));
    }

    private Run measure(String label, RelayProcess relay, NangoGraphEmulator nango,
            KafkaProducer<String, byte[]> producer, KafkaConsumer<String, byte[]> reader) throws Exception {
        TopicPartition rows = new TopicPartition(ROWS_TOPIC, 0);
        long before = reader.endOffsets(List.of(rows)).get(rows);
        int calls0 = nango.graphCalls();
        double cpu0 = relay.cpuSeconds();
        long start = System.nanoTime();
        JsonNode status = request(relay, producer, reader);
        long wallMs = (System.nanoTime() - start) / 1_000_000;
        double cpu = relay.cpuSeconds() - cpu0;
        long events = reader.endOffsets(List.of(rows)).get(rows) - before;
        long retained = relay.retainedHeapBytes();
        Run run = new Run(label, wallMs, events, nango.graphCalls() - calls0, 0, cpu, relay.peakHeapBytes(),
                retained, relay.peakRssBytes(), status.path("workbooks").asInt(), status.path("worksheets").asInt(),
                status.path("outcome").asText(), 0, 0, 0);
        System.out.printf("  f %-9s %s%n", label, run);
        return run;
    }

    private JsonNode request(RelayProcess relay, KafkaProducer<String, byte[]> producer,
            KafkaConsumer<String, byte[]> reader) throws Exception {
        String requestId = "bench-f-" + UUID.randomUUID();
        TopicPartition status = new TopicPartition(Benchmark.STATUS_TOPIC, 0);
        reader.assign(List.of(status));
        reader.seekToEnd(List.of(status));
        reader.position(status);
        String json = "{\"connectionId\":\"" + CONNECTION + "\",\"requestId\":\"" + requestId
                + "\",\"rows\":\"all\",\"rowKey\":\"Id\"}";
        producer.send(new ProducerRecord<>("workbook-relay.sync-requests", CONNECTION,
                json.getBytes(StandardCharsets.UTF_8))).get();
        long deadline = System.nanoTime() + Duration.ofMinutes(o.timeoutMinutes()).toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, byte[]> record : reader.poll(Duration.ofMillis(50))) {
                JsonNode data = JSON.readTree(record.value());
                if (requestId.equals(data.path("requestId").asText())) {
                    return data;
                }
            }
            if (!relay.isAlive()) {
                throw new IllegalStateException("relay died; log tail:\n" + relay.logTail(40));
            }
        }
        throw new IllegalStateException("no status for " + requestId + "; log tail:\n" + relay.logTail(40));
    }

    /** How many of the last {@code published} row records are row.updated events. */
    private static long countUpdated(KafkaConsumer<String, byte[]> reader, long published) {
        TopicPartition rows = new TopicPartition(ROWS_TOPIC, 0);
        long end = reader.endOffsets(List.of(rows)).get(rows);
        reader.assign(List.of(rows));
        reader.seek(rows, Math.max(0, end - published));
        long updated = 0;
        long read = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (read < published && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, byte[]> r : reader.poll(Duration.ofMillis(100))) {
                read++;
                var type = r.headers().lastHeader("ce_type");
                if (type != null && new String(type.value(), StandardCharsets.UTF_8).endsWith(".row.updated")) {
                    updated++;
                }
            }
        }
        return updated;
    }
}

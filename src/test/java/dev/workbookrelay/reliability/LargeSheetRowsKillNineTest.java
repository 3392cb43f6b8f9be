package dev.workbookrelay.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workbookrelay.sandbox.EmbeddedKafka;
import dev.workbookrelay.sandbox.NangoGraphEmulator;
import dev.workbookrelay.sandbox.RelayProcess;
import dev.workbookrelay.sandbox.SampleWorkbooks;
import dev.workbookrelay.support.FreePort;
import dev.workbookrelay.support.RawRecords;
import dev.workbookrelay.support.RelayFixture;
import dev.workbookrelay.support.SyncStatuses;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 100,000-row × 10-column sheet, its rows published by a relay in its own JVM with a 256 MB heap, killed with
 * SIGKILL while the rows are being published and restarted on the same state: after the restart every row is on the
 * rows topic with its values, and a row published twice carries the same {@code ce_id} both times.
 */
class LargeSheetRowsKillNineTest {

    static final int ROWS = 100_000;
    static final String ROWS_TOPIC = "workbook-relay.rows";
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void killedWhileALargeSheetsRowsArePublishedNothingIsMissingAfterTheRestart() throws Exception {
        Path drive = dir.resolve("drive");
        long writing = System.nanoTime();
        SampleWorkbooks.writeLarge(drive.resolve("Ledger.xlsx"), "Ledger", List.of("Id", "Item", "Qty", "Price",
                "Booked", "Paid", "Region", "Code", "Ratio", "Note"), ROWS, LargeSheetRowsKillNineTest::row);
        System.out.printf("wrote %,d rows in %d ms%n", ROWS, (System.nanoTime() - writing) / 1_000_000);
        String secret = UUID.randomUUID().toString();
        try (EmbeddedKafka kafka = EmbeddedKafka.start();
                NangoGraphEmulator nango = NangoGraphEmulator.builder().secretKey(secret)
                        .connection("microsoft-excel", "alice", drive).recordRequests(false).build().start()) {
            kafka.createTopics(RelayFixture.TOPICS);
            String request = "{\"connectionId\":\"alice\",\"requestId\":\"rows-kill\",\"rows\":\"all\",\"rowKey\":\"Id\"}";
            RelayProcess first = launch(kafka, nango, secret, 0);
            long killedAt;
            try {
                first.awaitReady(Duration.ofSeconds(90));
                KillNineMidSyncTest.send(kafka.bootstrapServers(), request);
                killedAt = awaitRecordsAbove(kafka.bootstrapServers(), ROWS / 5, Duration.ofSeconds(120), first);
                first.killHard();
            } finally {
                first.close();
            }
            System.out.printf("killed with %,d row records published%n", killedAt);
            assertTrue(killedAt < ROWS, "killed before all rows were published: " + killedAt);
            List<Path> left = scratchFolders();
            assertEquals(1, left.size(), "the killed relay's scratch folder: " + left);
            try (Stream<Path> files = Files.list(left.get(0))) {
                assertTrue(files.anyMatch(f -> f.getFileName().toString().endsWith(".values")),
                        "killed while the sheet's values were spooled");
            }

            RelayProcess second = launch(kafka, nango, secret, 1);
            JsonNode status;
            try {
                second.awaitReady(Duration.ofSeconds(90));
                List<Path> now = scratchFolders();
                assertEquals(1, now.size(), "the killed relay's folder swept at the next start: " + now);
                assertFalse(now.contains(left.get(0)));
                status = SyncStatuses.await(kafka.bootstrapServers(), "rows-kill");
            } finally {
                second.close();
            }
            assertEquals("succeeded", status.get("outcome").asText(), status.toString());
            assertEquals(List.of((long) ROWS, 0L, 0L), stateCounts("sync_row", "sync_row_read", "sync_row_change"),
                    "every row stored; what the killed relay had staged was cleared");

            Map<String, String> lastValue = new HashMap<>();
            Map<String, Set<String>> ids = new HashMap<>();
            int records = 0;
            try (RawRecords topic = new RawRecords(kafka.bootstrapServers(), ROWS_TOPIC)) {
                for (ConsumerRecord<byte[], byte[]> r : topic.readQuiet(Duration.ofSeconds(2), Duration.ofSeconds(90))) {
                    String key = RawRecords.utf8(r.key());
                    lastValue.put(key, RawRecords.utf8(r.value()));
                    ids.computeIfAbsent(key, k -> new HashSet<>()).add(RawRecords.header(r, "ce_id"));
                    records++;
                }
            }
            System.out.printf("%,d row records for %,d keys%n", records, lastValue.size());
            assertEquals(ROWS, lastValue.size(), "every row published");
            assertTrue(records > ROWS, "some rows were published twice (killed mid-way): " + records);
            assertTrue(ids.values().stream().allMatch(set -> set.size() == 1), "a row published again has its id");
            for (int i : new int[] {1, 2, ROWS / 2, ROWS - 1, ROWS}) {
                String key = lastValue.keySet().stream().filter(k -> k.endsWith("/" + i)).findFirst().orElseThrow();
                JsonNode after = JSON.readTree(lastValue.get(key)).get("after");
                assertEquals(i, after.get("Id").asInt());
                assertEquals("item " + i, after.get("Item").asText());
                assertEquals(LocalDate.of(2020, 1, 1).plusDays(i % 3000).toString(), after.get("Booked").asText());
                assertEquals(i % 7 == 0, after.get("Paid").asBoolean());
            }
        }
    }

    static List<?> row(int i) {
        int n = i + 1; // rows numbered from 1
        return List.of(n, "item " + n, n % 50, n * 0.25, LocalDate.of(2020, 1, 1).plusDays(n % 3000), n % 7 == 0,
                "R" + (n % 12), "C-" + Integer.toHexString(n), n / 3.0, "note " + (n % 100));
    }

    /** Rows in these tables of the relays' state (an H2 file, read once both relays have stopped). */
    private List<Long> stateCounts(String... tables) throws SQLException {
        List<Long> counts = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("state").toAbsolutePath()
                .resolve("workbook-relay") + ";MODE=PostgreSQL"); Statement s = c.createStatement()) {
            for (String table : tables) {
                try (ResultSet row = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
                    row.next();
                    counts.add(row.getLong(1));
                }
            }
        }
        return counts;
    }

    private List<Path> scratchFolders() throws IOException {
        try (Stream<Path> folders = Files.list(dir.resolve("scratch"))) {
            return folders.filter(Files::isDirectory).toList();
        }
    }

    RelayProcess launch(EmbeddedKafka kafka, NangoGraphEmulator nango, String secret, int run) throws Exception {
        return RelayProcess.launcher().brokers(kafka.bootstrapServers()).nango(nango.baseUrl(), secret)
                .stateDir(dir.resolve("state"))
                .setting("camel.management.port", Integer.toString(FreePort.next()))
                .setting("workbook-relay.rows.scratch-dir", dir.resolve("scratch").toString())
                .setting("camel.component.kafka.session-timeout-ms", "6000")
                .setting("camel.component.kafka.heartbeat-interval-ms", "1000")
                .jvmArgs("-Xmx256m")
                .logFile(dir.resolve("relay-" + run + ".log")).start();
    }

    /** Waits until the rows topic holds more than {@code count} records; returns how many it held. */
    static long awaitRecordsAbove(String brokers, long count, Duration timeout, RelayProcess relay)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        TopicPartition partition = new TopicPartition(ROWS_TOPIC, 0);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", brokers),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            while (true) {
                long end = consumer.endOffsets(List.of(partition)).get(partition);
                if (end > count) {
                    return end;
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("only " + end + " row records after " + timeout + "\nrelay log:\n"
                            + relay.logTail(40));
                }
                Thread.sleep(20);
            }
        }
    }
}

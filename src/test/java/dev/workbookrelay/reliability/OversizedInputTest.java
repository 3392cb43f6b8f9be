package dev.workbookrelay.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workbookrelay.sandbox.SyntheticDrive;
import dev.workbookrelay.support.RawRecords;
import dev.workbookrelay.support.RelayFixture;
import dev.workbookrelay.support.SyncStatuses;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Input too big to pass on as it is never blocks the sync-requests topic: a 1 MB request and a 10 MB one (sent
 * compressed, as the broker then accepts it) are dead-lettered with a bounded body, their size and their hash, and
 * the requests behind them are synced; a sync with 20,000 skipped workbooks publishes a status of bounded size.
 */
class OversizedInputTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static RelayFixture fixture;

    @BeforeAll
    static void start() throws Exception {
        fixture = new RelayFixture(Map.of("huge", SyntheticDrive.ensure(dir.resolve("huge"), 20_000, 1)),
                // Graph's pacing (1,500 calls per 10 s) would make this a two-minute wait for nothing
                Map.of("workbook-relay.graph.budget.requests", "50000"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void requestsOfOneAndTenMegabytesAreDeadLetteredCutAndTheRequestsBehindThemSynced() throws Exception {
        byte[] oneMb = request(1_000_000);
        byte[] tenMb = request(10_000_000);
        try (KafkaProducer<String, byte[]> producer = compressingProducer()) {
            producer.send(new ProducerRecord<>("workbook-relay.sync-requests", "big", oneMb)).get();
            producer.send(new ProducerRecord<>("workbook-relay.sync-requests", "bigger", tenMb)).get();
        }
        fixture.relay.requestSync("{\"connectionId\":\"nobody-at-all\",\"requestId\":\"behind-them\"}");
        SyncStatuses.await(fixture.kafka.bootstrapServers(), "behind-them"); // the consumer went on

        try (RawRecords dead = new RawRecords(fixture.kafka.bootstrapServers(), "workbook-relay.dead-letter")) {
            List<ConsumerRecord<byte[], byte[]>> letters = dead.readUntil(l -> l.size() >= 2, Duration.ofSeconds(30));
            for (byte[] original : List.of(oneMb, tenMb)) {
                ConsumerRecord<byte[], byte[]> letter = letters.stream().filter(r -> String.valueOf(original.length)
                        .equals(RawRecords.header(r, "dlq-original-bytes"))).findFirst().orElseThrow();
                assertEquals(64 * 1024, letter.value().length, "a bounded body");
                assertTrue(Arrays.equals(Arrays.copyOf(original, 64 * 1024), letter.value()), "its beginning");
                assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(original)),
                        RawRecords.header(letter, "dlq-original-sha256"));
                assertTrue(RawRecords.header(letter, "dlq-reason").startsWith("message of " + original.length
                        + " bytes exceeds the limit"), RawRecords.header(letter, "dlq-reason"));
            }
        }
    }

    @Test
    void aSyncWithTwentyThousandSkippedWorkbooksPublishesABoundedStatus() throws Exception {
        fixture.nango.faults().failNext("/workbook/worksheets", 20_000, 403);
        fixture.relay.requestSync("{\"connectionId\":\"huge\",\"requestId\":\"all-refused\"}");
        JsonNode status = SyncStatuses.await(fixture.kafka.bootstrapServers(), "all-refused");

        assertEquals("succeeded", status.get("outcome").asText(), status.toString().substring(0, 300));
        assertEquals(20_000, status.get("workbooks").asInt());
        assertEquals(20_000, status.get("skippedCount").asInt());
        assertEquals(100, status.get("skipped").size(), "the first hundred named, the rest counted");
        assertTrue(JSON.writeValueAsBytes(status).length < 64 * 1024, "bytes: " + JSON.writeValueAsBytes(status)
                .length);
    }

    private static byte[] request(int size) {
        String head = "{\"connectionId\":\"alice\",\"padding\":\"";
        StringBuilder json = new StringBuilder(size).append(head);
        while (json.length() < size - 2) {
            json.append('x');
        }
        return json.append("\"}").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static KafkaProducer<String, byte[]> compressingProducer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, fixture.kafka.bootstrapServers());
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "gzip");
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(20_000_000));
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }
}

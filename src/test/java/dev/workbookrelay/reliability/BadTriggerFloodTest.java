package dev.workbookrelay.reliability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workbookrelay.sandbox.EmbeddedKafka;
import dev.workbookrelay.sandbox.NangoGraphEmulator;
import dev.workbookrelay.sandbox.SampleWorkbooks;
import dev.workbookrelay.sandbox.SampleWorkbooks.SheetSpec;
import dev.workbookrelay.support.FreePort;
import dev.workbookrelay.support.RawRecords;
import dev.workbookrelay.support.RunningRelay;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * More than a thousand generated bad sync requests of every kind the relay must refuse (not JSON, truncated or
 * invalid UTF-8, wrong types, no connectionId, scalars, arrays, JSON null, a null record, empty, oversized,
 * random bytes, bad drive or mode, unknown Nango connection or integration), interleaved with good requests on a
 * three-partition sync-requests topic. Every bad one ends in the dead-letter topic exactly once, with its
 * original bytes and key, a reason of its kind, and the topic, partition and offset it was read from; every good
 * one ends in a succeeded status; the consumer is never stuck.
 */
class BadTriggerFloodTest {

    static final String REQUESTS = "workbook-relay.sync-requests";
    static final String DEAD_LETTER = "workbook-relay.dead-letter";
    static final String STATUS = "workbook-relay.sync-status";
    static final int MAX_BYTES = 4096;
    static final int MESSAGES = 1100;
    static final int GOOD_EVERY = 25;
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path drive;
    static EmbeddedKafka kafka;
    static NangoGraphEmulator nango;
    static RunningRelay relay;
    static String secret = UUID.randomUUID().toString();

    @BeforeAll
    static void start() throws Exception {
        SampleWorkbooks.write(drive.resolve("Book.xlsx"), SheetSpec.of("One"), SheetSpec.of("Two"));
        kafka = EmbeddedKafka.start();
        kafka.createTopics(3, REQUESTS);
        kafka.createTopics("workbook-relay.workbooks", "workbook-relay.worksheets", STATUS, DEAD_LETTER);
        nango = NangoGraphEmulator.builder().secretKey(secret).connection("microsoft-excel", "alice", drive)
                .recordRequests(false).build().start();
        relay = RunningRelay.start(kafka.bootstrapServers(), nango.baseUrl(), secret, Map.of(
                "camel.management.port", Integer.toString(FreePort.next()),
                "workbook-relay.sync-requests.max-bytes", Integer.toString(MAX_BYTES)));
    }

    @AfterAll
    static void stop() throws Exception {
        try (EmbeddedKafka k = kafka; NangoGraphEmulator n = nango; RunningRelay r = relay) {
            // closed in reverse order
        }
    }

    /** One generated message: what is sent, and what the relay must do with it. */
    record Message(int index, String kind, String key, byte[] value, Pattern reason, String requestId,
            boolean good, boolean failedSync) {
    }

    @Test
    void everyBadRequestIsDeadLetteredWithItsOriginAndEveryGoodOneSucceeds() throws Exception {
        long seed = Long.getLong("flood.seed", System.nanoTime());
        String workbookId = firstSnapshotWorkbookId();
        List<Message> messages = generate(new Random(seed), workbookId);
        messages.add(good(MESSAGES, "after-flood", "{\"connectionId\":\"alice\",\"requestId\":\"after-flood\"}"));
        String context = " (seed " + seed + ", rerun with -Dflood.seed=" + seed + ")";

        long started = System.nanoTime();
        Map<String, Message> byOrigin = new HashMap<>();
        try (KafkaProducer<String, byte[]> producer = producer()) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (Message m : messages) {
                sent.add(producer.send(new ProducerRecord<>(REQUESTS, m.key(), m.value())));
            }
            for (int i = 0; i < sent.size(); i++) {
                RecordMetadata meta = sent.get(i).get();
                byOrigin.put(meta.partition() + "@" + meta.offset(), messages.get(i));
            }
        }
        List<Message> bad = messages.stream().filter(m -> !m.good()).toList();
        Set<String> expectedStatuses = new TreeSet<>();
        messages.stream().filter(m -> m.requestId() != null).forEach(m -> expectedStatuses.add(m.requestId()));
        assertTrue(bad.size() >= 1000, "at least 1,000 bad messages, got " + bad.size());

        List<ConsumerRecord<byte[], byte[]>> dead;
        Map<String, JsonNode> statuses = new LinkedHashMap<>();
        try (RawRecords deadLetters = new RawRecords(kafka.bootstrapServers(), DEAD_LETTER);
                RawRecords statusTopic = new RawRecords(kafka.bootstrapServers(), STATUS)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
            do {
                deadLetters.readUntil(r -> r.size() >= bad.size(), Duration.ofMillis(500));
                for (ConsumerRecord<byte[], byte[]> r : statusTopic.readUntil(r -> false, Duration.ofMillis(300))) {
                    JsonNode s = JSON.readTree(r.value());
                    statuses.putIfAbsent(s.get("requestId").asText(), s);
                }
            } while ((deadLetters.all().size() < bad.size() || !statuses.keySet().containsAll(expectedStatuses))
                    && System.nanoTime() < deadline);
            // anything beyond the expected count would be a duplicate: give it a moment to show up
            dead = deadLetters.readQuiet(Duration.ofSeconds(2), Duration.ofSeconds(10));
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("flood: %d messages (%d bad) handled in %.1f s%s%n", messages.size(), bad.size(), seconds,
                context);

        Set<String> missingStatuses = new TreeSet<>(expectedStatuses);
        missingStatuses.removeAll(statuses.keySet());
        assertTrue(missingStatuses.isEmpty(), "no status for " + missingStatuses.size() + " requests, e.g. "
                + missingStatuses.stream().limit(5).toList() + context);

        Map<String, ConsumerRecord<byte[], byte[]>> deadByOrigin = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> d : dead) {
            String origin = RawRecords.header(d, "dlq-partition") + "@" + RawRecords.header(d, "dlq-offset");
            Message m = byOrigin.get(origin);
            assertNotNull(m, "dead letter pointing at no message sent: origin " + origin + context);
            assertTrue(!m.good(), "a good request was dead-lettered: " + m.kind() + " #" + m.index() + " reason "
                    + RawRecords.header(d, "dlq-reason") + context);
            ConsumerRecord<byte[], byte[]> earlier = deadByOrigin.put(origin, d);
            if (earlier != null) {
                fail("message " + m.kind() + " #" + m.index() + " dead-lettered twice (offsets " + earlier.offset()
                        + " and " + d.offset() + ")" + context);
            }
            assertEquals(REQUESTS, RawRecords.header(d, "dlq-topic"), m.kind() + context);
            assertEquals(m.key(), RawRecords.utf8(d.key()), "the request's key is kept, " + m.kind() + context);
            byte[] original = m.value() == null ? new byte[0] : m.value();
            assertArrayEquals(original, d.value() == null ? new byte[0] : d.value(),
                    "original bytes of " + m.kind() + " #" + m.index() + context);
            String reason = RawRecords.header(d, "dlq-reason");
            assertNotNull(reason, "dlq-reason of " + m.kind() + context);
            assertTrue(m.reason().matcher(reason).matches(), m.kind() + " #" + m.index() + ": reason '" + reason
                    + "' does not match " + m.reason() + context);
        }
        List<String> notDeadLettered = bad.stream()
                .filter(m -> byOrigin.entrySet().stream().noneMatch(e -> e.getValue() == m
                        && deadByOrigin.containsKey(e.getKey())))
                .map(m -> m.kind() + " #" + m.index()).toList();
        assertTrue(notDeadLettered.isEmpty(), notDeadLettered.size() + " bad messages not dead-lettered, e.g. "
                + notDeadLettered.stream().limit(10).toList() + context);
        assertEquals(bad.size(), dead.size(), "one dead letter per bad message" + context);

        for (Message m : messages) {
            if (m.requestId() == null) {
                continue;
            }
            JsonNode status = statuses.get(m.requestId());
            if (m.good()) {
                assertEquals("succeeded", status.get("outcome").asText(), m.kind() + ": " + status);
            } else {
                assertEquals("failed", status.get("outcome").asText(), m.kind() + ": " + status);
                assertEquals("nango", status.get("error").get("origin").asText(), m.kind() + ": " + status);
            }
        }
    }

    /** A first sync of the drive, to learn the id of its one workbook for single-workbook requests. */
    static String firstSnapshotWorkbookId() throws Exception {
        relay.requestSync("{\"connectionId\":\"alice\",\"requestId\":\"first\"}");
        try (RawRecords workbooks = new RawRecords(kafka.bootstrapServers(), "workbook-relay.workbooks")) {
            List<ConsumerRecord<byte[], byte[]>> records = workbooks.readUntil(r -> !r.isEmpty(),
                    Duration.ofSeconds(60));
            assertEquals(1, records.size(), "the snapshot of the drive's one workbook");
            return JSON.readTree(records.get(0).value()).get("after").get("id").asText();
        }
    }

    static List<Message> generate(Random random, String workbookId) {
        List<Message> messages = new ArrayList<>();
        int ghosts = 0;
        for (int i = 0; i < MESSAGES; i++) {
            if (i % GOOD_EVERY == 0) {
                String id = "good-" + i;
                messages.add(good(i, id, i % (2 * GOOD_EVERY) == 0
                        ? "{\"connectionId\":\"alice\",\"workbookId\":\"" + workbookId + "\",\"requestId\":\"" + id
                                + "\"}"
                        : "{\"connectionId\":\"alice\",\"requestId\":\"" + id + "\",\"extra\":{\"ignored\":[1,2]}}"));
                continue;
            }
            int kind = random.nextInt(ghosts < 30 ? 22 : 20);
            if (kind >= 20) {
                ghosts++;
            }
            messages.add(bad(i, kind, random));
        }
        return messages;
    }

    static Message good(int index, String requestId, String json) {
        return new Message(index, json.contains("workbookId") ? "good single-workbook" : "good drive", "good-" + index,
                json.getBytes(StandardCharsets.UTF_8), null, requestId, true, false);
    }

    static Message bad(int i, int kind, Random random) {
        String key = random.nextInt(10) == 0 ? null : "k-" + random.nextInt(50);
        return switch (kind) {
            case 0 -> bad(i, "not JSON", key, "this is not json #" + i, "(?s)not JSON.*");
            case 1 -> bad(i, "truncated JSON", key, "{\"connectionId\":\"alice\",\"requestId\":\"t-" + i + "\"",
                    "(?s)not JSON.*");
            case 2 -> bad(i, "invalid UTF-8", key, new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'},
                    "(?s)(not JSON|unreadable).*");
            case 3 -> bad(i, "connectionId a number", key, "{\"connectionId\":" + i + "}",
                    "field 'connectionId' must be a string, got number");
            case 4 -> bad(i, "connectionId an object", key, "{\"connectionId\":{\"id\":\"alice\"}}",
                    "field 'connectionId' must be a string, got object");
            case 5 -> bad(i, "requestId a boolean", key, "{\"connectionId\":\"alice\",\"requestId\":true}",
                    "field 'requestId' must be a string, got boolean");
            case 6 -> bad(i, "drive an array", key, "{\"connectionId\":\"alice\",\"drive\":[\"me\"]}",
                    "field 'drive' must be a string, got array");
            case 7 -> bad(i, "no connectionId", key, "{\"requestId\":\"m-" + i + "\",\"drive\":\"me\"}",
                    "connectionId is missing");
            case 8 -> bad(i, "connectionId null", key, random.nextBoolean() ? "{\"connectionId\":null}" : "{}",
                    "connectionId is missing");
            case 9 -> bad(i, "empty", key, new byte[0], "(?s)empty message.*");
            case 10 -> bad(i, "null record", key, (byte[]) null, "(?s)empty message.*");
            case 11 -> bad(i, "JSON null", key, "null", "expected a JSON object, got (null|nothing)");
            case 12 -> bad(i, "JSON array", key, "[{\"connectionId\":\"alice\"}]", "expected a JSON object, got array");
            case 13 -> bad(i, "JSON scalar", key, random.nextBoolean() ? "42" : "\"alice\"",
                    "expected a JSON object, got (number|string)");
            case 14 -> bad(i, "oversized", key, oversized(i), "(?s).*exceeds.*" + MAX_BYTES + ".*");
            case 15 -> bad(i, "random bytes", key, randomBytes(random), "(?s).+");
            case 16 -> bad(i, "bad drive", key, "{\"connectionId\":\"alice\",\"drive\":\"elsewhere/x\"}",
                    "(?s)drive must be.*");
            case 17 -> bad(i, "bad mode", key, "{\"connectionId\":\"alice\",\"mode\":\"sometimes\"}", "(?s).*mode.*");
            case 18 -> bad(i, "connectionId Nango refuses", key, "{\"connectionId\":\"a<b>#" + i + "\"}",
                    "(?s)connectionId has characters.*");
            case 19 -> bad(i, "workbookId not an item id", key,
                    "{\"connectionId\":\"alice\",\"workbookId\":\"a/b/c\"}", "(?s)workbookId is not.*");
            case 20 -> {
                String id = "ghost-" + i;
                yield new Message(i, "unknown connection", key, ("{\"connectionId\":\"" + id + "\",\"requestId\":\""
                        + id + "\"}").getBytes(StandardCharsets.UTF_8),
                        Pattern.compile("(?s).*Failed to get connection.*"), id, false, true);
            }
            default -> {
                String id = "no-integration-" + i;
                yield new Message(i, "unknown integration", key, ("{\"connectionId\":\"alice\",\"providerConfigKey\":"
                        + "\"no-such-integration\",\"requestId\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8),
                        Pattern.compile("(?s).*unknown_provider_config.*"), id, false, true);
            }
        };
    }

    static Message bad(int i, String kind, String key, String value, String reason) {
        return bad(i, kind, key, value.getBytes(StandardCharsets.UTF_8), reason);
    }

    static Message bad(int i, String kind, String key, byte[] value, String reason) {
        return new Message(i, kind, key, value, Pattern.compile(reason), null, false, false);
    }

    /** A request valid in every other way, one byte or more over the limit. */
    static byte[] oversized(int i) {
        String head = "{\"connectionId\":\"alice\",\"requestId\":\"big-" + i + "\",\"source\":\"";
        int pad = MAX_BYTES + 1 + (i % 3) * 500 - head.length() - 2;
        return (head + "x".repeat(Math.max(0, pad)) + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    static byte[] randomBytes(Random random) {
        byte[] bytes = new byte[1 + random.nextInt(300)];
        random.nextBytes(bytes);
        return bytes;
    }

    static KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.LINGER_MS_CONFIG, "5"), new StringSerializer(), new ByteArraySerializer());
    }
}

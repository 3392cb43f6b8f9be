package dev.workbookrelay.sandbox;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.Socket;
import java.time.Duration;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.workbookrelay.sandbox.EventConsole.From;
import dev.workbookrelay.sandbox.TopicReader.ConsumedEvent;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EmbeddedKafkaTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String WORKBOOK_TYPE = "dev.workbookrelay.workbook.snapshot";
    private static final String WORKBOOK_DATA = """
            {"op":"r","source":"contoso","connectionId":"contoso-alice","before":null,
             "after":{"id":"01BYE5RZ6QN3ZWBTUFOFD3GSPGOHDJD36K","name":"Budget 2026.xlsx","parentPath":"/Finance"}}""";

    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startKafka() {
        long started = System.nanoTime();
        kafka = EmbeddedKafka.start();
        System.out.printf("embedded Kafka ready at %s in %d ms%n", kafka.bootstrapServers(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    @AfterAll
    static void stopKafka() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void should_read_back_key_headers_value_and_tombstone_in_order() throws Exception {
        kafka.createTopics("sandbox.round-trip");
        try (KafkaProducer<String, byte[]> producer = producer()) {
            ProducerRecord<String, byte[]> event = record("sandbox.round-trip", "contoso-alice/01ABC", "{\"a\":1}");
            event.headers().add("ce_type", "first".getBytes(UTF_8)).add("ce_type", WORKBOOK_TYPE.getBytes(UTF_8))
                    .add("ce_id", "id-1".getBytes(UTF_8)).add("ce_subject", "workbooks/01ABC".getBytes(UTF_8));
            producer.send(event).get();
            producer.send(record("sandbox.round-trip", "contoso-alice/01ABC", null)).get();
            producer.send(record("sandbox.round-trip", "contoso-alice/01DEF", "{}")).get();
        }

        try (TopicReader reader = new TopicReader(kafka.bootstrapServers(), "sandbox.round-trip")) {
            List<ConsumedEvent> firstTwo = reader.readUntil(2, WAIT);
            List<ConsumedEvent> rest = reader.readQuiet(Duration.ofMillis(500), WAIT);

            assertEquals(2, firstTwo.size(), "readUntil hands out no more than asked for");
            ConsumedEvent published = firstTwo.get(0);
            assertEquals("contoso-alice/01ABC", published.key());
            assertEquals(WORKBOOK_TYPE, published.ceType(), "the last of a repeated header wins");
            assertEquals("id-1", published.ceId());
            assertEquals("workbooks/01ABC", published.ceSubject());
            assertEquals("{\"a\":1}", published.value());
            assertFalse(published.isTombstone());

            ConsumedEvent tombstone = firstTwo.get(1);
            assertEquals("contoso-alice/01ABC", tombstone.key());
            assertTrue(tombstone.isTombstone());
            assertNull(tombstone.value());
            assertEquals(published.offset() + 1, tombstone.offset());

            assertEquals(List.of("contoso-alice/01DEF"), rest.stream().map(ConsumedEvent::key).toList(),
                    "what readUntil received beyond its count is kept for the next read");
        }
    }

    @Test
    void should_print_a_line_for_each_cloud_event_as_it_lands() throws Exception {
        String topic = "workbook-relay.workbooks";
        kafka.createTopics(topic);
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (EventConsole console = new EventConsole(kafka.bootstrapServers(), List.of(topic), From.BEGINNING,
                new PrintStream(printed, true, UTF_8));
                KafkaProducer<String, byte[]> producer = producer()) {
            ProducerRecord<String, byte[]> event = record(topic, "contoso-alice/01BYE5RZ6QN3ZWBTUFOFD3GSPGOHDJD36K",
                    WORKBOOK_DATA);
            event.headers().add("ce_type", WORKBOOK_TYPE.getBytes(UTF_8));
            producer.send(event).get();
            producer.send(record(topic, "contoso-alice/01BYE5RZ6QN3ZWBTUFOFD3GSPGOHDJD36K", null)).get();

            List<String> lines = awaitLines(printed, 2);
            assertTrue(lines.get(0).matches("\\d\\d:\\d\\d:\\d\\d  workbooks\\s+" + WORKBOOK_TYPE
                    + "\\s+contoso-alice/01BYE5RZ…\\s+Finance/Budget 2026.xlsx"), lines.get(0));
            assertTrue(lines.get(1).endsWith("(tombstone)"), lines.get(1));
        }
    }

    @Test
    void should_print_from_now_on_including_topics_created_later() throws Exception {
        kafka.createTopics("sandbox.console-old");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (KafkaProducer<String, byte[]> producer = producer()) {
            producer.send(record("sandbox.console-old", "k", "published before the console")).get();
            Thread.sleep(20); // record timestamps have millisecond resolution
            try (EventConsole console = new EventConsole(kafka.bootstrapServers(),
                    List.of("sandbox.console-old", "sandbox.console-new"), From.NOW, new PrintStream(printed, true,
                            UTF_8))) {
                producer.send(record("sandbox.console-old", "k", "published after")).get();
                kafka.createTopics("sandbox.console-new");
                producer.send(record("sandbox.console-new", "k", "in a new topic")).get();

                List<String> lines = awaitLines(printed, 2);
                assertEquals(2, lines.size(), String.join("\n", lines));
                assertTrue(lines.stream().anyMatch(line -> line.endsWith("published after")), printed.toString(UTF_8));
                assertTrue(lines.stream().anyMatch(line -> line.endsWith("in a new topic")), printed.toString(UTF_8));
            }
        }
    }

    @Test
    void should_describe_worksheets_statuses_and_values_it_cannot_read() {
        assertEquals("Q1  (position 2, Hidden)", EventConsole.summary(event("""
                {"op":"r","before":null,"after":{"id":"{00000000-0001}","name":"Q1","position":2,"visibility":"Hidden"}}""")));
        assertEquals("Budget.xlsx  (deleted)", EventConsole.summary(event("""
                {"op":"d","before":{"name":"Budget.xlsx","parentPath":"/"},"after":null}""")));
        assertEquals("succeeded  3 workbooks, 12 worksheets, 16 graph calls, 842 ms", EventConsole.summary(event("""
                {"outcome":"succeeded","workbooks":3,"worksheets":12,"graphCalls":16,"durationMs":842,"error":null}""")));
        assertEquals("failed  0 workbooks, 0 worksheets, 1 graph calls, 40 ms  error: graph 429 TooManyRequests: slow down",
                EventConsole.summary(event("""
                        {"outcome":"failed","workbooks":0,"worksheets":0,"graphCalls":1,"durationMs":40,
                         "error":{"origin":"graph","status":429,"code":"TooManyRequests","reason":"slow down"}}""")));
        assertEquals("not json at all", EventConsole.summary(event("not json at all")));
        assertEquals("x".repeat(100) + "…", EventConsole.summary(event("x".repeat(150))));
        assertEquals("12:01:03  sync-status  -" + " ".repeat(39) + "-" + " ".repeat(25) + "(tombstone)",
                EventConsole.line(new ConsumedEvent("workbook-relay.sync-status", 0, 0, null, Map.of(), null),
                        LocalTime.of(12, 1, 3)));
    }

    @Test
    void should_keep_records_and_address_across_a_broker_restart() throws Exception {
        kafka.createTopics("sandbox.restart");
        String address = kafka.bootstrapServers();
        int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
        try (KafkaProducer<String, byte[]> producer = producer()) {
            producer.send(record("sandbox.restart", "k", "before")).get();

            long stopping = System.nanoTime();
            kafka.stopBroker();
            assertThrows(ConnectException.class, () -> new Socket("localhost", port).close(),
                    "a stopped broker refuses connections");
            kafka.restartBroker();
            System.out.printf("broker stopped and restarted in %d ms%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopping));

            assertEquals(address, kafka.bootstrapServers());
            // a client created before the outage finds the broker again on its own
            producer.send(record("sandbox.restart", "k", "after")).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
        try (TopicReader reader = new TopicReader(kafka.bootstrapServers(), "sandbox.restart")) {
            assertEquals(List.of("before", "after"),
                    reader.readUntil(2, WAIT).stream().map(ConsumedEvent::value).toList());
        }
    }

    private static KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()));
    }

    private static ProducerRecord<String, byte[]> record(String topic, String key, String value) {
        return new ProducerRecord<>(topic, key, value == null ? null : value.getBytes(UTF_8));
    }

    private static ConsumedEvent event(String value) {
        return new ConsumedEvent("workbook-relay.workbooks", 0, 0, "c/w", Map.of(), value);
    }

    /** Waits until the console printed {@code count} lines, then a little longer to catch any extra line. */
    private static List<String> awaitLines(ByteArrayOutputStream printed, int count) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (lines(printed).size() < count && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        Thread.sleep(300);
        return lines(printed);
    }

    private static List<String> lines(ByteArrayOutputStream printed) {
        return printed.toString(UTF_8).lines().toList();
    }
}

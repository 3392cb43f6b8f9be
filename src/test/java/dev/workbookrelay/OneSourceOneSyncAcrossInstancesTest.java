package dev.workbookrelay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workbookrelay.sandbox.EmbeddedKafka;
import dev.workbookrelay.sandbox.NangoGraphEmulator;
import dev.workbookrelay.sandbox.RecordedRequest;
import dev.workbookrelay.sandbox.SampleWorkbooks;
import dev.workbookrelay.sandbox.SampleWorkbooks.SheetSpec;
import dev.workbookrelay.sandbox.TopicReader;
import dev.workbookrelay.sandbox.TopicReader.ConsumedEvent;
import dev.workbookrelay.support.PostgresSchema;
import dev.workbookrelay.support.RelayFixture;
import dev.workbookrelay.support.RunningRelay;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances on one PostgreSQL, each handed a full sync of the same source at the same moment (the requests on
 * two partitions, one per instance): the source's lease lets only one enumerate at a time. Without it both
 * enumerations overwrite the workbooks' last-seen mark and the first to finish publishes the other's workbooks as
 * deleted, with tombstones.
 */
class OneSourceOneSyncAcrossInstancesTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void twoFullSyncsOfOneSourceOnTwoInstancesRunOneAfterTheOtherAndDeleteNothing() throws Exception {
        Path drive = Files.createDirectories(dir.resolve("drive"));
        for (int i = 1; i <= 6; i++) {
            SampleWorkbooks.write(drive.resolve("Book " + i + ".xlsx"), SheetSpec.of("Sheet " + i));
        }
        String secret = UUID.randomUUID().toString();
        try (EmbeddedKafka kafka = EmbeddedKafka.start();
                NangoGraphEmulator nango = NangoGraphEmulator.builder().secretKey(secret)
                        .connection("microsoft-excel", "zoe", drive).build().start();
                PostgresSchema schema = new PostgresSchema("relay_lease")) {
            kafka.createTopics(2, "workbook-relay.sync-requests");
            kafka.createTopics(RelayFixture.TOPICS);
            Map<String, String> settings = Map.of("workbook-relay.state.jdbc-url", schema.url());
            try (RunningRelay a = RunningRelay.start(kafka.bootstrapServers(), nango.baseUrl(), secret, settings);
                    RunningRelay b = RunningRelay.start(kafka.bootstrapServers(), nango.baseUrl(), secret, settings);
                    KafkaProducer<String, byte[]> producer = producer(kafka)) {
                awaitBothPartitionsTaken(kafka);
                // a first snapshot, so that a false deletion would have something to delete
                send(producer, 0, "first");
                await(kafka, 1);
                nango.clearRequests();
                nango.faults().delayEach(Duration.ofMillis(150));

                send(producer, 0, "full-a");
                send(producer, 1, "full-b");
                List<JsonNode> statuses = await(kafka, 3);

                assertTrue(statuses.stream().allMatch(s -> s.get("outcome").asText().equals("succeeded")),
                        statuses.toString());
                List<RecordedRequest> calls = nango.requests();
                List<RecordedRequest> starts = calls.stream().filter(r -> r.pathAndQuery().contains("/root/delta"))
                        .sorted(Comparator.comparing(RecordedRequest::receivedAt)).toList();
                assertEquals(2, starts.size(), "two enumerations");
                Instant secondStart = starts.get(1).receivedAt();
                Instant firstEnd = calls.stream().filter(r -> r.receivedAt().isBefore(secondStart))
                        .map(RecordedRequest::answeredAt).max(Comparator.naturalOrder()).orElseThrow();
                assertTrue(secondStart.isAfter(firstEnd), "the second enumeration began after the first was done");
                try (TopicReader reader = new TopicReader(kafka.bootstrapServers(), "workbook-relay.workbooks",
                        "workbook-relay.worksheets")) {
                    List<ConsumedEvent> events = reader.readQuiet(Duration.ofSeconds(2), Duration.ofSeconds(30));
                    assertTrue(events.stream().noneMatch(e -> e.value() == null
                            || e.ceType().endsWith(".deleted") || e.ceType().endsWith(".removed")),
                            "no workbook of the drive was published as deleted");
                    assertEquals(3 * 12, events.size(), "three snapshots of 6 workbooks and 6 worksheets");
                }
            }
        }
    }

    private static void send(KafkaProducer<String, byte[]> producer, int partition, String requestId)
            throws Exception {
        String request = "{\"connectionId\":\"zoe\",\"requestId\":\"" + requestId + "\""
                + (requestId.startsWith("full") ? ",\"mode\":\"full\"" : "") + "}";
        producer.send(new ProducerRecord<>("workbook-relay.sync-requests", partition, null,
                request.getBytes(StandardCharsets.UTF_8))).get();
    }

    private static List<JsonNode> await(EmbeddedKafka kafka, int count) throws Exception {
        try (TopicReader reader = new TopicReader(kafka.bootstrapServers(), "workbook-relay.sync-status")) {
            List<ConsumedEvent> events = reader.readUntil(count, Duration.ofSeconds(60));
            assertEquals(count, events.size(), "statuses");
            List<JsonNode> statuses = new java.util.ArrayList<>();
            for (ConsumedEvent e : events) {
                statuses.add(JSON.readTree(e.value()));
            }
            return statuses;
        }
    }

    /** Until the group has both members, each with one of the two partitions. */
    private static void awaitBothPartitionsTaken(EmbeddedKafka kafka) throws Exception {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (Admin admin = Admin.create(p)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline) {
                var members = admin.describeConsumerGroups(List.of("workbook-relay")).all().get()
                        .get("workbook-relay").members();
                if (members.size() == 2 && members.stream().allMatch(m -> m.assignment().topicPartitions()
                        .size() == 1)) {
                    return;
                }
                Thread.sleep(200);
            }
        }
        throw new AssertionError("the two relays did not share the two partitions");
    }

    private static KafkaProducer<String, byte[]> producer(EmbeddedKafka kafka) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new KafkaProducer<>(p);
    }
}

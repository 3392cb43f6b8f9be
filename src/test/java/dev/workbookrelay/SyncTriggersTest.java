package dev.workbookrelay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workbookrelay.sandbox.SampleWorkbooks;
import dev.workbookrelay.sandbox.Sandbox;
import dev.workbookrelay.sandbox.TopicReader;
import dev.workbookrelay.sandbox.TopicReader.ConsumedEvent;
import dev.workbookrelay.support.RelayFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both triggers feed the one pipeline: the shipped routes plus the sandbox's source on its quartz schedule, over
 * the sample drive, and a sync request from Kafka, which can name a single workbook.
 */
class SyncTriggersTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path drive;
    static RelayFixture fixture;

    @BeforeAll
    static void start() throws Exception {
        SampleWorkbooks.createSampleDrive(drive);
        fixture = new RelayFixture(Map.of("sandbox-user", drive), Map.of(
                "camel.main.routes-include-pattern", Sandbox.ROUTES,
                "workbook-relay.sandbox.cron", "0/2 * * * * ?"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void theShippedScheduleSyncsTheSampleDriveAndARequestCanSyncOneWorkbook() throws Exception {
        List<ConsumedEvent> scheduled;
        try (TopicReader reader = new TopicReader(fixture.kafka.bootstrapServers(), "workbook-relay.sync-status")) {
            scheduled = reader.readUntil(1, Duration.ofSeconds(30));
        }
        assertEquals(1, scheduled.size(), "the quartz schedule started a sync");
        JsonNode status = JSON.readTree(scheduled.get(0).value());
        assertEquals("schedule", status.get("trigger").asText());
        assertEquals("sandbox-onedrive", status.get("source").asText());
        assertEquals("succeeded", status.get("outcome").asText(), status.toString());
        int sampleWorkbooks;
        try (var files = Files.walk(drive)) {
            sampleWorkbooks = (int) files.filter(p -> p.toString().endsWith(".xlsx")).count();
        }
        assertEquals(sampleWorkbooks, status.get("workbooks").asInt(), "every sample .xlsx, nothing else");

        // quiet the schedule, then ask for a full read of one workbook alone
        fixture.relay.context().getRouteController().stopRoute("sandbox-onedrive");
        List<ConsumedEvent> before = allEvents();
        String workbookId = JSON.readTree(before.stream().filter(e -> e.topic().equals("workbook-relay.workbooks"))
                .findFirst().orElseThrow().value()).get("after").get("id").asText();
        fixture.relay.requestSync("{\"connectionId\":\"sandbox-user\",\"workbookId\":\"" + workbookId
                + "\",\"requestId\":\"just-one\",\"mode\":\"full\"}");
        try (TopicReader reader = new TopicReader(fixture.kafka.bootstrapServers(), "workbook-relay.sync-status")) {
            JsonNode one = reader.readQuiet(Duration.ofSeconds(1), Duration.ofSeconds(30)).stream()
                    .map(e -> read(e.value())).filter(s -> s.get("requestId").asText().equals("just-one"))
                    .findFirst().orElseThrow();
            assertEquals("request", one.get("trigger").asText());
            assertEquals("succeeded", one.get("outcome").asText(), one.toString());
            assertEquals(1, one.get("workbooks").asInt());
            assertEquals(workbookId, one.get("workbookId").asText());
            assertEquals(0, one.get("pages").asInt(), "no drive enumeration for a single workbook");
            assertEquals(2, one.get("graphCalls").asInt(), "the item and its worksheets");
            assertEquals(1 + one.get("worksheets").asInt(), one.get("events").asInt());
        }
        List<ConsumedEvent> after = allEvents();
        List<ConsumedEvent> added = after.stream().filter(e -> before.stream().noneMatch(
                b -> b.topic().equals(e.topic()) && b.offset() == e.offset())).toList();
        assertFalse(added.isEmpty());
        assertTrue(added.stream().allMatch(e -> e.key().startsWith("sandbox-user/" + workbookId)),
                "only the requested workbook: " + added.stream().map(ConsumedEvent::key).toList());
    }

    private static List<ConsumedEvent> allEvents() {
        try (TopicReader reader = new TopicReader(fixture.kafka.bootstrapServers(), "workbook-relay.workbooks",
                "workbook-relay.worksheets")) {
            return reader.readQuiet(Duration.ofSeconds(2), Duration.ofSeconds(20));
        }
    }

    private static JsonNode read(String value) {
        try {
            return JSON.readTree(value);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}

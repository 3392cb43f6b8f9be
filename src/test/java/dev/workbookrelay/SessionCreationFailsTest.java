package dev.workbookrelay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workbookrelay.sandbox.RecordedRequest;
import dev.workbookrelay.sandbox.SampleWorkbooks;
import dev.workbookrelay.sandbox.SampleWorkbooks.SheetSpec;
import dev.workbookrelay.sandbox.TopicReader;
import dev.workbookrelay.sandbox.TopicReader.ConsumedEvent;
import dev.workbookrelay.support.RelayFixture;
import dev.workbookrelay.support.SyncStatuses;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Graph creates workbook sessions in the background (202, an operation to poll) and the operation ends
 * {@code failed}: the rows are still read, without a session, and published.
 */
class SessionCreationFailsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static String after(String event) {
        try {
            return JSON.readTree(event).path("after").toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aSessionWhoseCreationFailsLeavesTheRowsReadWithoutOne() throws Exception {
        Path drive = Files.createDirectories(dir.resolve("ann"));
        SampleWorkbooks.write(drive.resolve("Small.xlsx"), SheetSpec.of("Data", List.of("Item", "Qty"),
                List.of("Bolts", 10), List.of("Nuts", 20)));
        try (RelayFixture fixture = new RelayFixture(Map.of("ann", drive),
                Map.of("workbook-relay.rows.session-poll-initial-ms", "50"),
                emulator -> emulator.createSessionAsyncFailing(1))) {
            fixture.relay.requestSync("{\"connectionId\":\"ann\",\"requestId\":\"r-1\",\"rows\":\"all\"}");
            JsonNode status = SyncStatuses.await(fixture.kafka.bootstrapServers(), "r-1");
            assertEquals("succeeded", status.get("outcome").asText(), status.toString());

            List<String> rows;
            try (TopicReader reader = new TopicReader(fixture.kafka.bootstrapServers(), "workbook-relay.rows")) {
                rows = reader.readQuiet(Duration.ofMillis(500), Duration.ofSeconds(20)).stream()
                        .map(ConsumedEvent::value).map(SessionCreationFailsTest::after).toList();
            }
            assertEquals(List.of("{\"Item\":\"Bolts\",\"Qty\":10}", "{\"Item\":\"Nuts\",\"Qty\":20}"), rows);

            List<RecordedRequest> calls = fixture.nango.requests();
            List<String> polls = calls.stream().map(RecordedRequest::pathAndQuery)
                    .filter(p -> p.contains("/workbook/operations/")).toList();
            assertEquals(2, polls.size(), "running, then failed: " + polls);
            List<RecordedRequest> reads = calls.stream().filter(r -> r.pathAndQuery().contains("range(address="))
                    .toList();
            assertTrue(!reads.isEmpty() && reads.stream()
                    .allMatch(r -> r.header("nango-proxy-workbook-session-id") == null), "read without a session");
            assertTrue(calls.stream().noneMatch(r -> r.pathAndQuery().endsWith("/closeSession")),
                    "no session to close");
        }
    }
}

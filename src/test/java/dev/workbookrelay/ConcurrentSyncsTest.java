package dev.workbookrelay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workbookrelay.sandbox.RecordedRequest;
import dev.workbookrelay.sandbox.SampleWorkbooks;
import dev.workbookrelay.sandbox.SampleWorkbooks.SheetSpec;
import dev.workbookrelay.sandbox.TopicReader;
import dev.workbookrelay.support.RelayFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Syncs of different sources run side by side, off the consumer's thread; requests for a source that is syncing
 * are merged into one more sync, never run beside it. Read back from the emulator's arrival and answer times.
 */
class ConcurrentSyncsTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void syncsOfDifferentConnectionsRunAtTheSameTime() throws Exception {
        Map<String, Path> drives = new LinkedHashMap<>();
        for (String user : List.of("ann", "ben", "cat", "dan")) {
            drives.put(user, drive(user, 3));
        }
        try (RelayFixture fixture = new RelayFixture(drives, Map.of("workbook-relay.sync.max-concurrent-syncs", "4"))) {
            fixture.nango.faults().delayEach(Duration.ofMillis(300));
            for (String user : drives.keySet()) {
                fixture.relay.requestSync("{\"connectionId\":\"" + user + "\",\"requestId\":\"r-" + user + "\"}");
            }
            List<JsonNode> statuses = statuses(fixture, 4);

            assertTrue(statuses.stream().allMatch(s -> s.get("outcome").asText().equals("succeeded")),
                    statuses.toString());
            List<RecordedRequest> firstPages = fixture.nango.requests().stream()
                    .filter(r -> r.pathAndQuery().contains("/root/delta")).toList();
            assertEquals(4, firstPages.size());
            assertEquals(4, WorkbookConcurrencyTest.mostAtOnce(firstPages),
                    "the four syncs' delta listings were at Graph at the same time, not one after the other");
        }
    }

    @Test
    void requestsForASourceThatIsSyncingMergeIntoOneMoreSyncAndNeverRunBesideIt() throws Exception {
        try (RelayFixture fixture = new RelayFixture(Map.of("eve", drive("eve", 4)), Map.of())) {
            fixture.nango.faults().delayEach(Duration.ofMillis(300));
            fixture.relay.requestSync("{\"connectionId\":\"eve\",\"requestId\":\"first\"}");
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (fixture.nango.requests().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            Set<String> later = new HashSet<>();
            for (int i = 0; i < 10; i++) {
                fixture.relay.requestSync("{\"connectionId\":\"eve\",\"requestId\":\"later-" + i + "\"}");
                later.add("later-" + i);
            }
            statuses(fixture, 2);
            // a third sync, if one were (wrongly) queued, would publish its status within the quiet period
            List<JsonNode> statuses = allStatuses(fixture, Duration.ofSeconds(3));

            assertEquals(2, statuses.size(), "the running sync and one more: " + statuses);
            assertEquals("first", statuses.get(0).get("requestId").asText());
            Set<String> merged = new HashSet<>();
            merged.add(statuses.get(1).get("requestId").asText());
            statuses.get(1).get("coalescedRequestIds").forEach(id -> merged.add(id.asText()));
            assertEquals(later, merged, "every later request is in the second sync");
            List<RecordedRequest> deltas = fixture.nango.requests().stream()
                    .filter(r -> r.pathAndQuery().contains("/root/delta")).toList();
            assertEquals(2, deltas.size());
            assertTrue(deltas.get(1).receivedAt().isAfter(fixture.nango.requests().stream()
                    .filter(r -> r.receivedAt().isBefore(deltas.get(1).receivedAt()))
                    .map(RecordedRequest::answeredAt).max(java.util.Comparator.naturalOrder()).orElseThrow()),
                    "the second sync began after every call of the first was answered");
        }
    }

    @Test
    void aRequestDeliveredAgainAfterItsSyncSucceededIsNotSyncedAgain() throws Exception {
        try (RelayFixture fixture = new RelayFixture(Map.of("fay", drive("fay", 2)), Map.of())) {
            fixture.relay.requestSync("{\"connectionId\":\"fay\",\"requestId\":\"tick-1\"}");
            statuses(fixture, 1);
            int calls = fixture.nango.graphCalls();

            fixture.relay.requestSync("{\"connectionId\":\"fay\",\"requestId\":\"tick-1\"}"); // as after a rebalance
            fixture.relay.requestSync("{\"connectionId\":\"fay\",\"requestId\":\"tick-2\"}");
            statuses(fixture, 2);
            List<JsonNode> statuses = allStatuses(fixture, Duration.ofSeconds(2));

            assertEquals(List.of("tick-1", "tick-2"), statuses.stream().map(s -> s.get("requestId").asText())
                    .toList(), "tick-1 synced once");
            assertEquals(calls + 1, fixture.nango.graphCalls(), "only tick-2's delta call");
        }
    }

    private static List<JsonNode> allStatuses(RelayFixture fixture, Duration quiet) throws Exception {
        try (TopicReader reader = new TopicReader(fixture.kafka.bootstrapServers(), "workbook-relay.sync-status")) {
            List<JsonNode> statuses = new ArrayList<>();
            for (TopicReader.ConsumedEvent e : reader.readQuiet(quiet, Duration.ofSeconds(60))) {
                statuses.add(JSON.readTree(e.value()));
            }
            return statuses;
        }
    }

    private Path drive(String user, int workbooks) throws Exception {
        Path drive = Files.createDirectories(dir.resolve(user));
        for (int i = 1; i <= workbooks; i++) {
            SampleWorkbooks.write(drive.resolve(user + " " + i + ".xlsx"), SheetSpec.of("Sheet " + i));
        }
        return drive;
    }

    /** The sync statuses published so far, at least {@code atLeast} of them (waiting up to a minute). */
    private static List<JsonNode> statuses(RelayFixture fixture, int atLeast) throws Exception {
        try (TopicReader reader = new TopicReader(fixture.kafka.bootstrapServers(), "workbook-relay.sync-status")) {
            List<JsonNode> statuses = new ArrayList<>();
            for (TopicReader.ConsumedEvent e : reader.readUntil(atLeast, Duration.ofSeconds(60))) {
                statuses.add(JSON.readTree(e.value()));
            }
            return statuses;
        }
    }
}

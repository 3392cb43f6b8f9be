package dev.workbookrelay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.workbookrelay.sandbox.SampleWorkbooks;
import dev.workbookrelay.sandbox.SampleWorkbooks.SheetSpec;
import dev.workbookrelay.sandbox.TopicReader;
import dev.workbookrelay.sandbox.TopicReader.ConsumedEvent;
import dev.workbookrelay.support.EventSchemas;
import dev.workbookrelay.support.RelayFixture;
import dev.workbookrelay.support.SyncStatuses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whether a workbook exists is the drive's word (its delta), never the workbook API's: a workbook whose worksheets
 * cannot be read gets its own events, is named in the status and read again next time, and is never published as
 * deleted, in an incremental sync, a full one or a resync. A source whose workbook never loads is not stuck.
 */
class ExistenceFromTheDriveTest {

    static final String WORKSHEETS = "/workbook/worksheets";

    @TempDir
    static Path drives;
    static RelayFixture fixture;

    @BeforeAll
    static void start() throws Exception {
        Map<String, Path> connections = new LinkedHashMap<>();
        for (String connection : List.of("gil", "hal", "ivy")) {
            Path drive = Files.createDirectories(drives.resolve(connection));
            for (String book : List.of("Alpha", "Bravo", "Charlie")) {
                SampleWorkbooks.write(drive.resolve(book + ".xlsx"), SheetSpec.of(book + " sheet"));
            }
            connections.put(connection, drive);
        }
        fixture = new RelayFixture(connections, Map.of(
                // one worksheet call at a time: the injected failures land on the workbooks in turn
                "workbook-relay.sync.concurrency", "1",
                "workbook-relay.graph.retry.max-attempts", "3",
                "workbook-relay.graph.retry.initial-delay-ms", "50",
                "workbook-relay.graph.retry.max-delay-ms", "100"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void workbooksListedByTheDriveWhoseSheetsAnswer404AreSkippedNotDeletedAndReadAgainNextSync() throws Exception {
        // the case: delta lists three workbooks, the worksheet calls of two answer 404 itemNotFound
        fixture.nango.faults().failNext("/items/[^/]+" + WORKSHEETS, 2, 404);

        JsonNode first = sync("gil", "incremental");

        assertEquals("succeeded", first.get("outcome").asText(), first.toString());
        assertEquals(3, first.get("workbooks").asInt());
        assertEquals(2, first.get("skippedCount").asInt());
        assertEquals(2, first.get("skipped").size());
        assertEquals(first.get("workbooks").asInt(), first.get("changed").asInt() + first.get("unchanged").asInt()
                + first.get("skippedCount").asInt(), "the counters add up");
        first.get("skipped").forEach(s -> assertEquals(404, s.get("status").asInt(), s.toString()));
        assertTrue(EventSchemas.check("sync-status", first.toString()).isEmpty());
        List<ConsumedEvent> events = events("gil");
        assertEquals(3, count(events, "dev.workbookrelay.workbook.snapshot"), "every listed workbook published");
        assertEquals(1, count(events, "dev.workbookrelay.worksheet.snapshot"), "the one whose sheets loaded");
        assertEquals(0, count(events, "dev.workbookrelay.workbook.deleted"));

        JsonNode second = sync("gil", "incremental");

        assertEquals(0, second.get("skippedCount").asInt(), second.toString());
        assertEquals(2, second.get("workbooks").asInt(), "the two read again");
        assertEquals(2, second.get("changed").asInt());
        assertEquals(2, count(events("gil"), "dev.workbookrelay.worksheet.added"), "their worksheets, at last");
        JsonNode third = sync("gil", "incremental");
        assertEquals(1, third.get("graphCalls").asInt(), "then nothing is pending: one delta call");
    }

    @Test
    void aFullSyncAndAResyncNeverPublishAsDeletedAWorkbookGraphRefused() throws Exception {
        assertEquals("succeeded", sync("hal", "incremental").get("outcome").asText());

        fixture.nango.faults().failNext("/items/[^/]+" + WORKSHEETS, 1, 403);
        JsonNode full = sync("hal", "full");
        assertEquals(1, full.get("skippedCount").asInt(), full.toString());

        fixture.nango.expireDeltaTokens();
        fixture.nango.faults().failNext("/items/[^/]+" + WORKSHEETS, 1, 401);
        JsonNode resync = sync("hal", "incremental");
        assertEquals("resync", resync.get("mode").asText(), resync.toString());

        List<ConsumedEvent> events = events("hal");
        assertEquals(0, count(events, "dev.workbookrelay.workbook.deleted"), "nothing deleted");
        assertTrue(events.stream().noneMatch(ConsumedEvent::isTombstone), "no tombstone");
    }

    @Test
    void aWorkbookWhoseSheetsNeverLoadDoesNotStopTheSourceFromSyncing() throws Exception {
        // 500 generalException on every attempt: before, the sync failed at this page every time, for ever
        fixture.nango.faults().failNext("/items/[^/]+" + WORKSHEETS, 3, 500);

        JsonNode status = sync("ivy", "incremental");

        assertEquals("succeeded", status.get("outcome").asText(), status.toString());
        assertEquals(1, status.get("skippedCount").asInt());
        assertEquals(500, status.get("skipped").get(0).get("status").asInt());
        assertEquals(2, status.get("changed").asInt(), "the others synced");
        assertEquals(0, sync("ivy", "incremental").get("skippedCount").asInt(), "read at the next sync");
    }

    static JsonNode sync(String connectionId, String mode) throws Exception {
        String requestId = "r-" + UUID.randomUUID();
        fixture.relay.requestSync("{\"connectionId\":\"" + connectionId + "\",\"mode\":\"" + mode
                + "\",\"requestId\":\"" + requestId + "\"}");
        return SyncStatuses.await(fixture.kafka.bootstrapServers(), requestId);
    }

    static List<ConsumedEvent> events(String connectionId) {
        try (TopicReader reader = new TopicReader(fixture.kafka.bootstrapServers(), "workbook-relay.workbooks",
                "workbook-relay.worksheets")) {
            return reader.readQuiet(java.time.Duration.ofMillis(700), java.time.Duration.ofSeconds(20)).stream()
                    .filter(e -> e.key() != null && e.key().startsWith(connectionId + "/")).toList();
        }
    }

    static long count(List<ConsumedEvent> events, String type) {
        return events.stream().filter(e -> type.equals(e.ceType())).count();
    }
}

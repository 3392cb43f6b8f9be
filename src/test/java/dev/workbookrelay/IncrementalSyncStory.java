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
import dev.workbookrelay.sandbox.WorksheetVisibility;
import dev.workbookrelay.support.RelayFixture;
import dev.workbookrelay.support.RunningRelay;
import dev.workbookrelay.support.SyncStatuses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The incremental-sync story, step by step against the emulator's real delta semantics: each change made on
 * disk yields exactly its events, in order, tombstones included; a sync with no change costs one delta call and
 * nothing else; state survives a restart; a 410 ends in reconciliation; an interrupted enumeration resumes from
 * its checkpoint. Runs once per state database (subclasses).
 */
abstract class IncrementalSyncStory {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path drive;
    EmbeddedKafka kafka;
    NangoGraphEmulator nango;
    RunningRelay relay;
    TopicReader events;
    final String secret = UUID.randomUUID().toString();
    final Map<String, String> names = new HashMap<>(); // workbook or worksheet id -> last known name
    final Map<String, String> sheetWorkbook = new HashMap<>(); // worksheet id -> workbook id
    int requests;

    /** The JDBC URL of the state database this run uses (shared across relay restarts). */
    abstract String stateUrl() throws Exception;

    @BeforeEach
    void start() throws Exception {
        Files.createDirectories(drive.resolve("Finance"));
        SampleWorkbooks.write(drive.resolve("Finance/A.xlsx"), SheetSpec.of("S1"), SheetSpec.of("S2"));
        SampleWorkbooks.write(drive.resolve("B.xlsx"), SheetSpec.of("X"));
        kafka = EmbeddedKafka.start();
        kafka.createTopics(RelayFixture.TOPICS);
        nango = NangoGraphEmulator.builder().secretKey(secret).connection("microsoft-excel", "dora", drive)
                .pageSize(2).relistChangedDuringPaging(true).build().start();
        relay = startRelay();
        events = new TopicReader(kafka.bootstrapServers(), "workbook-relay.workbooks", "workbook-relay.worksheets");
    }

    RunningRelay startRelay() throws Exception {
        return RunningRelay.start(kafka.bootstrapServers(), nango.baseUrl(), secret, Map.of(
                "workbook-relay.state.jdbc-url", stateUrl(), "workbook-relay.graph.page-size", "2",
                // a page that keeps failing exhausts its retries quickly
                "workbook-relay.graph.retry.max-attempts", "3", "workbook-relay.graph.retry.initial-delay-ms", "20"));
    }

    @AfterEach
    void stop() throws Exception {
        try (TopicReader e = events; EmbeddedKafka k = kafka; NangoGraphEmulator n = nango; RunningRelay r = relay) {
            // closed in reverse order
        }
    }

    @Test
    void everyChangeOnDiskYieldsExactlyItsEventsInOrder() throws Exception {
        JsonNode first = sync(null);
        assertEquals("snapshot", first.get("mode").asText());
        List<String> snapshot = new ArrayList<>(step());
        snapshot.sort(null);
        assertEquals(List.of("workbook.snapshot A.xlsx", "workbook.snapshot B.xlsx", "worksheet.snapshot A.xlsx/S1",
                "worksheet.snapshot A.xlsx/S2", "worksheet.snapshot B.xlsx/X"), snapshot);

        SampleWorkbooks.write(drive.resolve("C.xlsx"), SheetSpec.of("Main"));
        assertEquals(List.of("workbook.created C.xlsx", "worksheet.added C.xlsx/Main"), syncStep());

        Path a = drive.resolve("Finance/A.xlsx");
        SampleWorkbooks.addSheet(a, SheetSpec.of("S3"));
        assertEquals(List.of("workbook.updated A.xlsx", "worksheet.added A.xlsx/S3"), syncStep());

        SampleWorkbooks.renameSheet(a, "S1", "Intro");
        assertEquals(List.of("workbook.updated A.xlsx", "worksheet.renamed A.xlsx/Intro"), syncStep());

        SampleWorkbooks.moveSheet(a, "S3", 0);
        assertEquals(List.of("workbook.updated A.xlsx", "worksheet.moved A.xlsx/S3", "worksheet.moved A.xlsx/Intro",
                "worksheet.moved A.xlsx/S2"), syncStep());

        SampleWorkbooks.setVisibility(a, "Intro", WorksheetVisibility.HIDDEN);
        assertEquals(List.of("workbook.updated A.xlsx", "worksheet.visibility-changed A.xlsx/Intro"), syncStep());

        SampleWorkbooks.removeSheet(a, "S2");
        assertEquals(List.of("workbook.updated A.xlsx", "worksheet.removed A.xlsx/S2", "tombstone A.xlsx/S2"),
                syncStep());

        Files.move(drive.resolve("B.xlsx"), drive.resolve("B2.xlsx"));
        assertEquals(List.of("workbook.renamed B2.xlsx"), syncStep());

        Files.move(drive.resolve("C.xlsx"), drive.resolve("Finance/C.xlsx"));
        assertEquals(List.of("workbook.moved C.xlsx"), syncStep());

        Files.delete(a);
        assertEquals(List.of("workbook.deleted A.xlsx", "tombstone A.xlsx", "worksheet.removed A.xlsx/S3",
                "worksheet.removed A.xlsx/Intro", "tombstone A.xlsx/S3", "tombstone A.xlsx/Intro"), syncStep());

        nango.clearRequests();
        JsonNode quiet = sync(null);
        assertEquals(List.of(), step(), "no change, no event");
        assertEquals("incremental", quiet.get("mode").asText());
        assertEquals(1, quiet.get("graphCalls").asInt(), "one delta page and no workbook call");
        assertEquals(1, nango.requests().size());
        assertTrue(nango.requests().get(0).pathAndQuery().contains("token="));

        try (TopicReader statuses = new TopicReader(kafka.bootstrapServers(), "workbook-relay.sync-status")) {
            List<String> syncIds = statuses.readQuiet(Duration.ofSeconds(1), Duration.ofSeconds(10)).stream()
                    .map(ConsumedEvent::ceId).toList();
            assertEquals(requests, syncIds.size(), "one status per sync");
            assertEquals(requests, syncIds.stream().distinct().count());
        }
    }

    @Test
    void stateSurvivesARestartAndAFourTenEndsInReconciliation() throws Exception {
        sync(null);
        step();
        relay.close();
        SampleWorkbooks.write(drive.resolve("D.xlsx"), SheetSpec.of("One"));
        relay = startRelay();
        JsonNode afterRestart = sync(null);
        assertEquals("incremental", afterRestart.get("mode").asText(), "the stored delta link was used");
        assertEquals(List.of("workbook.created D.xlsx", "worksheet.added D.xlsx/One"), step());

        nango.expireDeltaTokens();
        Files.delete(drive.resolve("B.xlsx"));
        JsonNode resync = sync(null);
        assertEquals("resync", resync.get("mode").asText());
        assertEquals("succeeded", resync.get("outcome").asText(), resync.toString());
        assertEquals(List.of("workbook.deleted B.xlsx", "tombstone B.xlsx", "worksheet.removed B.xlsx/X",
                "tombstone B.xlsx/X"), step(), "deleted while the token was invalid, found by reconciliation");
        assertEquals(List.of(), syncStep(), "and the fresh delta link works");
    }

    @Test
    void anInterruptedEnumerationResumesFromItsCheckpointAndLosesNothing() throws Exception {
        for (int i = 0; i < 5; i++) {
            SampleWorkbooks.write(drive.resolve("Extra " + i + ".xlsx"), SheetSpec.of("Sheet"));
        }
        // root, Finance, A, B and 5 extras at 2 a page: the third page fails until the retries run out
        nango.faults().failAfter(".*skiptoken.*", 1, 3, 500);
        JsonNode failed = syncExpecting("failed");
        assertEquals("graph", failed.get("error").get("origin").asText(), failed.toString());
        assertEquals(2, failed.get("pages").asInt(), "a failed page is not retried past: " + failed);
        List<String> before = step();
        nango.clearRequests();
        JsonNode resumed = sync(null);
        assertEquals("succeeded", resumed.get("outcome").asText(), resumed.toString());
        assertEquals("resume", resumed.get("mode").asText());
        assertTrue(nango.requests().get(0).pathAndQuery().contains("skiptoken"),
                "resumed at the checkpointed page: " + nango.requests().get(0).pathAndQuery());
        List<String> all = new ArrayList<>(before);
        all.addAll(step());
        long workbookEvents = all.stream().filter(e -> e.startsWith("workbook.")).count();
        assertEquals(7, workbookEvents, "each of the 7 workbooks once: " + all);
        assertEquals(7, all.stream().filter(e -> e.startsWith("workbook.")).distinct().count());
    }

    @Test
    void aWorkbookChangedWhileItsDeltaFeedIsPagedIsListedTwiceAndEachChangeIsPublishedOnce() throws Exception {
        sync(null);
        step();
        Path a = drive.resolve("Finance/A.xlsx");
        SampleWorkbooks.addSheet(a, SheetSpec.of("S3"));
        SampleWorkbooks.addSheet(drive.resolve("B.xlsx"), SheetSpec.of("Y"));
        // the feed (root, B, Finance, A) takes two pages; the second is answered late, after A changes again, so
        // the emulator lists A again at the feed's end, as Graph may. B's sheets (the first sheet call) answer
        // later still: A's first state still waits to be written with the checkpoint behind B's page when A's
        // second listing is processed, so only the sync's own unwritten state says what A was
        nango.faults().slowNext(".*skiptoken.*", 1, Duration.ofMillis(1500));
        nango.faults().slowNext(".*/workbook/worksheets.*", 1, Duration.ofMillis(4000));
        nango.clearRequests();
        String requestId = requestSync(null);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (nango.requests().stream().noneMatch(r -> r.pathAndQuery().contains("/delta"))) {
            assertTrue(System.nanoTime() < deadline, "the first delta page was asked for");
            Thread.sleep(10);
        }
        SampleWorkbooks.addSheet(a, SheetSpec.of("S4"));
        JsonNode status = SyncStatuses.await(kafka.bootstrapServers(), requestId);

        assertEquals("succeeded", status.get("outcome").asText(), status.toString());
        Map<String, Long> sheetCalls = nango.requests().stream().map(RecordedRequest::pathAndQuery)
                .filter(p -> p.contains("/workbook/worksheets"))
                .collect(java.util.stream.Collectors.groupingBy(p -> p, java.util.stream.Collectors.counting()));
        assertEquals(List.of(1L, 2L), sheetCalls.values().stream().sorted().toList(),
                "B's sheets read once, A's twice (listed twice in one feed): " + sheetCalls);
        List<String> sheetEvents = step().stream().filter(e -> e.startsWith("worksheet.")).toList();
        // whichever of A's listings saw which change, each change is published once, in order
        assertEquals(List.of("worksheet.added A.xlsx/S3", "worksheet.added A.xlsx/S4"),
                sheetEvents.stream().filter(e -> e.contains(" A.xlsx/")).toList());
        assertEquals(List.of("worksheet.added B.xlsx/Y"),
                sheetEvents.stream().filter(e -> e.contains(" B.xlsx/")).toList());
        assertEquals(List.of(), syncStep(), "the last listing's state was stored: nothing left to publish");
    }

    List<String> syncStep() throws Exception {
        JsonNode status = sync(null);
        assertEquals("succeeded", status.get("outcome").asText(), status.toString());
        return step();
    }

    JsonNode syncExpecting(String outcome) throws Exception {
        JsonNode status = sync(null);
        assertEquals(outcome, status.get("outcome").asText(), status.toString());
        return status;
    }

    /** Requests a sync and returns its status event. */
    JsonNode sync(String mode) throws Exception {
        return SyncStatuses.await(kafka.bootstrapServers(), requestSync(mode));
    }

    /** Sends a sync request (mode null: the default) and returns its requestId. */
    String requestSync(String mode) throws Exception {
        String requestId = "step-" + (++requests);
        relay.requestSync("{\"connectionId\":\"dora\",\"requestId\":\"" + requestId + "\""
                + (mode == null ? "" : ",\"mode\":\"" + mode + "\"") + "}");
        return requestId;
    }

    /**
     * The events published since the last step, described as "type name": the workbook topic's in publication
     * order, then the worksheet topic's (each topic is ordered; the two are not ordered between them).
     */
    List<String> step() throws Exception {
        List<String> described = new ArrayList<>();
        List<ConsumedEvent> got = events.readQuiet(Duration.ofMillis(800), Duration.ofSeconds(10));
        for (String topic : List.of("workbook-relay.workbooks", "workbook-relay.worksheets")) {
            for (ConsumedEvent e : got) {
                if (e.topic().equals(topic)) {
                    described.add(describe(e));
                }
            }
        }
        return described;
    }

    private String describe(ConsumedEvent e) throws Exception {
        String[] key = e.key().split("/", 3);
        if (e.isTombstone()) {
            return "tombstone " + names.get(key[1]) + (key.length == 3 ? "/" + names.get(key[2]) : "");
        }
        JsonNode data = JSON.readTree(e.value());
        JsonNode image = data.get("after").isNull() ? data.get("before") : data.get("after");
        String type = e.ceType().substring("dev.workbookrelay.".length());
        names.put(image.get("id").asText(), image.get("name").asText());
        if (type.startsWith("worksheet.")) {
            sheetWorkbook.put(image.get("id").asText(), image.get("workbookId").asText());
            return type + " " + names.get(image.get("workbookId").asText()) + "/" + image.get("name").asText();
        }
        return type + " " + image.get("name").asText();
    }
}

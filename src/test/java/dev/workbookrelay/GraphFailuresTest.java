package dev.workbookrelay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workbookrelay.sandbox.FaultPlan;
import dev.workbookrelay.sandbox.RecordedRequest;
import dev.workbookrelay.sandbox.SampleWorkbooks;
import dev.workbookrelay.sandbox.SampleWorkbooks.SheetSpec;
import dev.workbookrelay.sandbox.TopicReader;
import dev.workbookrelay.sandbox.TopicReader.ConsumedEvent;
import dev.workbookrelay.support.RelayFixture;
import dev.workbookrelay.support.SyncStatuses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One test per row of the failure table in the README: what the relay does when Graph or Nango fails, read back
 * from the emulator's request log (calls and when they arrived) and from the status and dead-letter topics.
 * Retry settings are shrunk so the waits stay short; every wait asserted is one the relay was told to make.
 */
class GraphFailuresTest {

    static final String DELTA = "/root/delta";
    static final String WORKSHEETS = "/workbook/worksheets";
    static final ObjectMapper JSON = new ObjectMapper();
    static final long RETRY_AFTER_CAP_MS = 2500;
    static final long REFRESH_BACKOFF_MS = 800;
    static final long CALL_DEADLINE_MS = 4000;

    @TempDir
    static Path drives;
    static RelayFixture fixture;

    @BeforeAll
    static void start() throws Exception {
        Map<String, Path> connections = new LinkedHashMap<>();
        for (String connection : List.of("erin", "frank")) {
            Path drive = Files.createDirectories(drives.resolve(connection));
            for (String book : List.of("Alpha", "Bravo", "Charlie", "Delta")) {
                SampleWorkbooks.write(drive.resolve(book + ".xlsx"), SheetSpec.of(book + " sheet"));
            }
            connections.put(connection, drive);
        }
        fixture = new RelayFixture(connections, Map.of(
                "workbook-relay.sync.concurrency", "2",
                "workbook-relay.graph.retry.max-attempts", "4",
                "workbook-relay.graph.retry.initial-delay-ms", "100",
                "workbook-relay.graph.retry.max-delay-ms", "400",
                "workbook-relay.graph.retry.max-total-ms", "20000",
                "workbook-relay.graph.retry.retry-after-cap-ms", Long.toString(RETRY_AFTER_CAP_MS),
                "workbook-relay.nango.refresh-backoff-ms", Long.toString(REFRESH_BACKOFF_MS),
                "camel.component.http.so-timeout", "1500",
                "workbook-relay.graph.call-deadline-ms", Long.toString(CALL_DEADLINE_MS)));
    }

    @AfterAll
    static void stop() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
    }

    @BeforeEach
    void clean() {
        fixture.nango.faults().clear();
        fixture.nango.clearRequests();
    }

    // ---- 429 or 503 with Retry-After: wait as told (capped), pause the connection, retry

    @ParameterizedTest
    @ValueSource(strings = {"1", "0.75", "http-date"})
    void aThrottledCallWaitsTheRetryAfterItIsGivenThenSucceeds(String form) throws Exception {
        String retryAfter = form.equals("http-date")
                ? DateTimeFormatter.RFC_1123_DATE_TIME.format(Instant.now().plusSeconds(2).atOffset(ZoneOffset.UTC))
                : form;
        long expectedMs = form.equals("http-date") ? 1000 : (long) (Double.parseDouble(form) * 1000);
        fixture.nango.faults().failNext(DELTA, 1, 429, Map.of("Retry-After", retryAfter), null);

        JsonNode status = sync("erin", "full");

        assertEquals("succeeded", status.get("outcome").asText(), status.toString());
        List<RecordedRequest> delta = calls("erin", DELTA);
        assertEquals(List.of(429, 200), delta.stream().map(RecordedRequest::status).toList());
        long waited = gapMs(delta.get(0), delta.get(1));
        assertTrue(waited >= expectedMs - 50, "waited " + waited + " ms for Retry-After " + retryAfter);
        assertTrue(waited < expectedMs + 1500, "waited " + waited + " ms for Retry-After " + retryAfter);
    }

    @Test
    void aServerTooBusyWithALongRetryAfterWaitsNoLongerThanTheCap() throws Exception {
        fixture.nango.faults().failNext(DELTA, 1, 503, Map.of("Retry-After", "3600"), null);

        JsonNode status = sync("erin", "full");

        assertEquals("succeeded", status.get("outcome").asText(), status.toString());
        List<RecordedRequest> delta = calls("erin", DELTA);
        assertEquals(List.of(503, 200), delta.stream().map(RecordedRequest::status).toList());
        long waited = gapMs(delta.get(0), delta.get(1));
        assertTrue(waited >= RETRY_AFTER_CAP_MS - 50 && waited < RETRY_AFTER_CAP_MS + 1500, "waited " + waited);
    }

    @Test
    void whileOneCallWaitsOutARetryAfterTheConnectionsOtherCallsWaitToo() throws Exception {
        fixture.nango.faults().failNext(WORKSHEETS, 1, 429, Map.of("Retry-After", "1.5"), null);

        JsonNode status = sync("erin", "full");

        assertEquals("succeeded", status.get("outcome").asText(), status.toString());
        List<RecordedRequest> all = calls("erin", "");
        RecordedRequest throttled = all.stream().filter(r -> r.status() == 429).findFirst().orElseThrow();
        Instant pauseEnd = throttled.receivedAt().plusMillis(1500 - 50);
        // a call already on its way when the 429 came back may land just after it; none may start in the pause
        List<RecordedRequest> duringPause = all.stream()
                .filter(r -> r.receivedAt().isAfter(throttled.receivedAt().plusMillis(300))
                        && r.receivedAt().isBefore(pauseEnd)).toList();
        assertEquals(List.of(), duringPause.stream().map(RecordedRequest::pathAndQuery).toList(),
                "calls of the paused connection made during its pause");
        assertEquals(5, all.stream().filter(r -> r.status() == 200).count(), "one delta page and four sheet lists");
    }

    // ---- no Retry-After, 5xx, network and body failures: exponential backoff, bounded

    @ParameterizedTest
    @ValueSource(ints = {429, 503, 500, 502, 504})
    void aTransientStatusIsRetriedWithBackoffUntilItSucceeds(int failure) throws Exception {
        fixture.nango.faults().failNext(DELTA, 2, failure);

        JsonNode status = sync("erin", "full");

        assertEquals("succeeded", status.get("outcome").asText(), status.toString());
        List<RecordedRequest> delta = calls("erin", DELTA);
        assertEquals(List.of(failure, failure, 200), delta.stream().map(RecordedRequest::status).toList());
        // backoff 100 ms then double the first wait, each +-15 %: Camel doubles the jittered delay, so the second is
        // at least 100 x 0.85 x 2 x 0.85 = 144.5 ms
        long first = gapMs(delta.get(0), delta.get(1));
        long second = gapMs(delta.get(1), delta.get(2));
        assertTrue(first >= 80, "first backoff " + first + " ms");
        assertTrue(second >= 140, "second backoff " + second + " ms");
    }

    @Test
    void aConnectionResetMidBodyIsRetried() throws Exception {
        fixture.nango.faults().resetMidBody(DELTA, 1);
        assertRetriedOnceThenSucceeded();
    }

    @Test
    void aTruncatedJsonBodyIsRetried() throws Exception {
        fixture.nango.faults().truncateJson(DELTA, 1);
        assertRetriedOnceThenSucceeded();
    }

    @Test
    void aResponseSlowerThanTheSocketTimeoutIsRetried() throws Exception {
        fixture.nango.faults().slowNext(DELTA, 1, Duration.ofMillis(3000));
        assertRetriedOnceThenSucceeded();
    }

    @Test
    void anAnswerTricklingInPastTheCallDeadlineIsCutAndRetried() throws Exception {
        // a byte every 100 ms: no read waits as long as the socket timeout (1.5 s), the page would take minutes
        fixture.nango.faults().trickleNext(DELTA, 1, Duration.ofMillis(100));
        long started = System.nanoTime();
        assertRetriedOnceThenSucceeded();
        long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
        assertTrue(seconds < 60, "cut at the deadline (" + CALL_DEADLINE_MS + " ms), not waited out: " + seconds
                + " s");
    }

    private void assertRetriedOnceThenSucceeded() throws Exception {
        JsonNode status = sync("erin", "full");
        assertEquals("succeeded", status.get("outcome").asText(), status.toString());
        // the emulator logs a call once it has answered it: a slow one may still be on its way
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (calls("erin", DELTA).size() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertEquals(2, calls("erin", DELTA).size(), "the damaged call and its retry");
        assertTrue(fixture.nango.faults().exhausted());
    }

    // ---- retries exhausted: failed status, request dead-lettered, state not advanced

    @Test
    void whenRetriesRunOutOnTheDriveTheSyncFailsCleanlyAndTheNextSyncPicksUpFromThere() throws Exception {
        Path drive = drives.resolve("frank");
        assertEquals("succeeded", sync("frank", "incremental").get("outcome").asText());
        SampleWorkbooks.write(drive.resolve("Echo.xlsx"), SheetSpec.of("Echo sheet"));
        fixture.nango.clearRequests();
        fixture.nango.faults().failNext(DELTA, 10, 503);

        String failedId = "exhausted-" + UUID.randomUUID();
        JsonNode failed = sync("frank", "incremental", failedId);

        assertEquals("failed", failed.get("outcome").asText());
        assertEquals("graph", failed.get("error").get("origin").asText());
        assertEquals(503, failed.get("error").get("status").asInt());
        assertEquals(4, calls("frank", DELTA).size(), "max-attempts calls, then it gave up");
        ConsumedEvent dead = deadLetterOf(failedId);
        assertEquals("sync-failed", dead.header("dlq-kind"));
        assertTrue(dead.header("dlq-reason").contains("Graph 503"), dead.header("dlq-reason"));

        fixture.nango.faults().clear();
        JsonNode next = sync("frank", "incremental");
        assertEquals("succeeded", next.get("outcome").asText(), next.toString());
        assertEquals(1, next.get("workbooks").asInt(), "the delta link did not move: Echo comes again");
        assertTrue(workbookEventTypes("frank", "Echo.xlsx").contains("dev.workbookrelay.workbook.created"));
    }

    @Test
    void whenRetriesRunOutOnOneWorkbooksSheetsItIsSkippedAndTheSyncGoesOn() throws Exception {
        Path drive = drives.resolve("frank");
        assertEquals("succeeded", sync("frank", "incremental").get("outcome").asText());
        SampleWorkbooks.write(drive.resolve("Foxtrot.xlsx"), SheetSpec.of("Foxtrot sheet"));
        fixture.nango.clearRequests();
        fixture.nango.faults().failNext(WORKSHEETS, 10, 503);

        JsonNode skipping = sync("frank", "incremental");

        assertEquals("succeeded", skipping.get("outcome").asText(), skipping.toString());
        assertEquals(4, calls("frank", WORKSHEETS).size(), "max-attempts calls, then it gave up on that workbook");
        assertEquals(1, skipping.get("skippedCount").asInt(), skipping.toString());
        assertEquals(503, skipping.get("skipped").get(0).get("status").asInt(), skipping.toString());
        assertTrue(workbookEventTypes("frank", "Foxtrot.xlsx").contains("dev.workbookrelay.workbook.created"),
                "the drive lists it: it gets its workbook event");

        fixture.nango.faults().clear();
        JsonNode next = sync("frank", "incremental");
        assertEquals("succeeded", next.get("outcome").asText(), next.toString());
        assertEquals(0, next.get("skippedCount").asInt(), "its sheets read this time: " + next);
        assertTrue(worksheetNames("frank").contains("Foxtrot sheet"), "its worksheet events came");
    }

    // ---- Nango refusals

    @Test
    void aRefreshBackoffFromNangoIsRetriedAfterNangosCooldown() throws Exception {
        fixture.nango.faults().nangoFailNext(DELTA, 1, 424, FaultPlan.NANGO_REFRESH_BACKOFF);

        JsonNode status = sync("erin", "full");

        assertEquals("succeeded", status.get("outcome").asText(), status.toString());
        List<RecordedRequest> delta = calls("erin", DELTA);
        assertEquals(List.of(424, 200), delta.stream().map(RecordedRequest::status).toList());
        assertTrue(gapMs(delta.get(0), delta.get(1)) >= REFRESH_BACKOFF_MS - 50);
    }

    @Test
    void anUnknownConnectionFailsOnlyItsOwnSyncAndIsNotRetried() throws Exception {
        JsonNode unknown = sync("nobody-" + UUID.randomUUID().toString().substring(0, 8), "incremental");
        JsonNode known = sync("erin", "full");

        assertEquals("failed", unknown.get("outcome").asText());
        assertEquals("Nango 400 server_error: Failed to get connection", unknown.get("error").get("reason").asText());
        assertEquals(1, calls(unknown.get("connectionId").asText(), "").size(), "Nango's answer is final");
        assertEquals("succeeded", known.get("outcome").asText());
    }

    @Test
    void aFailedTokenRefreshFailsTheSyncWithNangosReasonWithoutRetrying() throws Exception {
        fixture.nango.faults().nangoFailNext(DELTA, 1, 400, FaultPlan.NANGO_REFRESH_FAILED);

        JsonNode status = sync("erin", "full");

        assertEquals("failed", status.get("outcome").asText());
        assertTrue(status.get("error").get("reason").asText().startsWith("Nango 400 server_error: Failed to get "
                + "connection credentials"), status.toString());
        assertEquals(1, calls("erin", DELTA).size());
    }

    // ---- Graph refusals on one workbook

    @ParameterizedTest
    @ValueSource(ints = {401, 403})
    void aWorkbookGraphRefusesIsSkippedWithItsReasonAndTheRestIsSynced(int refusal) throws Exception {
        assertEquals("succeeded", sync("erin", "full").get("outcome").asText()); // learn Bravo's item id
        String bravo = itemIdOf("erin", "Bravo.xlsx");
        fixture.nango.clearRequests();
        fixture.nango.faults().failNext("/items/" + bravo + WORKSHEETS, 1, refusal);

        JsonNode status = sync("erin", "full");

        assertEquals("succeeded", status.get("outcome").asText(), status.toString());
        assertEquals(1, status.get("skipped").size(), status.toString());
        JsonNode skipped = status.get("skipped").get(0);
        assertEquals(bravo, skipped.get("workbookId").asText());
        assertEquals("Bravo.xlsx", skipped.get("name").asText());
        assertEquals(refusal, skipped.get("status").asInt());
        assertTrue(skipped.get("reason").asText().startsWith("Graph " + refusal), skipped.toString());
        assertEquals(1, calls("erin", "/items/" + bravo + WORKSHEETS).size(), "a refusal is not retried");
        assertEquals(4, status.get("workbooks").asInt());
        assertEquals(3, status.get("worksheets").asInt(), "the three other workbooks' sheets");
    }

    @Test
    void aWorkbookWhoseSheetsAnswer404WhileTheDriveListsItIsNotDeletedButSkippedAndReadAgain() throws Exception {
        Path drive = drives.resolve("frank");
        assertEquals("succeeded", sync("frank", "incremental").get("outcome").asText());
        SampleWorkbooks.editCell(drive.resolve("Charlie.xlsx"), "Charlie sheet", "B2", "changed");
        String charlie = itemIdOf("frank", "Charlie.xlsx");
        fixture.nango.faults().failNext("/items/" + charlie + WORKSHEETS, 1, 404);

        JsonNode status = sync("frank", "incremental");

        assertEquals("succeeded", status.get("outcome").asText(), status.toString());
        assertEquals(1, calls("frank", "/items/" + charlie + WORKSHEETS).size(), "a 404 is an answer: no retry");
        assertEquals(404, status.get("skipped").get(0).get("status").asInt(), status.toString());
        List<String> types = workbookEventTypes("frank", "Charlie.xlsx");
        assertTrue(types.contains("dev.workbookrelay.workbook.updated"), "the drive says it changed: " + types);
        assertTrue(!types.contains("dev.workbookrelay.workbook.deleted"), "only the drive says deleted: " + types);

        JsonNode next = sync("frank", "incremental");
        assertEquals(0, next.get("skippedCount").asInt(), next.toString());
        assertEquals(2, calls("frank", "/items/" + charlie + WORKSHEETS).size(), "its worksheets read again");
    }

    // ---- helpers

    static JsonNode sync(String connectionId, String mode) throws Exception {
        return sync(connectionId, mode, "r-" + UUID.randomUUID());
    }

    static JsonNode sync(String connectionId, String mode, String requestId) throws Exception {
        fixture.relay.requestSync("{\"connectionId\":\"" + connectionId + "\",\"mode\":\"" + mode
                + "\",\"requestId\":\"" + requestId + "\"}");
        return SyncStatuses.await(fixture.kafka.bootstrapServers(), requestId);
    }

    /** The connection's requests whose path contains {@code pathPart}, in arrival order. */
    static List<RecordedRequest> calls(String connectionId, String pathPart) {
        return fixture.nango.requests().stream()
                .filter(r -> connectionId.equals(r.header("connection-id")) && r.pathAndQuery().contains(pathPart))
                .sorted(java.util.Comparator.comparing(RecordedRequest::receivedAt)).toList();
    }

    static long gapMs(RecordedRequest first, RecordedRequest second) {
        return Duration.between(first.receivedAt(), second.receivedAt()).toMillis();
    }

    /** The drive item id Graph gives a workbook, as the relay's events carry it. */
    static String itemIdOf(String connectionId, String name) {
        for (ConsumedEvent e : workbookEvents(connectionId)) {
            if (!e.isTombstone() && e.value().contains("\"name\":\"" + name + "\"")) {
                return e.key().substring(e.key().indexOf('/') + 1);
            }
        }
        throw new AssertionError("no event names " + name);
    }

    static List<String> workbookEventTypes(String connectionId, String name) {
        return workbookEvents(connectionId).stream()
                .filter(e -> !e.isTombstone() && e.value().contains("\"name\":\"" + name + "\""))
                .map(ConsumedEvent::ceType).toList();
    }

    /** The names of the worksheets the worksheet events of a connection carry. */
    static List<String> worksheetNames(String connectionId) {
        try (TopicReader reader = new TopicReader(fixture.kafka.bootstrapServers(), "workbook-relay.worksheets")) {
            return reader.readQuiet(Duration.ofMillis(700), Duration.ofSeconds(20)).stream()
                    .filter(e -> e.key() != null && e.key().startsWith(connectionId + "/") && !e.isTombstone())
                    .map(e -> {
                        try {
                            return JSON.readTree(e.value()).get("after").get("name").asText();
                        } catch (Exception bad) {
                            throw new AssertionError(bad);
                        }
                    }).toList();
        }
    }

    static List<ConsumedEvent> workbookEvents(String connectionId) {
        try (TopicReader reader = new TopicReader(fixture.kafka.bootstrapServers(), "workbook-relay.workbooks")) {
            return reader.readQuiet(Duration.ofMillis(700), Duration.ofSeconds(20)).stream()
                    .filter(e -> e.key() != null && e.key().startsWith(connectionId + "/")).toList();
        }
    }

    static ConsumedEvent deadLetterOf(String requestId) {
        try (TopicReader reader = new TopicReader(fixture.kafka.bootstrapServers(), "workbook-relay.dead-letter")) {
            for (ConsumedEvent e : reader.readQuiet(Duration.ofMillis(700), Duration.ofSeconds(20))) {
                if (e.value() != null && e.value().contains("\"" + requestId + "\"")) {
                    return e;
                }
            }
        }
        throw new AssertionError("no dead letter for request " + requestId);
    }
}

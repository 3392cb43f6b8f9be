package dev.workbookrelay.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.workbookrelay.sandbox.EmbeddedKafka;
import dev.workbookrelay.sandbox.NangoGraphEmulator;
import dev.workbookrelay.sandbox.SampleWorkbooks;
import dev.workbookrelay.sandbox.SampleWorkbooks.SheetSpec;
import dev.workbookrelay.support.DriveTruth;
import dev.workbookrelay.support.FreePort;
import dev.workbookrelay.support.PublishedDrive;
import dev.workbookrelay.support.RawRecords;
import dev.workbookrelay.support.RelayFixture;
import dev.workbookrelay.support.RunningRelay;
import dev.workbookrelay.support.SyncStatuses;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker goes away in the middle of a slow sync of 48 workbooks and comes back on the same address a few
 * seconds later. The relay, never restarted, waits and resumes by itself: the sync (or, if it failed, the next
 * one) completes, a later request is still consumed, and a consumer reading the topics finds every workbook and
 * worksheet of the drive; a key published more than once always carries the same {@code ce_id}.
 */
class BrokerRestartMidSyncTest {

    static final int WORKBOOKS = 48;

    @TempDir
    static Path drive;
    static EmbeddedKafka kafka;
    static NangoGraphEmulator nango;
    static RunningRelay relay;

    @BeforeAll
    static void start() throws Exception {
        for (int i = 0; i < WORKBOOKS; i++) {
            List<SheetSpec> sheets = new ArrayList<>();
            for (int s = 0; s <= i % 3; s++) {
                sheets.add(SheetSpec.of("W" + i + " sheet " + s, List.of("n"), List.of(i * 10 + s)));
            }
            SampleWorkbooks.write(drive.resolve("Folder " + (i % 4) + "/Book " + i + ".xlsx"), sheets);
        }
        String secret = UUID.randomUUID().toString();
        kafka = EmbeddedKafka.start();
        kafka.createTopics(RelayFixture.TOPICS);
        nango = NangoGraphEmulator.builder().secretKey(secret).connection("microsoft-excel", "alice", drive)
                .build().start();
        // small pages and two workbooks at a time, 150 ms per Graph call: the sync lasts several seconds
        relay = RunningRelay.start(kafka.bootstrapServers(), nango.baseUrl(), secret, Map.of(
                "camel.management.port", Integer.toString(FreePort.next()),
                "workbook-relay.graph.page-size", "6",
                "workbook-relay.sync.concurrency", "2"));
    }

    @AfterAll
    static void stop() throws Exception {
        try (EmbeddedKafka k = kafka; NangoGraphEmulator n = nango; RunningRelay r = relay) {
            // closed in reverse order
        }
    }

    @Test
    void aBrokerOutageMidSyncLosesNothingAndTheRelayRecoversWithoutRestart() throws Exception {
        Map<String, List<String>> truth = DriveTruth.of(drive);
        assertEquals(WORKBOOKS, truth.size());
        nango.faults().delayEach(Duration.ofMillis(150));
        relay.requestSync("{\"connectionId\":\"alice\",\"requestId\":\"during-outage\"}");

        // the sync is under way: some of its Graph calls made, its status not yet published
        awaitGraphCalls(12, Duration.ofSeconds(60));
        try (RawRecords status = new RawRecords(kafka.bootstrapServers(), "workbook-relay.sync-status")) {
            assertTrue(status.readQuiet(Duration.ofMillis(300), Duration.ofSeconds(2)).isEmpty(),
                    "the sync must still be running when the broker stops");
        }
        int callsAtStop = nango.graphCalls();
        long stopped = System.nanoTime();
        kafka.stopBroker();
        Thread.sleep(5_000); // the outage itself
        kafka.restartBroker();
        System.out.printf("broker down %.1f s, Graph calls %d at stop, %d at restart%n",
                (System.nanoTime() - stopped) / 1e9, callsAtStop, nango.graphCalls());

        JsonNode first = SyncStatuses.await(kafka.bootstrapServers(), "during-outage");
        System.out.println("sync during the outage: " + first);
        // the relay still consumes requests; if the first sync failed, this one picks up where it stopped
        nango.faults().delayEach(Duration.ZERO);
        relay.requestSync("{\"connectionId\":\"alice\",\"requestId\":\"after-outage\"}");
        JsonNode second = SyncStatuses.await(kafka.bootstrapServers(), "after-outage");
        assertEquals("succeeded", second.get("outcome").asText(), second.toString());
        assertTrue("succeeded".equals(first.get("outcome").asText())
                || List.of("resume", "incremental", "snapshot").contains(second.get("mode").asText()),
                "a failed sync is picked up by the next one: " + second);

        PublishedDrive published;
        try (RawRecords topics = new RawRecords(kafka.bootstrapServers(), "workbook-relay.workbooks",
                "workbook-relay.worksheets")) {
            published = new PublishedDrive("alice", topics.readQuiet(Duration.ofSeconds(2), Duration.ofSeconds(30)),
                    "workbook-relay.workbooks", "workbook-relay.worksheets");
        }
        System.out.printf("published %d records for %d keys%n", published.records(), published.keys());
        assertEquals(truth, published.contents(), "every workbook and worksheet of the drive, nothing else");
        assertTrue(published.orphanWorksheets().isEmpty(), "worksheets of unpublished workbooks: "
                + published.orphanWorksheets());
        assertTrue(published.keysWithSeveralIds().isEmpty(),
                published.keysWithSeveralIds().size() + " keys published again with another ce_id, e.g. "
                    + published.keysWithSeveralIds().entrySet().stream().limit(2).toList());
        assertFalse(first.isMissingNode());
    }

    static void awaitGraphCalls(int calls, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (nango.graphCalls() < calls) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + nango.graphCalls() + " Graph calls after " + timeout);
            }
            Thread.sleep(20);
        }
    }
}

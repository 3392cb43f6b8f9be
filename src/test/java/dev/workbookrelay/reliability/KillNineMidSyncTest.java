package dev.workbookrelay.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.workbookrelay.sandbox.EmbeddedKafka;
import dev.workbookrelay.sandbox.NangoGraphEmulator;
import dev.workbookrelay.sandbox.RelayProcess;
import dev.workbookrelay.sandbox.SampleWorkbooks;
import dev.workbookrelay.sandbox.SampleWorkbooks.SheetSpec;
import dev.workbookrelay.support.DriveTruth;
import dev.workbookrelay.support.FreePort;
import dev.workbookrelay.support.PublishedDrive;
import dev.workbookrelay.support.RawRecords;
import dev.workbookrelay.support.RelayFixture;
import dev.workbookrelay.support.SyncStatuses;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The relay runs as a separate JVM on a file-based H2 state and syncs a drive of 300 workbooks slowly; it is
 * killed with SIGKILL four times at random moments of the sync and restarted on the same state each time,
 * without sending the request again. The request, never committed, is consumed again after each restart and the
 * sync finally succeeds; a consumer then finds every workbook and worksheet of the drive on the topics, and every
 * key re-published by a later run carries the same {@code ce_id} as before.
 */
class KillNineMidSyncTest {

    static final int WORKBOOKS = 300;
    static final int KILLS = 4;
    static final String REQUEST = "{\"connectionId\":\"alice\",\"requestId\":\"kill-story\"}";

    @TempDir
    Path dir;

    @Test
    void killedFourTimesMidSyncTheRelayLosesNothingAndRepublishesWithTheSameIds() throws Exception {
        long seed = Long.getLong("kill.seed", System.nanoTime());
        Random random = new Random(seed);
        String context = " (seed " + seed + ", rerun with -Dkill.seed=" + seed + "; logs in " + dir + ")";
        Path drive = dir.resolve("drive");
        for (int i = 0; i < WORKBOOKS; i++) {
            List<SheetSpec> sheets = new ArrayList<>();
            for (int s = 0; s <= i % 2; s++) {
                sheets.add(SheetSpec.of("B" + i + "-" + s));
            }
            SampleWorkbooks.write(drive.resolve("Team " + (i % 10) + "/Book " + i + ".xlsx"), sheets);
        }
        Map<String, List<String>> truth = DriveTruth.of(drive);
        String secret = UUID.randomUUID().toString();

        try (EmbeddedKafka kafka = EmbeddedKafka.start();
                NangoGraphEmulator nango = NangoGraphEmulator.builder().secretKey(secret)
                        .connection("microsoft-excel", "alice", drive).recordRequests(false).build().start()) {
            kafka.createTopics(RelayFixture.TOPICS);
            // 150 ms per Graph call, two workbooks at a time: some 25 s of Graph work for the whole drive
            nango.faults().delayEach(Duration.ofMillis(150));
            List<String> story = new ArrayList<>();
            for (int run = 0; run < KILLS; run++) {
                RelayProcess relay = launch(kafka, nango, secret, run);
                try {
                    relay.awaitReady(Duration.ofSeconds(90));
                    if (run == 0) {
                        send(kafka.bootstrapServers(), REQUEST);
                    }
                    int callsBefore = nango.graphCalls();
                    awaitGraphCallsAbove(nango, callsBefore, Duration.ofSeconds(90), relay, context);
                    long delay = 1000 + random.nextInt(2500);
                    Thread.sleep(delay); // the random point of the sync where the kill lands
                    assertFalse(hasStatus(kafka.bootstrapServers()),
                            "the sync must still be running at kill " + (run + 1) + context);
                    relay.killHard();
                    story.add(String.format("run %d: killed %d ms after its sync made a Graph call (calls %d -> %d)",
                            run + 1, delay, callsBefore, nango.graphCalls()));
                } finally {
                    relay.close();
                }
            }

            RelayProcess last = launch(kafka, nango, secret, KILLS);
            JsonNode status;
            try {
                last.awaitReady(Duration.ofSeconds(90));
                try {
                    status = SyncStatuses.await(kafka.bootstrapServers(), "kill-story");
                } catch (AssertionError e) {
                    throw new AssertionError("the request was not consumed again after kill -9 (offset committed "
                            + "early?) or its sync never ended; " + e.getMessage() + context + "\nrelay log:\n"
                            + last.logTail(60), e);
                }
            } finally {
                last.close();
            }
            story.forEach(System.out::println);
            System.out.println("final status: " + status);
            assertEquals("succeeded", status.get("outcome").asText(), status + context);

            PublishedDrive published;
            try (RawRecords topics = new RawRecords(kafka.bootstrapServers(), "workbook-relay.workbooks",
                    "workbook-relay.worksheets")) {
                published = new PublishedDrive("alice", topics.readQuiet(Duration.ofSeconds(2),
                        Duration.ofSeconds(60)), "workbook-relay.workbooks", "workbook-relay.worksheets");
            }
            System.out.printf("published %d records for %d keys (%d re-published)%n", published.records(),
                    published.keys(), published.records() - published.keys());
            Map<String, List<String>> contents = published.contents();
            List<String> missing = truth.keySet().stream().filter(p -> !truth.get(p).equals(contents.get(p)))
                    .toList();
            assertTrue(missing.isEmpty(), missing.size() + " workbooks missing or incomplete, e.g. "
                    + missing.stream().limit(5).map(p -> p + " " + contents.get(p)).toList() + context);
            assertEquals(truth, contents, "every workbook and worksheet of the drive, nothing else" + context);
            assertTrue(published.orphanWorksheets().isEmpty(), "worksheets of unpublished workbooks: "
                    + published.orphanWorksheets() + context);
            assertTrue(published.keysWithSeveralIds().isEmpty(),
                    published.keysWithSeveralIds().size() + " keys published again with another ce_id, e.g. "
                    + published.keysWithSeveralIds().entrySet().stream().limit(2).toList() + context);
        }
    }

    RelayProcess launch(EmbeddedKafka kafka, NangoGraphEmulator nango, String secret, int run) throws Exception {
        return RelayProcess.launcher().brokers(kafka.bootstrapServers()).nango(nango.baseUrl(), secret)
                .stateDir(dir.resolve("state"))
                .setting("camel.management.port", Integer.toString(FreePort.next()))
                .setting("workbook-relay.graph.page-size", "20")
                .setting("workbook-relay.sync.concurrency", "2")
                // a killed member leaves the group after 6 s (the broker's minimum) rather than 45 s
                .setting("camel.component.kafka.session-timeout-ms", "6000")
                .setting("camel.component.kafka.heartbeat-interval-ms", "1000")
                .jvmArgs("-Xmx256m")
                .logFile(dir.resolve("relay-" + run + ".log")).start();
    }

    static void awaitGraphCallsAbove(NangoGraphEmulator nango, int calls, Duration timeout, RelayProcess relay,
            String context) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (nango.graphCalls() <= calls) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the restarted relay made no Graph call in " + timeout + context
                        + "\nrelay log:\n" + relay.logTail(40));
            }
            Thread.sleep(20);
        }
    }

    static boolean hasStatus(String brokers) {
        try (RawRecords status = new RawRecords(brokers, "workbook-relay.sync-status")) {
            return !status.readQuiet(Duration.ofMillis(300), Duration.ofSeconds(2)).isEmpty();
        }
    }

    static void send(String brokers, String json) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers), new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>("workbook-relay.sync-requests", "alice",
                    json.getBytes(StandardCharsets.UTF_8))).get();
        }
    }
}

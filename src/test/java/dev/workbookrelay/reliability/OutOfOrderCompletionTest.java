package dev.workbookrelay.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workbookrelay.sandbox.EmbeddedKafka;
import dev.workbookrelay.sandbox.NangoGraphEmulator;
import dev.workbookrelay.sandbox.RelayProcess;
import dev.workbookrelay.sandbox.SampleWorkbooks;
import dev.workbookrelay.sandbox.SampleWorkbooks.SheetSpec;
import dev.workbookrelay.support.RawRecords;
import dev.workbookrelay.support.RelayFixture;
import dev.workbookrelay.support.SyncStatuses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Syncs finish out of order, commits do not: a slow sync's request and three fast ones behind it on one partition.
 * The fast ones end first; the relay (a separate JVM) is killed with SIGKILL before the slow one ends. The group's
 * committed offset never passed the slow request, so after a restart it is synced again and succeeds.
 */
class OutOfOrderCompletionTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final TopicPartition REQUESTS = new TopicPartition("workbook-relay.sync-requests", 0);

    @TempDir
    Path dir;

    @Test
    void fastSyncsEndingBeforeASlowOneNeverCommitPastItAndAfterKillNineTheSlowOneRunsAgain() throws Exception {
        Map<String, Path> drives = Map.of("slow", drive("slow", 40), "fast-1", drive("fast-1", 1),
                "fast-2", drive("fast-2", 1), "fast-3", drive("fast-3", 1));
        String secret = UUID.randomUUID().toString();
        NangoGraphEmulator.Builder emulator = NangoGraphEmulator.builder().secretKey(secret);
        drives.forEach((id, drive) -> emulator.connection("microsoft-excel", id, drive));
        try (EmbeddedKafka kafka = EmbeddedKafka.start(); NangoGraphEmulator nango = emulator.build().start()) {
            kafka.createTopics(RelayFixture.TOPICS);
            nango.faults().delayEach(Duration.ofMillis(100)); // the slow drive: some 4 s of Graph calls, one at a time
            RelayProcess relay = launch(kafka, nango, secret, 0);
            try {
                relay.awaitReady(Duration.ofSeconds(90));
                for (String id : List.of("slow", "fast-1", "fast-2", "fast-3")) {
                    KillNineMidSyncTest.send(kafka.bootstrapServers(), "{\"connectionId\":\"" + id
                            + "\",\"requestId\":\"" + id + "\"}");
                }
                for (String id : List.of("fast-1", "fast-2", "fast-3")) {
                    assertEquals("succeeded", SyncStatuses.await(kafka.bootstrapServers(), id).get("outcome")
                            .asText());
                }
                assertEquals(Set.of("fast-1", "fast-2", "fast-3"), requestIdsWithStatus(kafka),
                        "the slow sync still runs while the fast ones are done");
                Thread.sleep(1500); // long enough for commits after a poll or two
                assertEquals(0L, committed(kafka), "nothing committed past the slow request (offset 0)");
                relay.killHard();
            } finally {
                relay.close();
            }
            assertEquals(0L, committed(kafka));

            RelayProcess restarted = launch(kafka, nango, secret, 1);
            try {
                restarted.awaitReady(Duration.ofSeconds(90));
                JsonNode slow = SyncStatuses.await(kafka.bootstrapServers(), "slow");
                assertEquals("succeeded", slow.get("outcome").asText(), slow.toString());
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (committed(kafka) != 4L && System.nanoTime() < deadline) {
                    Thread.sleep(200);
                }
                assertEquals(4L, committed(kafka), "all four handled now: committed past them");
            } finally {
                restarted.close();
            }
        }
    }

    private RelayProcess launch(EmbeddedKafka kafka, NangoGraphEmulator nango, String secret, int run)
            throws Exception {
        return RelayProcess.launcher().brokers(kafka.bootstrapServers()).nango(nango.baseUrl(), secret)
                .stateDir(dir.resolve("state"))
                .setting("workbook-relay.sync.concurrency", "1")
                .setting("camel.component.kafka.session-timeout-ms", "6000")
                .setting("camel.component.kafka.heartbeat-interval-ms", "1000")
                .jvmArgs("-Xmx256m")
                .logFile(dir.resolve("relay-" + run + ".log")).start();
    }

    private Path drive(String id, int workbooks) throws Exception {
        Path drive = Files.createDirectories(dir.resolve(id));
        for (int i = 1; i <= workbooks; i++) {
            SampleWorkbooks.write(drive.resolve("Book " + i + ".xlsx"), SheetSpec.of("Sheet " + i));
        }
        return drive;
    }

    private static Set<String> requestIdsWithStatus(EmbeddedKafka kafka) {
        try (RawRecords status = new RawRecords(kafka.bootstrapServers(), "workbook-relay.sync-status")) {
            return status.readQuiet(Duration.ofMillis(500), Duration.ofSeconds(5)).stream().map(r -> {
                try {
                    return JSON.readTree(r.value()).get("requestId").asText();
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }).collect(Collectors.toSet());
        }
    }

    /** The consumer group's committed offset of the requests partition (0 when nothing is committed). */
    private static long committed(EmbeddedKafka kafka) throws Exception {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (Admin admin = Admin.create(p)) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets("workbook-relay")
                    .partitionsToOffsetAndMetadata().get();
            OffsetAndMetadata offset = offsets.get(REQUESTS);
            return offset == null ? 0L : offset.offset();
        }
    }
}

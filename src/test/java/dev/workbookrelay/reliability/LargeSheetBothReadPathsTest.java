package dev.workbookrelay.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.workbookrelay.sandbox.EmbeddedKafka;
import dev.workbookrelay.sandbox.NangoGraphEmulator;
import dev.workbookrelay.sandbox.RecordedRequest;
import dev.workbookrelay.sandbox.RelayProcess;
import dev.workbookrelay.sandbox.SampleWorkbooks;
import dev.workbookrelay.support.FreePort;
import dev.workbookrelay.support.RawRecords;
import dev.workbookrelay.support.RelayFixture;
import dev.workbookrelay.support.SyncStatuses;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 100,000-row sheet read both ways, each by a relay in its own JVM with a 256 MB heap and its own fresh state:
 * through Excel's workbook API in blocks, then from the downloaded file parsed as a stream. The two publish the
 * same row events, record for record: keys, values and ids.
 */
class LargeSheetBothReadPathsTest {

    static final int ROWS = 100_000;
    static final String ROWS_TOPIC = "workbook-relay.rows";

    @TempDir
    Path dir;

    @Test
    void aLargeSheetGivesTheSameRowEventsThroughTheWorkbookApiAndFromItsFile() throws Exception {
        Path drive = dir.resolve("drive");
        SampleWorkbooks.writeLarge(drive.resolve("Ledger.xlsx"), "Ledger", List.of("Id", "Item", "Qty", "Price",
                "Booked", "Paid", "Region", "Code", "Ratio", "Note"), ROWS, LargeSheetRowsKillNineTest::row);
        String secret = UUID.randomUUID().toString();
        try (EmbeddedKafka kafka = EmbeddedKafka.start();
                NangoGraphEmulator nango = NangoGraphEmulator.builder().secretKey(secret)
                        .connection("microsoft-excel", "alice", drive).recordRequests(true).build().start()) {
            kafka.createTopics(RelayFixture.TOPICS);

            long api = sync(kafka, nango, secret, "api", "10485760");
            List<RecordedRequest> apiCalls = nango.requests();
            nango.clearRequests();
            long file = sync(kafka, nango, secret, "file", "0");
            List<RecordedRequest> fileCalls = nango.requests();
            System.out.printf("workbook API: %d ms, %d calls; file: %d ms, %d calls%n", api, apiCalls.size(), file,
                    fileCalls.size());

            assertTrue(apiCalls.stream().anyMatch(r -> r.pathAndQuery().contains("/range(address=")),
                    "the first relay read ranges");
            assertTrue(apiCalls.stream().noneMatch(r -> r.pathAndQuery().contains("/content")));
            assertTrue(fileCalls.stream().anyMatch(r -> r.pathAndQuery().contains("/content")),
                    "the second relay downloaded the file");
            assertTrue(fileCalls.stream().noneMatch(r -> r.pathAndQuery().contains("range(")),
                    "and read no range: " + fileCalls);

            List<String> records = new ArrayList<>();
            try (RawRecords topic = new RawRecords(kafka.bootstrapServers(), ROWS_TOPIC)) {
                for (ConsumerRecord<byte[], byte[]> r : topic.readQuiet(Duration.ofSeconds(2),
                        Duration.ofSeconds(120))) {
                    records.add(RawRecords.utf8(r.key()) + " " + RawRecords.header(r, "ce_id") + " "
                            + RawRecords.utf8(r.value()));
                }
            }
            assertEquals(2 * ROWS, records.size(), "each relay published every row once");
            List<String> byApi = records.subList(0, ROWS);
            List<String> byFile = records.subList(ROWS, 2 * ROWS);
            for (int i = 0; i < ROWS; i++) {
                if (!byApi.get(i).equals(byFile.get(i))) {
                    assertEquals(byApi.get(i), byFile.get(i), "row event " + i);
                }
            }
            assertTrue(byApi.get(ROWS - 1).contains("\"Id\":100000"), byApi.get(ROWS - 1));
        }
    }

    /** One relay (its own state) syncs the drive's rows; the time from request to status, in ms. */
    private long sync(EmbeddedKafka kafka, NangoGraphEmulator nango, String secret, String name,
            String downloadAboveBytes) throws Exception {
        RelayProcess relay = RelayProcess.launcher().brokers(kafka.bootstrapServers()).nango(nango.baseUrl(), secret)
                .stateDir(dir.resolve("state-" + name))
                .setting("camel.management.port", Integer.toString(FreePort.next()))
                .setting("workbook-relay.rows.download-above-bytes", downloadAboveBytes)
                .jvmArgs("-Xmx256m")
                .logFile(dir.resolve("relay-" + name + ".log")).start();
        try {
            relay.awaitReady(Duration.ofSeconds(90));
            long started = System.nanoTime();
            KillNineMidSyncTest.send(kafka.bootstrapServers(), "{\"connectionId\":\"alice\",\"requestId\":\"both-"
                    + name + "\",\"rows\":\"all\",\"rowKey\":\"Id\"}");
            JsonNode status = SyncStatuses.await(kafka.bootstrapServers(), "both-" + name);
            assertEquals("succeeded", status.get("outcome").asText(), status + "\n" + relay.logTail(40));
            return (System.nanoTime() - started) / 1_000_000;
        } finally {
            relay.close();
        }
    }
}

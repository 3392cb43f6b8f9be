package dev.workbookrelay.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.workbookrelay.sandbox.EmbeddedKafka;
import dev.workbookrelay.sandbox.NangoGraphEmulator;
import dev.workbookrelay.sandbox.RelayProcess;
import dev.workbookrelay.sandbox.SampleWorkbooks;
import dev.workbookrelay.sandbox.SampleWorkbooks.SheetSpec;
import dev.workbookrelay.support.RelayFixture;
import dev.workbookrelay.support.SyncStatuses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A workbook's download goes to disk as it streams in, never into the heap: a relay with a 64 MB heap downloads a
 * 96 MB answer. (It once went through Camel's stream cache, in memory, before it was saved: this relay ran out of
 * heap.) The answer is a gateway's page, not a workbook, so the workbook is then skipped with its reason.
 */
class DownloadLargerThanTheHeapTest {

    private static final int BODY_CHARS = 96 << 20;

    @TempDir
    Path dir;

    @Test
    void aDownloadLargerThanTheHeapIsSavedToDiskAndReadFromThere() throws Exception {
        Path drive = Files.createDirectories(dir.resolve("drive"));
        SampleWorkbooks.write(drive.resolve("Big.xlsx"), SheetSpec.of("Data", List.of("a"), List.of(1)));
        String secret = UUID.randomUUID().toString();
        try (EmbeddedKafka kafka = EmbeddedKafka.start();
                NangoGraphEmulator nango = NangoGraphEmulator.builder().secretKey(secret)
                        .connection("microsoft-excel", "alice", drive).recordRequests(false).build().start()) {
            kafka.createTopics(RelayFixture.TOPICS);
            nango.faults().failNext("/content", 1, 200, Map.of("Content-Type", "text/html"),
                    "<html>" + "x".repeat(BODY_CHARS) + "</html>");
            try (RelayProcess relay = RelayProcess.launcher().brokers(kafka.bootstrapServers())
                    .nango(nango.baseUrl(), secret).stateDir(dir.resolve("state"))
                    .setting("workbook-relay.rows.download-above-bytes", "0") // every workbook downloaded
                    .setting("workbook-relay.rows.scratch-dir", dir.resolve("scratch").toString())
                    .jvmArgs("-Xmx64m").logFile(dir.resolve("relay.log")).start()) {
                relay.awaitReady(Duration.ofSeconds(90));
                KillNineMidSyncTest.send(kafka.bootstrapServers(),
                        "{\"connectionId\":\"alice\",\"requestId\":\"big\",\"rows\":\"all\"}");
                JsonNode status = SyncStatuses.await(kafka.bootstrapServers(), "big");
                assertEquals("succeeded", status.get("outcome").asText(), status.toString());
                JsonNode skipped = status.get("skipped").get(0);
                assertEquals("unreadableWorkbook", skipped.get("code").asText(), status.toString());
                assertTrue(skipped.get("reason").asText().contains("not an .xlsx"), skipped.toString());
            }
        }
    }
}

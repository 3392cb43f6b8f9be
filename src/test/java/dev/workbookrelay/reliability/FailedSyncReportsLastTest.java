package dev.workbookrelay.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workbookrelay.sandbox.FaultPlan;
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
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sync that fails while other workbooks of it are still being read in the parallel split reports its failure
 * only after those have published and handed over their state: no event of a failed sync comes after its status
 * (a consumer, or the next sync, would otherwise see it finish after it was declared over), and it reads no more of
 * the drive. Nothing is lost: the next sync publishes every workbook.
 */
class FailedSyncReportsLastTest {

    static final String WORKSHEETS = "/workbook/worksheets";
    static final int WORKBOOKS = 40;
    static final int PAGE_SIZE = 2;
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void aFailedSyncsStatusComesAfterEveryEventOfItsItemsInFlightAndItReadsNoFurther() throws Exception {
        Path drive = Files.createDirectories(dir.resolve("gina"));
        for (int i = 0; i < WORKBOOKS; i++) {
            SampleWorkbooks.write(drive.resolve("Book" + i + ".xlsx"), SheetSpec.of("Sheet" + i));
        }
        try (RelayFixture fixture = new RelayFixture(Map.of("gina", drive),
                Map.of("workbook-relay.sync.concurrency", "4",
                        "workbook-relay.graph.page-size", Integer.toString(PAGE_SIZE)))) {
            // the third worksheet read meets Nango failing the connection (the sync fails); the reads are slow, so
            // the two before it are surely still in flight when it fails
            fixture.nango.faults().nangoFailAfter(WORKSHEETS, 2, 1, 400, FaultPlan.NANGO_REFRESH_FAILED);
            fixture.nango.faults().slowNext(WORKSHEETS, WORKBOOKS, Duration.ofMillis(1500));
            fixture.relay.requestSync("{\"connectionId\":\"gina\",\"requestId\":\"fails\"}");
            JsonNode failed = SyncStatuses.await(fixture.kafka.bootstrapServers(), "fails");
            assertEquals("failed", failed.get("outcome").asText(), failed.toString());

            long statusTime;
            try (RawRecords status = new RawRecords(fixture.kafka.bootstrapServers(), "workbook-relay.sync-status")) {
                statusTime = status.readUntil(r -> !r.isEmpty(), Duration.ofSeconds(10)).get(0).timestamp();
            }
            List<ConsumerRecord<byte[], byte[]>> events;
            try (RawRecords workbooks = new RawRecords(fixture.kafka.bootstrapServers(), "workbook-relay.workbooks")) {
                // anything still to come would come within the slow reads' time
                events = workbooks.readQuiet(Duration.ofSeconds(4), Duration.ofSeconds(20));
            }
            assertFalse(events.isEmpty(), "the reads in flight when it failed were finished and published");
            long pages = fixture.nango.requests().stream().filter(r -> r.pathAndQuery().contains("/delta")).count();
            assertTrue(pages < WORKBOOKS / PAGE_SIZE / 2, "it stopped reading the drive: " + pages + " of "
                    + WORKBOOKS / PAGE_SIZE + " pages read");
            for (ConsumerRecord<byte[], byte[]> e : events) {
                assertTrue(e.timestamp() <= statusTime, "event published " + (e.timestamp() - statusTime)
                        + " ms after the failed status: " + RawRecords.utf8(e.value()));
            }

            fixture.nango.faults().clear();
            fixture.relay.requestSync("{\"connectionId\":\"gina\",\"requestId\":\"again\"}");
            JsonNode again = SyncStatuses.await(fixture.kafka.bootstrapServers(), "again");
            assertEquals("succeeded", again.get("outcome").asText(), again.toString());
            Set<String> names = new TreeSet<>();
            try (RawRecords workbooks = new RawRecords(fixture.kafka.bootstrapServers(), "workbook-relay.workbooks")) {
                for (ConsumerRecord<byte[], byte[]> e : workbooks.readQuiet(Duration.ofSeconds(2),
                        Duration.ofSeconds(20))) {
                    names.add(JSON.readTree(e.value()).get("after").get("name").asText());
                }
            }
            assertEquals(WORKBOOKS, names.size(), "every workbook published in the end: " + names);
        }
    }
}

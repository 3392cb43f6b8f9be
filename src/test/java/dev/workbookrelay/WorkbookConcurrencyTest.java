package dev.workbookrelay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.workbookrelay.sandbox.RecordedRequest;
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
 * {@code workbook-relay.sync.concurrency} is the number of a sync's workbook requests in flight at Graph at once:
 * read back from the emulator, which records when each request arrived and when its (delayed) answer left.
 */
class WorkbookConcurrencyTest {

    static final int CONCURRENCY = 3;

    @TempDir
    Path dir;

    @Test
    void aSyncHasExactlyItsConcurrencyOfWorkbookRequestsInFlightAndNeverMore() throws Exception {
        Path drive = Files.createDirectories(dir.resolve("drive"));
        for (int i = 1; i <= 12; i++) {
            SampleWorkbooks.write(drive.resolve("Book " + i + ".xlsx"), SheetSpec.of("Sheet " + i));
        }
        try (RelayFixture fixture = new RelayFixture(Map.of("gus", drive),
                Map.of("workbook-relay.sync.concurrency", Integer.toString(CONCURRENCY)))) {
            // long enough that requests sent at once are in flight together whatever the machine's load
            fixture.nango.faults().delayEach(Duration.ofMillis(150));
            String requestId = "r-" + UUID.randomUUID();
            fixture.relay.requestSync("{\"connectionId\":\"gus\",\"requestId\":\"" + requestId + "\"}");
            JsonNode status = SyncStatuses.await(fixture.kafka.bootstrapServers(), requestId);

            assertEquals("succeeded", status.get("outcome").asText(), status.toString());
            List<RecordedRequest> worksheetCalls = fixture.nango.requests().stream()
                    .filter(r -> r.pathAndQuery().contains("/workbook/worksheets")).toList();
            assertEquals(12, worksheetCalls.size());
            // the relay runs twice as many workbook threads as requests: only the request permits keep this at 3
            assertEquals(CONCURRENCY, mostAtOnce(worksheetCalls), "workbook requests in flight at once");
        }
    }

    /** The largest number of the requests in the emulator's hands at one instant. */
    static int mostAtOnce(List<RecordedRequest> requests) {
        int most = 0;
        for (RecordedRequest r : requests) {
            // the most overlapping intervals always include one that starts at that instant
            int atStart = (int) requests.stream().filter(o -> !o.receivedAt().isAfter(r.receivedAt())
                    && o.answeredAt().isAfter(r.receivedAt())).count();
            most = Math.max(most, atStart);
        }
        return most;
    }
}

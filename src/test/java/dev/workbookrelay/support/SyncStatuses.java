package dev.workbookrelay.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workbookrelay.sandbox.TopicReader;
import dev.workbookrelay.sandbox.TopicReader.ConsumedEvent;
import java.time.Duration;

/** Reads the sync-status topic for the status of one sync request. */
public final class SyncStatuses {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SyncStatuses() {
    }

    /** The status event whose requestId is {@code requestId}, waiting up to a minute for it. */
    public static JsonNode await(String brokers, String requestId) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        try (TopicReader reader = new TopicReader(brokers, "workbook-relay.sync-status")) {
            while (System.nanoTime() < deadline) {
                for (ConsumedEvent e : reader.readUntil(1, Duration.ofSeconds(1))) {
                    JsonNode status = JSON.readTree(e.value());
                    if (status.get("requestId").asText().equals(requestId)) {
                        return status;
                    }
                }
            }
        }
        throw new AssertionError("no status event for request " + requestId);
    }
}

package dev.workbookrelay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workbookrelay.sandbox.RecordedRequest;
import dev.workbookrelay.sandbox.SampleWorkbooks;
import dev.workbookrelay.sandbox.SampleWorkbooks.SheetSpec;
import dev.workbookrelay.sandbox.TopicReader;
import dev.workbookrelay.sandbox.TopicReader.ConsumedEvent;
import dev.workbookrelay.support.RelayFixture;
import dev.workbookrelay.support.RunningRelay;
import dev.workbookrelay.support.SyncStatuses;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the relay sends Nango, and what it does with Nango's refusals: every call carries the Nango headers and
 * no Graph header outside the {@code Nango-Proxy-} prefix; a wrong secret key or an unknown connection ends in a
 * failed status event carrying Nango's reason; a malformed request goes to the dead-letter topic.
 */
class NangoProxyContractTest {

    static final ObjectMapper JSON = new ObjectMapper();
    /** What Nango reads itself, plus what any HTTP client sends for the connection. */
    static final Set<String> ALLOWED = Set.of("authorization", "provider-config-key", "connection-id", "retries",
            "host", "connection", "user-agent", "accept-encoding", "content-length");

    @TempDir
    static Path drive;
    static RelayFixture fixture;

    @BeforeAll
    static void start() throws Exception {
        SampleWorkbooks.write(drive.resolve("Book.xlsx"), SheetSpec.of("One"), SheetSpec.of("Two"));
        fixture = new RelayFixture(Map.of("carol", drive), Map.of());
    }

    @AfterAll
    static void stop() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void httpsCallsToNangoGetTheSameClientSettingsAsHttpOnes() {
        // Nango's real URL is https://, served by Camel's https component: an instance of its own whose settings
        // are not camel.component.http.*'s (the emulator is plain http, so nothing else here would notice)
        var http = fixture.relay.context().getComponent("http", org.apache.camel.component.http.HttpComponent.class);
        var https = fixture.relay.context().getComponent("https",
                org.apache.camel.component.http.HttpComponent.class);
        assertEquals(120_000L, http.getSoTimeout(), "the shipped so-timeout");
        assertEquals(http.getSoTimeout(), https.getSoTimeout());
        assertEquals(http.getConnectTimeout(), https.getConnectTimeout());
        assertEquals(http.getConnectionRequestTimeout(), https.getConnectionRequestTimeout());
        assertEquals(64, https.getConnectionsPerRoute());
        assertTrue(https.isAutomaticRetriesDisabled(), "the relay owns retries");
        assertTrue(https.getHttpClientConfigurer() instanceof dev.workbookrelay.graphcall.CallDeadline,
                "the whole-call deadline");
        assertEquals(http.getHttpClientConfigurer(), https.getHttpClientConfigurer());
    }

    @Test
    void everyCallCarriesNangoHeadersAndGraphHeadersOnlyUnderTheProxyPrefix() throws Exception {
        fixture.nango.clearRequests();
        fixture.relay.requestSync("{\"connectionId\":\"carol\",\"requestId\":\"headers\",\"mode\":\"full\"}");
        JsonNode status = statusOf("headers");
        assertEquals("succeeded", status.get("outcome").asText(), status.toString());

        List<RecordedRequest> requests = fixture.nango.requests();
        assertEquals(2, requests.size(), "one delta page and one worksheet list");
        for (RecordedRequest r : requests) {
            assertEquals("Bearer " + fixture.secret, r.header("authorization"));
            assertEquals("microsoft-excel", r.header("provider-config-key"));
            assertEquals("carol", r.header("connection-id"));
            assertEquals("0", r.header("retries"), "the relay, not Nango, owns retries");
            assertTrue(r.pathAndQuery().startsWith("/proxy/v1.0/"), r.pathAndQuery());
            for (String name : r.headers().keySet()) {
                String n = name.toLowerCase(Locale.ROOT);
                assertTrue(n.startsWith("nango-proxy-") || ALLOWED.contains(n), "header sent to Nango: " + name);
            }
            assertEquals("application/json", r.header("nango-proxy-accept"));
        }
        assertTrue(requests.get(0).pathAndQuery().contains("/root/delta?"));
        assertTrue(requests.get(0).pathAndQuery().contains("deleted"), "delta always selects the deleted facet");
    }

    @Test
    void anUnknownConnectionFailsTheSyncWithNangosReason() throws Exception {
        fixture.relay.requestSync("{\"connectionId\":\"nobody\",\"requestId\":\"unknown-connection\"}");
        JsonNode status = statusOf("unknown-connection");
        assertEquals("failed", status.get("outcome").asText());
        assertEquals("nango", status.get("error").get("origin").asText());
        assertEquals(400, status.get("error").get("status").asInt());
        assertEquals("Nango 400 server_error: Failed to get connection", status.get("error").get("reason").asText());
        assertEquals(1, fixture.nango.requests().stream()
                .filter(r -> "nobody".equals(r.header("connection-id"))).count(), "not retried: Nango answered");

        ConsumedEvent dead = deadLetterOf("unknown-connection");
        assertEquals("sync-failed", dead.header("dlq-kind"));
        assertEquals("sync failed: Nango 400 server_error: Failed to get connection", dead.header("dlq-reason"));
        assertEquals("{\"connectionId\":\"nobody\",\"requestId\":\"unknown-connection\"}", dead.value(),
                "the original request, replayable as it is");
    }

    /** The dead letter of the request with this requestId (its original bytes contain it). */
    static ConsumedEvent deadLetterOf(String requestId) {
        try (TopicReader reader = new TopicReader(fixture.kafka.bootstrapServers(), "workbook-relay.dead-letter")) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumedEvent e : reader.readQuiet(Duration.ofMillis(500), Duration.ofSeconds(5))) {
                    if (e.value() != null && e.value().contains("\"" + requestId + "\"")) {
                        return e;
                    }
                }
            }
        }
        throw new AssertionError("no dead letter for request " + requestId);
    }

    @Test
    void anUnknownIntegrationFailsTheSyncWithNangosReason() throws Exception {
        fixture.relay.requestSync("{\"connectionId\":\"carol\",\"providerConfigKey\":\"no-such-integration\","
                + "\"requestId\":\"unknown-integration\"}");
        JsonNode status = statusOf("unknown-integration");
        assertEquals("failed", status.get("outcome").asText());
        assertEquals(404, status.get("error").get("status").asInt());
        assertEquals("unknown_provider_config", status.get("error").get("code").asText());
    }

    @Test
    void aWrongSecretKeyFailsTheSyncWithNangosReasonAndNeverLeaksTheKey() throws Exception {
        String wrongKey = UUID.randomUUID().toString();
        try (RunningRelay other = RunningRelay.start(fixture.kafka.bootstrapServers(), fixture.nango.baseUrl(),
                wrongKey, Map.of("workbook-relay.topics.sync-requests", "wrong-key-requests"))) {
            other.requestSync("{\"connectionId\":\"carol\",\"requestId\":\"wrong-key\"}");
            JsonNode status = statusOf("wrong-key");
            assertEquals("failed", status.get("outcome").asText());
            assertEquals(401, status.get("error").get("status").asInt());
            assertEquals("unknown_account", status.get("error").get("code").asText());
            assertTrue(status.get("error").get("reason").asText().startsWith("Nango 401 unknown_account"));
            assertFalse(status.toString().contains(wrongKey));
        }
    }

    @Test
    void malformedRequestsGoToTheDeadLetterTopicAndTheNextRequestStillRuns() throws Exception {
        fixture.relay.send("not json at all".getBytes());
        fixture.relay.requestSync("{\"providerConfigKey\":\"microsoft-excel\"}");
        fixture.relay.requestSync("{\"connectionId\":42}");
        fixture.relay.requestSync("{\"connectionId\":\"carol\",\"drive\":\"elsewhere/x\"}");
        fixture.relay.requestSync("{\"connectionId\":\"carol\",\"requestId\":\"after-bad-ones\"}");

        assertEquals("succeeded", statusOf("after-bad-ones").get("outcome").asText());
        try (TopicReader reader = new TopicReader(fixture.kafka.bootstrapServers(), "workbook-relay.dead-letter")) {
            // other tests' failed syncs are dead-lettered too ("sync-failed"); these are the rejected messages
            List<ConsumedEvent> dead = reader.readQuiet(Duration.ofSeconds(2), Duration.ofSeconds(30)).stream()
                    .filter(e -> "invalid-request".equals(e.header("dlq-kind"))).toList();
            assertEquals(4, dead.size(), dead.toString());
            assertEquals("not json at all", dead.get(0).value(), "original bytes kept");
            assertTrue(dead.get(0).header("dlq-reason").startsWith("not JSON"), dead.get(0).header("dlq-reason"));
            assertEquals("connectionId is missing", dead.get(1).header("dlq-reason"));
            assertEquals("field 'connectionId' must be a string, got number", dead.get(2).header("dlq-reason"));
            assertTrue(dead.get(3).header("dlq-reason").startsWith("drive must be"));
            for (ConsumedEvent e : dead) {
                assertEquals("workbook-relay.sync-requests", e.header("dlq-topic"));
                assertEquals("0", e.header("dlq-partition"));
                assertTrue(Long.parseLong(e.header("dlq-offset")) >= 0);
            }
        }
    }

    static JsonNode statusOf(String requestId) throws Exception {
        return SyncStatuses.await(fixture.kafka.bootstrapServers(), requestId);
    }
}

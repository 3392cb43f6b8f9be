package dev.workbookrelay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.workbookrelay.sandbox.SampleWorkbooks;
import dev.workbookrelay.sandbox.SampleWorkbooks.SheetSpec;
import dev.workbookrelay.support.RelayFixture;
import dev.workbookrelay.support.RunningRelay;
import dev.workbookrelay.support.SyncStatuses;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an operator sees over HTTP: liveness and readiness (readiness covering Kafka and Nango accepting the
 * secret key) and Prometheus metrics counting syncs, events, Graph calls, throttling waits and dead letters.
 */
class HealthAndMetricsTest {

    static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path drive;
    static RelayFixture fixture;

    @BeforeAll
    static void start() throws Exception {
        SampleWorkbooks.write(drive.resolve("Ledger.xlsx"), SheetSpec.of("Jan"), SheetSpec.of("Feb"));
        fixture = new RelayFixture(Map.of("gina", drive), Map.of(
                "workbook-relay.graph.retry.initial-delay-ms", "50"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void aHealthyRelayIsLiveAndReady() throws Exception {
        HttpResponse<String> live = get(fixture.relay.managementUrl() + "/observe/health/live");
        HttpResponse<String> ready = awaitStatus(fixture.relay.managementUrl() + "/observe/health/ready", 200);

        assertEquals(200, live.statusCode(), live.body());
        assertEquals("UP", json(live.body()).get("status").asText());
        assertEquals("UP", json(ready.body()).get("status").asText(), ready.body());
    }

    @Test
    void healthAndMetricsListenOnLoopbackOnlyByDefault() throws Exception {
        int port = URI.create(fixture.relay.managementUrl()).getPort();
        java.net.InetAddress external = java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())
                .stream().filter(i -> !isLoopback(i)).flatMap(java.net.NetworkInterface::inetAddresses)
                .filter(a -> a instanceof java.net.Inet4Address).findFirst().orElse(null);
        org.junit.jupiter.api.Assumptions.assumeTrue(external != null, "this machine has no non-loopback address");
        try (java.net.Socket local = new java.net.Socket("127.0.0.1", port)) {
            assertTrue(local.isConnected());
        }
        try (java.net.Socket remote = new java.net.Socket()) {
            remote.connect(new java.net.InetSocketAddress(external, port), 2000);
            throw new AssertionError("the management port answers on " + external + ": it must not by default");
        } catch (java.io.IOException refused) {
            // refused: bound to 127.0.0.1 (camel.management.host)
        }
    }

    private static boolean isLoopback(java.net.NetworkInterface i) {
        try {
            return i.isLoopback() || !i.isUp();
        } catch (java.net.SocketException e) {
            return true;
        }
    }

    @Test
    void readinessGoesDownWhileKafkaIsAwayAndComesBackWithIt() throws Exception {
        String ready = fixture.relay.managementUrl() + "/observe/health/ready";
        awaitStatus(ready, 200);
        fixture.kafka.stopBroker();
        try {
            HttpResponse<String> down = awaitStatus(ready, 503);
            assertTrue(down.body().toLowerCase(java.util.Locale.ROOT).contains("kafka"), down.body());
            assertEquals(200, get(fixture.relay.managementUrl() + "/observe/health/live").statusCode(),
                    "Kafka away is no reason to restart the relay");
        } finally {
            fixture.kafka.restartBroker();
        }
        awaitStatus(ready, 200);
        fixture.relay.requestSync("{\"connectionId\":\"gina\",\"requestId\":\"after-broker\"}");
        assertEquals("succeeded", SyncStatuses.await(fixture.kafka.bootstrapServers(), "after-broker")
                .get("outcome").asText());
    }

    @Test
    void metricsCountSyncsEventsGraphCallsThrottlingAndDeadLetters() throws Exception {
        String before = get(fixture.relay.managementUrl() + "/observe/metrics").body();
        fixture.nango.faults().failNext("/root/delta", 1, 429, Map.of("Retry-After", "0.4"), null);
        fixture.relay.requestSync("{\"connectionId\":\"gina\",\"mode\":\"full\",\"requestId\":\"metrics-1\"}");
        assertEquals("succeeded", SyncStatuses.await(fixture.kafka.bootstrapServers(), "metrics-1")
                .get("outcome").asText());
        fixture.relay.send("{oops".getBytes());
        fixture.relay.requestSync("{\"connectionId\":\"gina\",\"requestId\":\"metrics-2\"}");
        SyncStatuses.await(fixture.kafka.bootstrapServers(), "metrics-2");

        String after = get(fixture.relay.managementUrl() + "/observe/metrics").body();

        assertEquals(2.0, increase(before, after, "workbook_relay_syncs_total", "outcome=\"succeeded\""), after);
        assertEquals(1.0, increase(before, after, "workbook_relay_events_total",
                "type=\"dev.workbookrelay.workbook.snapshot\""));
        assertEquals(2.0, increase(before, after, "workbook_relay_events_total",
                "type=\"dev.workbookrelay.worksheet.snapshot\""));
        assertEquals(1.0, increase(before, after, "workbook_relay_graph_calls_total", "status=\"429\""));
        assertEquals(3.0, increase(before, after, "workbook_relay_graph_calls_total", "status=\"200\""),
                "two delta pages (full, then incremental) and one worksheet list");
        assertEquals(1.0, increase(before, after, "workbook_relay_graph_retries_total", "reason=\"429\""));
        assertTrue(increase(before, after, "workbook_relay_throttle_wait_seconds_total", "cause=\"retry-after\"")
                >= 0.4, after);
        assertEquals(1.0, increase(before, after, "workbook_relay_dead_letters_total", "kind=\"invalid-request\""));
        assertTrue(after.contains("jvm_memory_used_bytes") || after.contains("camel_"), "Camel's own series");
        assertTrue(after.contains("\nworkbook_relay_syncs_running") && after.contains("\nworkbook_relay_syncs_waiting"),
                "the queue's gauges");
        assertEquals(0.0, value(after, "workbook_relay_syncs_running", ""), "nothing runs now");
        assertEquals(0.0, value(after, "workbook_relay_syncs_waiting", ""), "nothing waits now");
        double lastSuccess = value(after, "workbook_relay_source_last_success_seconds",
                "source_key=\"microsoft-excel/gina/me\"");
        assertTrue(Math.abs(System.currentTimeMillis() / 1000.0 - lastSuccess) < 120, "last success " + lastSuccess);
    }

    static double increase(String before, String after, String name, String label) {
        return value(after, name, label) - value(before, name, label);
    }

    @Test
    void aRefusedSecretKeyMakesTheRelayNotReadyAndFailsLaterSyncsWithoutCallingNango() throws Exception {
        String wrongKey = UUID.randomUUID().toString();
        try (RunningRelay relay = RunningRelay.start(fixture.kafka.bootstrapServers(), fixture.nango.baseUrl(),
                wrongKey, Map.of("workbook-relay.topics.sync-requests", "bad-key-requests"))) {
            relay.requestSync("{\"connectionId\":\"gina\",\"requestId\":\"bad-key-1\"}");
            JsonNode first = SyncStatuses.await(fixture.kafka.bootstrapServers(), "bad-key-1");
            long callsWithWrongKey = wrongKeyCalls(wrongKey);

            relay.requestSync("{\"connectionId\":\"gina\",\"requestId\":\"bad-key-2\"}");
            JsonNode second = SyncStatuses.await(fixture.kafka.bootstrapServers(), "bad-key-2");
            HttpResponse<String> ready = awaitStatus(relay.managementUrl() + "/observe/health/ready", 503);
            HttpResponse<String> live = get(relay.managementUrl() + "/observe/health/live");

            assertEquals("Nango 401 unknown_account: Authentication failed. The provided authorization header does "
                    + "not match any account.", first.get("error").get("reason").asText());
            assertEquals(1, callsWithWrongKey, "one call, no retry");
            assertEquals(first.get("error").get("reason"), second.get("error").get("reason"));
            assertEquals(callsWithWrongKey, wrongKeyCalls(wrongKey), "the second sync did not call Nango at all");
            assertEquals(0, second.get("graphCalls").asInt());
            assertTrue(ready.body().contains("workbook-relay.nango.secret-key"), ready.body());
            assertEquals(200, live.statusCode(), "a bad key is not cured by a restart: liveness stays UP");
            assertFalse(ready.body().contains(wrongKey));
        }
    }

    private static long wrongKeyCalls(String key) {
        return fixture.nango.requests().stream().filter(r -> ("Bearer " + key).equals(r.header("authorization")))
                .count();
    }

    /** The value of a Prometheus sample whose labels include {@code label}; 0 when absent. */
    static double value(String metrics, String name, String label) {
        Matcher m = Pattern.compile("(?m)^" + name + "(?:\\{([^}]*)\\})? (\\S+)$").matcher(metrics);
        double sum = 0;
        while (m.find()) {
            if ((m.group(1) == null ? "" : m.group(1)).contains(label)) {
                sum += Double.parseDouble(m.group(2));
            }
        }
        return sum;
    }

    static HttpResponse<String> awaitStatus(String url, int status) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        HttpResponse<String> last = get(url);
        while (last.statusCode() != status && System.nanoTime() < deadline) {
            Thread.sleep(250);
            last = get(url);
        }
        assertEquals(status, last.statusCode(), last.body());
        return last;
    }

    static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(String body) throws Exception {
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(body);
    }
}

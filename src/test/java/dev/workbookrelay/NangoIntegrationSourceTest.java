package dev.workbookrelay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workbookrelay.sandbox.RecordedRequest;
import dev.workbookrelay.sandbox.SampleWorkbooks;
import dev.workbookrelay.sandbox.SampleWorkbooks.SheetSpec;
import dev.workbookrelay.support.PostgresSchema;
import dev.workbookrelay.support.RawRecords;
import dev.workbookrelay.support.RelayFixture;
import dev.workbookrelay.support.SourcesFile;
import dev.workbookrelay.support.SyncStatuses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A source that names a whole Nango integration: its connections come from Nango's connections API, paged. A
 * connection added in Nango is synced at the next tick; one removed stops being synced, and its state is removed
 * once it has been gone longer than the retention.
 */
class NangoIntegrationSourceTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void connectionsAreDiscoveredSyncedAndWhenGoneStoppedThenForgotten() throws Exception {
        String routes = new SourcesFile().integration("excel-users", "microsoft-excel", "0/2 * * * * ?")
                .writeTo(dir.resolve("sources.camel.yaml"));
        Map<String, Path> connections = new LinkedHashMap<>();
        for (String user : List.of("ann", "ben", "cat")) {
            connections.put(user, drive(user));
        }
        try (PostgresSchema schema = new PostgresSchema("relay_integration");
                RelayFixture fixture = new RelayFixture(connections, Map.of(
                        "camel.main.routes-include-pattern", routes,
                        "workbook-relay.state.jdbc-url", schema.url(),
                        // pages of two: three connections take two pages, and the last is short
                        "workbook-relay.nango.connections-page-size", "2",
                        "workbook-relay.nango.removed-connection-retention-ms", "6000"))) {
            awaitUntil(() -> synced(fixture).keySet().containsAll(Set.of("ann", "ben", "cat")), "first syncs");
            List<RecordedRequest> listings = fixture.nango.requests().stream()
                    .filter(r -> r.pathAndQuery().startsWith("/connections")).toList();
            assertTrue(listings.stream().anyMatch(r -> r.pathAndQuery().contains("integrationId=microsoft-excel")
                    && r.pathAndQuery().contains("limit=2") && r.pathAndQuery().contains("page=1")), "paged");

            fixture.nango.addConnection("microsoft-excel", "dan", drive("dan"));
            awaitUntil(() -> synced(fixture).containsKey("dan"), "the new connection's first sync");
            JsonNode first = statusesOf(fixture, "dan").get(0);
            assertEquals("snapshot", first.get("mode").asText());
            assertEquals("excel-users", first.get("source").asText());

            fixture.nango.removeConnection("microsoft-excel", "ann");
            awaitUntil(() -> goneSince(schema, "ann") != null, "ann marked gone");
            int annSyncs = synced(fixture).get("ann");
            assertTrue(rows(schema, "microsoft-excel/ann/me") > 0, "a gone connection's state is kept for a while");
            Thread.sleep(4500); // two more ticks
            assertEquals(annSyncs, synced(fixture).get("ann"), "a connection gone from Nango is not synced");
            assertTrue(synced(fixture).get("ben") > 2, "the others still are");

            awaitUntil(() -> rows(schema, "microsoft-excel/ann/me") == 0, "ann's state removed after retention");
            assertEquals(null, goneSince(schema, "ann"), "and the connection forgotten");
        }
    }

    @Test
    void aConnectionWithASourceOfItsOwnIsLeftOutOfItsIntegration() throws Exception {
        String routes = new SourcesFile().integration("excel-users", "microsoft-excel", "0/2 * * * * ?")
                .connection("ann-own", "ann", "0 0 0 1 1 ? 2099").writeTo(dir.resolve("both.camel.yaml"));
        try (RelayFixture fixture = new RelayFixture(Map.of("ann", drive("ann"), "ben", drive("ben")), Map.of(
                "camel.main.routes-include-pattern", routes))) {
            awaitUntil(() -> synced(fixture).getOrDefault("ben", 0) >= 2, "two ticks of the integration");
            assertEquals(List.of(), statusesOf(fixture, "ann"), "ann is not synced by the integration");

            fixture.relay.requestSync("{\"connectionId\":\"ann\",\"requestId\":\"ann-now\"}");
            JsonNode own = SyncStatuses.await(fixture.kafka.bootstrapServers(), "ann-now");
            assertEquals("succeeded", own.get("outcome").asText(), own.toString());
            assertEquals("ann-own", own.get("source").asText(), "a request for ann is its own source's");
        }
    }

    private Path drive(String user) throws Exception {
        Path drive = Files.createDirectories(dir.resolve(user));
        SampleWorkbooks.write(drive.resolve(user + ".xlsx"), SheetSpec.of("Sheet"));
        return drive;
    }

    /** Connection id → succeeded syncs so far. */
    private static Map<String, Integer> synced(RelayFixture fixture) {
        try (RawRecords status = new RawRecords(fixture.kafka.bootstrapServers(), "workbook-relay.sync-status")) {
            return status.readQuiet(Duration.ofMillis(300), Duration.ofSeconds(10)).stream().map(r -> read(r.value()))
                    .filter(s -> s.path("outcome").asText().equals("succeeded"))
                    .collect(Collectors.groupingBy(s -> s.get("connectionId").asText(), Collectors.summingInt(s -> 1)));
        }
    }

    private static List<JsonNode> statusesOf(RelayFixture fixture, String connectionId) {
        try (RawRecords status = new RawRecords(fixture.kafka.bootstrapServers(), "workbook-relay.sync-status")) {
            return status.readQuiet(Duration.ofMillis(300), Duration.ofSeconds(10)).stream().map(r -> read(r.value()))
                    .filter(s -> s.path("connectionId").asText().equals(connectionId)).toList();
        }
    }

    private static Long goneSince(PostgresSchema schema, String connectionId) {
        return query(schema, "SELECT removed_at_ms FROM nango_connection WHERE connection_id = '" + connectionId
                + "' AND removed_at_ms IS NOT NULL");
    }

    private static long rows(PostgresSchema schema, String sourceKey) {
        Long count = query(schema, "SELECT COUNT(*) FROM sync_workbook WHERE source_key = '" + sourceKey + "'");
        return count == null ? 0 : count;
    }

    private static Long query(PostgresSchema schema, String sql) {
        try (Connection c = DriverManager.getConnection(schema.url()); Statement s = c.createStatement();
                ResultSet row = s.executeQuery(sql)) {
            return row.next() ? row.getLong(1) : null;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static void awaitUntil(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(45).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not in time: " + what);
            }
            Thread.sleep(300);
        }
    }

    private static JsonNode read(byte[] value) {
        try {
            return JSON.readTree(value);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}

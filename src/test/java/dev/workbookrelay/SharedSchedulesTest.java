package dev.workbookrelay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.workbookrelay.sandbox.EmbeddedKafka;
import dev.workbookrelay.sandbox.NangoGraphEmulator;
import dev.workbookrelay.support.PostgresSchema;
import dev.workbookrelay.support.RelayFixture;
import dev.workbookrelay.support.RunningRelay;
import dev.workbookrelay.support.SourcesFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With the state in PostgreSQL the schedules live in Quartz's clustered job store there, shared by every instance;
 * a source removed from the routes has its schedule removed from the store when an instance starts without it.
 */
class SharedSchedulesTest {

    static final String NEVER = "0 0 0 1 1 ? 2099";

    @TempDir
    Path dir;

    @Test
    void schedulesAreKeptInTheStateDatabaseAndASourceRemovedFromTheRoutesLosesItsSchedule() throws Exception {
        String secret = UUID.randomUUID().toString();
        try (EmbeddedKafka kafka = EmbeddedKafka.start();
                NangoGraphEmulator nango = NangoGraphEmulator.builder().secretKey(secret)
                        .connection("microsoft-excel", "ann", Files.createDirectories(dir.resolve("drive")))
                        .build().start();
                PostgresSchema schema = new PostgresSchema("relay_schedules")) {
            kafka.createTopics(RelayFixture.TOPICS);
            String both = new SourcesFile().connection("ann-drive", "ann", NEVER)
                    .integration("excel-users", "microsoft-excel", NEVER).writeTo(dir.resolve("both.camel.yaml"));
            try (RunningRelay relay = start(kafka, nango, secret, schema, both)) {
                assertEquals(Set.of("workbook-relay.ann-drive", "workbook-relay-integration.excel-users"),
                        triggers(schema), "the schedules, in the shared store");
            }
            String one = new SourcesFile().connection("ann-drive", "ann", NEVER).writeTo(dir.resolve("one.camel.yaml"));
            try (RunningRelay relay = start(kafka, nango, secret, schema, one)) {
                assertEquals(Set.of("workbook-relay.ann-drive"), triggers(schema), "the removed source's is gone");
            }
        }
    }

    private static RunningRelay start(EmbeddedKafka kafka, NangoGraphEmulator nango, String secret,
            PostgresSchema schema, String routes) throws Exception {
        return RunningRelay.start(kafka.bootstrapServers(), nango.baseUrl(), secret, Map.of(
                "camel.main.routes-include-pattern", routes, "workbook-relay.state.jdbc-url", schema.url()));
    }

    private static Set<String> triggers(PostgresSchema schema) throws Exception {
        Set<String> triggers = new TreeSet<>();
        try (Connection c = DriverManager.getConnection(schema.url()); Statement s = c.createStatement();
                ResultSet row = s.executeQuery("SELECT trigger_group, trigger_name FROM qrtz_triggers")) {
            while (row.next()) {
                triggers.add(row.getString(1) + "." + row.getString(2));
            }
        }
        return triggers;
    }
}

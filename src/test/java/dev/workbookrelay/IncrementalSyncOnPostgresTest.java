package dev.workbookrelay;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;

/**
 * The incremental-sync story with state in PostgreSQL (127.0.0.1:5432, database {@code test}, trust auth), in a
 * schema of its own that is dropped afterwards.
 */
class IncrementalSyncOnPostgresTest extends IncrementalSyncStory {

    static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/test";
    static final String USER = System.getenv().getOrDefault("PGUSER", "postgres");

    private String schema;

    @Override
    String stateUrl() throws Exception {
        if (schema == null) {
            schema = "relay_story_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            try (Connection c = DriverManager.getConnection(SERVER, USER, null); Statement s = c.createStatement()) {
                s.execute("CREATE SCHEMA " + schema);
            }
        }
        return SERVER + "?currentSchema=" + schema + "&user=" + USER;
    }

    @AfterEach
    void dropSchema() throws Exception {
        if (schema != null) {
            try (Connection c = DriverManager.getConnection(SERVER, USER, null); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }
}

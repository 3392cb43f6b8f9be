package dev.workbookrelay;

import dev.workbookrelay.support.PostgresSchema;
import org.junit.jupiter.api.AfterEach;

/**
 * The incremental-sync story with state in PostgreSQL (127.0.0.1:5432, database {@code test}, trust auth), in a
 * schema of its own that is dropped afterwards.
 */
class IncrementalSyncOnPostgresTest extends IncrementalSyncStory {

    private PostgresSchema schema;

    @Override
    String stateUrl() throws Exception {
        if (schema == null) {
            schema = new PostgresSchema("relay_story");
        }
        return schema.url();
    }

    @AfterEach
    void dropSchema() throws Exception {
        if (schema != null) {
            schema.close();
            schema = null;
        }
    }
}

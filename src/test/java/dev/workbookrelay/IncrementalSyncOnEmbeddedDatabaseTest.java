package dev.workbookrelay;

import java.nio.file.Files;

/** The incremental-sync story with state in the embedded H2 database file (the default). */
class IncrementalSyncOnEmbeddedDatabaseTest extends IncrementalSyncStory {

    private String url;

    @Override
    String stateUrl() throws Exception {
        if (url == null) {
            url = "jdbc:h2:file:" + Files.createTempDirectory("story-state").resolve("state") + ";MODE=PostgreSQL";
        }
        return url;
    }
}

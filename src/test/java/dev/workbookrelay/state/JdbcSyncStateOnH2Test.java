package dev.workbookrelay.state;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The contract on the default store: an embedded H2 file, opened exactly as the relay's default URL does. */
class JdbcSyncStateOnH2Test extends JdbcSyncStateTest {

    @TempDir
    Path dir;

    @Override
    String createDatabase() {
        return "jdbc:h2:file:" + dir.resolve("workbook-relay") + ";MODE=PostgreSQL";
    }

    @Override
    void dropDatabase() {
        // the temporary directory goes with the test
    }

    @Override
    String user() {
        return null;
    }
}

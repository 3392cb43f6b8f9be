package dev.workbookrelay.state;

import dev.workbookrelay.support.PostgresSchema;
import java.sql.SQLException;

/**
 * The contract on PostgreSQL at 127.0.0.1:5432 (database {@code test}, trust auth), in a schema of its own per
 * test so that parallel builds sharing the server do not collide.
 */
class JdbcSyncStateOnPostgresTest extends JdbcSyncStateTest {

    private PostgresSchema schema;

    @Override
    String createDatabase() throws SQLException {
        schema = new PostgresSchema("relay_test");
        return schema.jdbcUrl();
    }

    @Override
    void dropDatabase() throws SQLException {
        schema.close();
    }

    @Override
    String user() {
        return PostgresSchema.USER;
    }
}

package dev.workbookrelay.state;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * The contract on PostgreSQL at 127.0.0.1:5432 (database {@code test}, trust auth), in a schema of its own per
 * test so that parallel builds sharing the server do not collide.
 */
class JdbcSyncStateOnPostgresTest extends JdbcSyncStateTest {

    private static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/test";
    private static final String USER = serverUser();

    private String schema;

    @Override
    String createDatabase() throws SQLException {
        schema = "relay_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        execute("CREATE SCHEMA " + schema);
        return SERVER + "?currentSchema=" + schema;
    }

    @Override
    void dropDatabase() throws SQLException {
        execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }

    @Override
    String user() {
        return USER;
    }

    private static void execute(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(SERVER, USER, null); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** {@code postgres} where it exists, otherwise {@code root} (some images only create the OS user's role). */
    private static String serverUser() {
        for (String user : new String[] {"postgres", "root"}) {
            try (Connection ignored = DriverManager.getConnection(SERVER, user, null)) {
                return user;
            } catch (SQLException e) {
                // try the next one
            }
        }
        throw new IllegalStateException("no PostgreSQL role to connect to " + SERVER + " as (tried postgres, root)");
    }
}

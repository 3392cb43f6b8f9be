package dev.workbookrelay.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A schema of its own in the PostgreSQL every session and CI run has (127.0.0.1:5432, database {@code test}, trust
 * auth), dropped on close: a test's state database, shared by as many relays as it starts.
 */
public final class PostgresSchema implements AutoCloseable {

    public static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/test";
    public static final String USER = serverUser();

    private final String name;

    public PostgresSchema(String prefix) throws SQLException {
        name = prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        execute("CREATE SCHEMA " + name);
    }

    public String name() {
        return name;
    }

    /** The JDBC URL of the schema, user included (as workbook-relay.state.jdbc-url takes it). */
    public String url() {
        return jdbcUrl() + "&user=" + USER;
    }

    /** The JDBC URL of the schema; connect as {@link #USER}. */
    public String jdbcUrl() {
        return SERVER + "?currentSchema=" + name;
    }

    @Override
    public void close() throws SQLException {
        execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
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

    private static void execute(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(SERVER, USER, null); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}

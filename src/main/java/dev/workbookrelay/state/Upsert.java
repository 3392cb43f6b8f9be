package dev.workbookrelay.state;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * Update-or-insert of one row that stays correct when several relay instances race on the same key. H2 does not
 * accept {@code ON CONFLICT ... DO UPDATE}, but both databases accept {@code ON CONFLICT DO NOTHING}, which waits
 * for a concurrent insert of the same key instead of failing. So: update; if no row, insert; if someone else
 * inserted first, update again. Both statements take the same parameters in the same order.
 */
record Upsert(String update, String insert) {

    // each round can only lose to an insert that was deleted again before our update; three such races in a row
    // means something is wrong
    private static final int ROUNDS = 3;

    void run(Connection connection, Object... parameters) throws SQLException {
        upsert(connection, false, parameters);
    }

    /**
     * As {@link #run(Connection, Object...)}, starting with the insert when the row is most likely new (one
     * statement instead of two). Returns whether the row was inserted, that is, did not exist.
     */
    boolean upsert(Connection connection, boolean insertFirst, Object... parameters) throws SQLException {
        if (insertFirst && execute(connection, insert, parameters) > 0) {
            return true;
        }
        for (int round = 0; round < ROUNDS; round++) {
            if (execute(connection, update, parameters) > 0) {
                return false;
            }
            if (execute(connection, insert, parameters) > 0) {
                return true;
            }
        }
        throw new SQLException("row kept appearing and disappearing: " + update, "40001");
    }

    /**
     * Runs {@code sql} once per row as one JDBC batch (one round trip where the driver allows), for statements
     * whose update counts do not matter.
     */
    static void executeBatch(Connection connection, String sql, List<Object[]> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (Object[] row : rows) {
                bind(statement, row);
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    static int execute(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, parameters);
            return statement.executeUpdate();
        }
    }

    /** Sets the statement's parameters, in order. */
    static void bind(PreparedStatement statement, Object... parameters) throws SQLException {
        for (int i = 0; i < parameters.length; i++) {
            statement.setObject(i + 1, parameters[i]);
        }
    }
}

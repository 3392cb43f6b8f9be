package dev.workbookrelay.state;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

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
        for (int round = 0; round < ROUNDS; round++) {
            if (execute(connection, update, parameters) > 0 || execute(connection, insert, parameters) > 0) {
                return;
            }
        }
        throw new SQLException("row kept appearing and disappearing: " + update, "40001");
    }

    static int execute(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            return statement.executeUpdate();
        }
    }
}

package dev.workbookrelay.state;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import org.flywaydb.core.Flyway;

/** A connection pool on the state database, migrated by Flyway when opened; runs work in short transactions. */
final class StateDatabase implements AutoCloseable {

    /** Work inside one transaction. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    // deadlocks and serialization failures are safe to retry: the transaction was rolled back as a whole
    private static final int ATTEMPTS = 3;

    private final HikariDataSource pool;

    private StateDatabase(HikariDataSource pool) {
        this.pool = pool;
    }

    static StateDatabase open(String jdbcUrl, String user, String password) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("workbook-relay-state");
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(12); // parallel workbook steps each read and write state
        config.setAutoCommit(false);
        // the upsert relies on each statement seeing rows other instances committed meanwhile
        config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new SyncStateException("cannot connect to the state database " + jdbcUrl, e);
        }
        try {
            // Flyway holds a database lock while migrating, so instances starting together apply V1 once
            Flyway.configure().dataSource(pool)
                    .locations("classpath:db/migration", "classpath:dev/workbookrelay/state/migration").load()
                    .migrate();
        } catch (RuntimeException e) {
            pool.close();
            throw new SyncStateException("cannot migrate the state database " + jdbcUrl, e);
        }
        return new StateDatabase(pool);
    }

    <T> T inTransaction(String what, Work<T> work) {
        for (int attempt = 1; ; attempt++) {
            try (Connection connection = pool.getConnection()) {
                try {
                    T result = work.run(connection);
                    connection.commit();
                    return result;
                } catch (SQLException | RuntimeException e) {
                    connection.rollback();
                    throw e;
                }
            } catch (SQLException e) {
                if (attempt < ATTEMPTS && retryable(e)) {
                    continue;
                }
                throw new SyncStateException("state database: cannot " + what, e);
            }
        }
    }

    private static boolean retryable(SQLException e) {
        // SQLSTATE class 40: transaction rollback (serialization failure, deadlock) on both PostgreSQL and H2
        return e.getSQLState() != null && e.getSQLState().startsWith("40");
    }

    @Override
    public void close() {
        pool.close();
    }
}

package dev.workbookrelay.state.migration;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Statement;
import java.util.Locale;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Quartz's tables for its clustered job store, on PostgreSQL, where several instances share the schedules (each
 * fires once per cluster): created from the script Quartz ships for PostgreSQL, without its leading DROP
 * statements. On the embedded H2 database (one instance) Quartz keeps its schedules in memory: nothing to create.
 * Flyway runs it once, under its lock, however many instances start together.
 */
public class V5__Quartz_job_store extends BaseJavaMigration {

    static final String SCRIPT = "org/quartz/impl/jdbcjobstore/tables_postgres.sql";

    @Override
    public void migrate(Context context) throws Exception {
        String database = context.getConnection().getMetaData().getDatabaseProductName();
        if (!database.toLowerCase(Locale.ROOT).contains("postgres")) {
            return;
        }
        try (Statement statement = context.getConnection().createStatement()) {
            for (String sql : script().split(";")) {
                String ddl = withoutComments(sql).trim();
                String first = ddl.toUpperCase(Locale.ROOT);
                if (!ddl.isEmpty() && !first.startsWith("DROP") && !first.equals("COMMIT")) {
                    statement.execute(ddl);
                }
            }
        }
    }

    private static String script() throws IOException {
        try (InputStream in = V5__Quartz_job_store.class.getClassLoader().getResourceAsStream(SCRIPT)) {
            if (in == null) {
                throw new IOException(SCRIPT + " is not on the class path (the quartz jar ships it)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String withoutComments(String sql) {
        StringBuilder kept = new StringBuilder();
        for (String line : sql.split("\n")) {
            if (!line.trim().startsWith("--")) {
                kept.append(line).append('\n');
            }
        }
        return kept.toString();
    }
}

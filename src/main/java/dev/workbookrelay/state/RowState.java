package dev.workbookrelay.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The rows of the worksheets whose rows are published, as last published: what the next read of a sheet is diffed
 * against. A sheet's row changes are written together (one transaction) once their events are acknowledged.
 */
public final class RowState {

    /** A stored row: its key, whether the key was generated, its sheet row number and its content hash. */
    public record Row(String key, boolean generated, int position, String hash) {
    }

    /** A row to store, with its values. */
    public record RowWrite(String key, boolean generated, int position, String hash, String values) {
    }

    /** A sheet's header as last published and the number of its next generated row key. */
    public record Sheet(List<String> columns, long nextRowId) {
    }

    /** Values looked up at once by key (an IN list), well within every driver's parameter limit. */
    private static final int KEYS_PER_QUERY = 500;
    /** Rows per JDBC batch when a sheet's rows are written. */
    private static final int WRITE_BATCH = 1000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String WHERE_SHEET = " WHERE source_key = ? AND workbook_id = ? AND worksheet_id = ?";

    private final StateDatabase database;

    RowState(StateDatabase database) {
        this.database = database;
    }

    public Optional<Sheet> sheet(String sourceKey, String workbookId, String worksheetId) {
        return database.inTransaction("read the header of " + worksheetId, c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT columns_json, next_row_id FROM sync_row_sheet"
                    + WHERE_SHEET)) {
                Upsert.bind(select, sourceKey, workbookId, worksheetId);
                try (ResultSet row = select.executeQuery()) {
                    return row.next() ? Optional.of(new Sheet(columns(row.getString(1)), row.getLong(2)))
                            : Optional.<Sheet>empty();
                }
            }
        });
    }

    /** The worksheets of a workbook that have stored rows. */
    public List<String> sheets(String sourceKey, String workbookId) {
        return database.inTransaction("list the row sheets of " + workbookId, c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT worksheet_id FROM sync_row_sheet"
                    + " WHERE source_key = ? AND workbook_id = ? ORDER BY worksheet_id")) {
                Upsert.bind(select, sourceKey, workbookId);
                List<String> ids = new ArrayList<>();
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) {
                        ids.add(row.getString(1));
                    }
                }
                return ids;
            }
        });
    }

    /** A sheet's stored rows, without their values. */
    public List<Row> rows(String sourceKey, String workbookId, String worksheetId) {
        return database.inTransaction("read the rows of " + worksheetId, c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT row_key, generated, row_position, row_hash"
                    + " FROM sync_row" + WHERE_SHEET)) {
                Upsert.bind(select, sourceKey, workbookId, worksheetId);
                List<Row> rows = new ArrayList<>();
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) {
                        rows.add(new Row(row.getString(1), row.getBoolean(2), row.getInt(3), row.getString(4)));
                    }
                }
                return rows;
            }
        });
    }

    /** The stored values of these rows (JSON objects' text), by key. */
    public Map<String, String> values(String sourceKey, String workbookId, String worksheetId,
            Collection<String> keys) {
        List<String> all = List.copyOf(keys);
        Map<String, String> values = new HashMap<>();
        for (int from = 0; from < all.size(); from += KEYS_PER_QUERY) {
            List<String> some = all.subList(from, Math.min(all.size(), from + KEYS_PER_QUERY));
            database.inTransaction("read row values of " + worksheetId, c -> {
                String marks = String.join(",", Collections.nCopies(some.size(), "?"));
                try (PreparedStatement select = c.prepareStatement("SELECT row_key, row_values FROM sync_row"
                        + WHERE_SHEET + " AND row_key IN (" + marks + ")")) {
                    List<Object> parameters = new ArrayList<>(List.of(sourceKey, workbookId, worksheetId));
                    parameters.addAll(some);
                    Upsert.bind(select, parameters.toArray());
                    try (ResultSet row = select.executeQuery()) {
                        while (row.next()) {
                            values.put(row.getString(1), row.getString(2));
                        }
                    }
                }
                return null;
            });
        }
        return values;
    }

    /**
     * Replaces a sheet's stored rows and header (one transaction), only while {@code lease} (null: no check) is
     * still the source's; {@link LeaseLostException} otherwise, and nothing is written.
     */
    public void replace(String sourceKey, String workbookId, String worksheetId, List<String> columns,
            long nextRowId, Iterable<RowWrite> rows, SourceLeases.Lease lease) {
        database.inTransaction("store the rows of " + worksheetId, c -> {
            fence(c, sourceKey, lease);
            deleteSheet(c, sourceKey, workbookId, worksheetId);
            Upsert.execute(c, "INSERT INTO sync_row_sheet (columns_json, next_row_id, source_key, workbook_id,"
                    + " worksheet_id) VALUES (?, ?, ?, ?, ?)", json(columns), nextRowId, sourceKey, workbookId,
                    worksheetId);
            insert(c, sourceKey, workbookId, worksheetId, rows);
            return null;
        });
    }

    private static void deleteSheet(Connection c, String sourceKey, String workbookId, String worksheetId)
            throws SQLException {
        Upsert.execute(c, "DELETE FROM sync_row" + WHERE_SHEET, sourceKey, workbookId, worksheetId);
        Upsert.execute(c, "DELETE FROM sync_row_sheet" + WHERE_SHEET, sourceKey, workbookId, worksheetId);
    }

    private static void fence(Connection c, String sourceKey, SourceLeases.Lease lease) throws SQLException {
        if (lease != null && !JdbcSyncState.holds(c, lease)) {
            throw new LeaseLostException(sourceKey);
        }
    }

    private static void insert(Connection c, String sourceKey, String workbookId, String worksheetId,
            Iterable<RowWrite> rows) throws SQLException {
        inBatches(c, "INSERT INTO sync_row (source_key, workbook_id, worksheet_id, row_key, generated,"
                + " row_position, row_hash, row_values) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows,
                row -> new Object[] {sourceKey, workbookId, worksheetId, row.key(), row.generated(), row.position(),
                    row.hash(), row.values()});
    }

    /** Rows written a batch at a time: their values are read as they are written, never all held at once. */
    private static void inBatches(Connection c, String sql, Iterable<RowWrite> rows,
            Function<RowWrite, Object[]> parameters) throws SQLException {
        List<Object[]> batch = new ArrayList<>(WRITE_BATCH);
        for (RowWrite row : rows) {
            batch.add(parameters.apply(row));
            if (batch.size() == WRITE_BATCH) {
                Upsert.executeBatch(c, sql, batch);
                batch.clear();
            }
        }
        Upsert.executeBatch(c, sql, batch);
    }

    /**
     * Changes a sheet's stored rows (one transaction): {@code updated} rows exist and get new values or positions,
     * {@code inserted} rows are new, {@code deleted} keys go; the header and the next row id are replaced. Fenced by
     * {@code lease} as {@link #replace} is.
     */
    public void apply(String sourceKey, String workbookId, String worksheetId, List<String> columns, long nextRowId,
            Iterable<RowWrite> updated, Iterable<RowWrite> inserted, List<String> deleted,
            SourceLeases.Lease lease) {
        database.inTransaction("store the row changes of " + worksheetId, c -> {
            fence(c, sourceKey, lease);
            List<Object[]> gone = new ArrayList<>(deleted.size());
            for (String key : deleted) {
                gone.add(new Object[] {sourceKey, workbookId, worksheetId, key});
            }
            Upsert.executeBatch(c, "DELETE FROM sync_row" + WHERE_SHEET + " AND row_key = ?", gone);
            inBatches(c, "UPDATE sync_row SET generated = ?, row_position = ?, row_hash = ?, row_values = ?"
                    + WHERE_SHEET + " AND row_key = ?", updated, row -> new Object[] {row.generated(),
                        row.position(), row.hash(), row.values(), sourceKey, workbookId, worksheetId, row.key()});
            insert(c, sourceKey, workbookId, worksheetId, inserted);
            Upsert.execute(c, "UPDATE sync_row_sheet SET columns_json = ?, next_row_id = ?" + WHERE_SHEET,
                    json(columns), nextRowId, sourceKey, workbookId, worksheetId);
            return null;
        });
    }

    /**
     * Forgets a sheet's rows and header (the sheet or its workbook is gone, or its rows are no longer wanted); fenced
     * by {@code lease} as {@link #replace} is.
     */
    public void forget(String sourceKey, String workbookId, String worksheetId, SourceLeases.Lease lease) {
        database.inTransaction("forget the rows of " + worksheetId, c -> {
            fence(c, sourceKey, lease);
            deleteSheet(c, sourceKey, workbookId, worksheetId);
            return null;
        });
    }

    private static List<String> columns(String json) {
        try {
            return JSON.readValue(json, new TypeReference<List<String>>() { });
        } catch (JsonProcessingException e) {
            throw new SyncStateException("stored columns are not JSON: " + json, e);
        }
    }

    private static String json(List<String> columns) {
        try {
            return JSON.writeValueAsString(columns);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

package dev.workbookrelay.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The rows of the worksheets whose rows are published, as last published: what the next read of a sheet is aligned
 * with ({@link StagedRows}, in the database). A sheet's row changes are written together (one transaction) once their
 * events are acknowledged, fenced by the source's lease.
 */
public final class RowState {

    /** A stored row: its key, whether the key was generated, its sheet row number and its values. */
    public record Row(String key, boolean generated, int position, String values) {
    }

    /** A sheet's header as last published and the number of its next generated row key. */
    public record Sheet(List<String> columns, long nextRowId) {
    }

    /** Receives stored rows, a row at a time. */
    @FunctionalInterface
    public interface RowConsumer {
        void accept(Row row);
    }

    private static final int FETCH = 1000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String WHERE_SHEET = " WHERE source_key = ? AND workbook_id = ? AND worksheet_id = ?";
    private static final Upsert HEADER = new Upsert(
            "UPDATE sync_row_sheet SET columns_json = ?, next_row_id = ?" + WHERE_SHEET,
            "INSERT INTO sync_row_sheet (columns_json, next_row_id, source_key, workbook_id, worksheet_id)"
                    + " VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING");

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

    /** A sheet's stored rows with their values, in sheet order, streamed (never the whole sheet in memory). */
    public void eachRow(String sourceKey, String workbookId, String worksheetId, RowConsumer consumer) {
        database.inTransaction("read the rows of " + worksheetId, c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT row_key, generated, row_position, row_values"
                    + " FROM sync_row" + WHERE_SHEET + " ORDER BY row_position, row_key")) {
                Upsert.bind(select, sourceKey, workbookId, worksheetId);
                select.setFetchSize(FETCH); // a cursor on PostgreSQL (autocommit is off)
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) {
                        consumer.accept(new Row(row.getString(1), row.getBoolean(2), row.getInt(3),
                                row.getString(4)));
                    }
                }
            }
            return null;
        });
    }

    /**
     * Stages a sheet's rows as just read, to be aligned with its stored rows ({@link StagedRows#align}) and stored.
     * The rows are read from {@code rows} once, as they are written.
     */
    public StagedRows stage(String sourceKey, String workbookId, String worksheetId, Iterable<StagedRows.Read> rows) {
        StagedRows staged = new StagedRows(database, sourceKey, workbookId, worksheetId);
        staged.stage(rows);
        return staged;
    }

    /**
     * Clears every read of a workbook's rows staged and not stored (left by a relay that died while it read them);
     * only while {@code lease} is the source's, so no read of the lease holder is cleared under it.
     */
    public void clearStaged(String sourceKey, String workbookId, SourceLeases.Lease lease) {
        database.inTransaction("clear the staged rows of " + workbookId, c -> {
            fence(c, sourceKey, lease);
            for (String table : List.of("sync_row_change", "sync_row_read", "sync_row_reading")) {
                Upsert.execute(c, "DELETE FROM " + table + " WHERE read_id IN (SELECT read_id FROM sync_row_reading"
                        + " WHERE source_key = ? AND workbook_id = ?)", sourceKey, workbookId);
            }
            return null;
        });
    }

    /** Writes a sheet's header and next generated key number. */
    static void header(Connection c, String sourceKey, String workbookId, String worksheetId, List<String> columns,
            long nextRowId) throws SQLException {
        HEADER.run(c, json(columns), nextRowId, sourceKey, workbookId, worksheetId);
    }

    /** Throws {@link LeaseLostException} unless {@code lease} (null: no check) is still the source's. */
    static void fence(Connection c, String sourceKey, SourceLeases.Lease lease) throws SQLException {
        if (lease != null && !JdbcSyncState.holds(c, lease)) {
            throw new LeaseLostException(sourceKey);
        }
    }

    /**
     * Forgets a sheet's rows and header (the sheet or its workbook is gone, or its rows are no longer wanted); fenced
     * by {@code lease}.
     */
    public void forget(String sourceKey, String workbookId, String worksheetId, SourceLeases.Lease lease) {
        database.inTransaction("forget the rows of " + worksheetId, c -> {
            fence(c, sourceKey, lease);
            Upsert.execute(c, "DELETE FROM sync_row" + WHERE_SHEET, sourceKey, workbookId, worksheetId);
            Upsert.execute(c, "DELETE FROM sync_row_sheet" + WHERE_SHEET, sourceKey, workbookId, worksheetId);
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

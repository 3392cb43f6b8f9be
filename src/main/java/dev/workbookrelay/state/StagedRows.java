package dev.workbookrelay.state;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A sheet's rows as just read, staged in the state database and aligned there with the rows last published, so the
 * relay's memory holds no per-row index whatever the sheet's length: rows go in and changes come out a batch at a
 * time.
 *
 * <p>How rows are aligned. A row with a key (the {@code rowKey} column's value; a key an earlier row of the sheet
 * has counts as none) is matched by key. A row without one is matched by content: the n-th row with some content now
 * is the n-th stored row with that content, wherever either is (position is not a change); then a row whose content
 * changed is paired with an unmatched stored row in the same gap (as many rows matched by content before it), in
 * order, as an update; what is left is created (given the next generated key, {@code #n}) or deleted. So one row
 * inserted in the middle is one creation, not an update of every row below it.
 *
 * <p>Each step is one statement over the whole sheet (tables {@code sync_row_read}, {@code sync_row_rank} and
 * {@code sync_row_change}, migration V9); the outcome is read back in sheet order ({@link #changes}) and stored once
 * its events are acknowledged ({@link #store}).
 */
public final class StagedRows {

    /** A row as read: its position, content hash, key ({@code null}: named by content) and where its values are. */
    public record Read(int position, String hash, String key, long valuesAt) {
    }

    /** What a row's alignment says. */
    public enum Op { CREATED, UPDATED, DELETED, SAME }

    /**
     * A row's outcome: its key now; its position now ({@code -1} when deleted) and as stored ({@code -1} when
     * created); where its values are (read rows); its stored values for updates and deletions.
     */
    public record Change(Op op, String key, int position, int oldPosition, long valuesAt, String before) {
    }

    /** What alignment found: keys repeated by later rows (named by content), and the next generated key's number. */
    public record Alignment(int duplicateKeys, long nextRowId) {
    }

    /** Receives the outcome, a row at a time. */
    @FunctionalInterface
    public interface ChangeConsumer {
        void accept(Change change);
    }

    private static final Logger LOG = LoggerFactory.getLogger(StagedRows.class);
    private static final int BATCH = 1000;
    /** The stored rows of the sheet ({@code s}); parameters: source key, workbook id, worksheet id. */
    private static final String STORED = "s.source_key = ? AND s.workbook_id = ? AND s.worksheet_id = ?";
    private static final String RANKS = "INSERT INTO sync_row_rank (read_id, side, grp, nth, row_position, row_key,"
            + " row_hash, values_at) ";
    private static final String CHANGE_COLUMNS = "INSERT INTO sync_row_change (read_id, row_key, generated,"
            + " change_op, row_position, old_position, row_hash, values_at) ";

    private final StateDatabase database;
    /** Random: reads of different instances never share one (a number, to keep the staging indexes small). */
    private final long readId = UUID.randomUUID().getMostSignificantBits() & Long.MAX_VALUE;
    private final String sourceKey;
    private final String workbookId;
    private final String worksheetId;

    StagedRows(StateDatabase database, String sourceKey, String workbookId, String worksheetId) {
        this.database = database;
        this.sourceKey = sourceKey;
        this.workbookId = workbookId;
        this.worksheetId = worksheetId;
    }

    /**
     * Stages the rows read, in JDBC batches as they come, committed a batch at a time: staged rows need no atomicity
     * (a read cut short is cleared with its workbook), and small transactions keep an embedded H2's undo log small.
     */
    void stage(Iterable<Read> rows) {
        database.inTransaction("stage the rows of " + worksheetId, c -> Upsert.execute(c,
                "INSERT INTO sync_row_reading (read_id, source_key, workbook_id) VALUES (?, ?, ?)", readId, sourceKey,
                workbookId));
        List<Object[]> batch = new ArrayList<>(BATCH);
        for (Read row : rows) {
            batch.add(new Object[] {readId, row.position(), row.hash(), row.key(), row.valuesAt()});
            if (batch.size() == BATCH) {
                insertRead(batch);
                batch.clear();
            }
        }
        insertRead(batch);
    }

    private void insertRead(List<Object[]> batch) {
        database.inTransaction("stage the rows of " + worksheetId, c -> {
            Upsert.executeBatch(c, "INSERT INTO sync_row_read (read_id, row_position, row_hash, row_key, values_at)"
                    + " VALUES (?, ?, ?, ?, ?)", batch);
            return null;
        });
    }

    /**
     * Aligns the staged rows with the stored ones (one transaction).
     *
     * @param nextRowId the number of the next generated key
     * @param everyRow  the outcome lists every row, changed or not (a snapshot); otherwise a keyed row that neither
     *                  changed nor moved is left out of it (most rows of most reads: not written twice)
     */
    public Alignment align(long nextRowId, boolean everyRow) {
        return database.inTransaction("align the rows of " + worksheetId, c -> {
            wholeSetJoins(c);
            // a key an earlier row has is no key: that row is named by content (the first keeps the key)
            int duplicates = Upsert.execute(c, "UPDATE sync_row_read r SET row_key = NULL WHERE r.read_id = ?"
                    + " AND r.row_key IS NOT NULL AND EXISTS (SELECT 1 FROM sync_row_read e WHERE e.read_id ="
                    + " r.read_id AND e.row_key = r.row_key AND e.row_position < r.row_position)", readId);
            // keyed rows, by key (a stored row the same key named by content becomes that keyed row)
            Upsert.execute(c, CHANGE_COLUMNS + "SELECT r.read_id, r.row_key, FALSE,"
                    + " CASE WHEN s.row_key IS NULL THEN 'c' WHEN s.row_hash = r.row_hash THEN '=' ELSE 'u' END,"
                    + " r.row_position, s.row_position, r.row_hash, r.values_at FROM sync_row_read r"
                    + " LEFT JOIN sync_row s ON " + STORED + " AND s.row_key = r.row_key"
                    + " WHERE r.read_id = ? AND r.row_key IS NOT NULL" + (everyRow ? "" : " AND (s.row_key IS NULL"
                    + " OR s.row_hash <> r.row_hash OR s.row_position <> r.row_position OR s.generated = TRUE)"),
                    sourceKey, workbookId, worksheetId, readId);
            // rows named by content: the n-th row with some content is the n-th stored row with it
            int stored = Upsert.execute(c, RANKS + "SELECT ?, 's', s.row_hash, ROW_NUMBER() OVER (PARTITION BY"
                    + " s.row_hash ORDER BY s.row_position), s.row_position, s.row_key, NULL, NULL FROM sync_row s"
                    + " WHERE " + STORED + " AND s.generated = TRUE AND " + unclaimed("s"),
                    readId, sourceKey, workbookId, worksheetId, readId, readId);
            if (stored > 0) {
                int read = Upsert.execute(c, RANKS + "SELECT read_id, 'r', row_hash, ROW_NUMBER() OVER (PARTITION"
                        + " BY row_hash ORDER BY row_position), row_position, NULL, row_hash, values_at"
                        + " FROM sync_row_read WHERE read_id = ? AND row_key IS NULL", readId);
                int same = pairRanks(c, "=");
                if (same < read && same < stored) {
                    pairChangedRows(c);
                }
            }
            // the rest of the rows named by content are new: the next generated keys, in sheet order
            int created = Upsert.execute(c, CHANGE_COLUMNS + "SELECT r.read_id, CONCAT('#', CAST(CAST(? AS BIGINT) + ROW_NUMBER() OVER (ORDER BY r.row_position) - 1"
                    + " AS VARCHAR(20))), TRUE, 'c', r.row_position, NULL, r.row_hash, r.values_at"
                    + " FROM sync_row_read r WHERE r.read_id = ? AND r.row_key IS NULL AND NOT EXISTS (SELECT 1"
                    + " FROM sync_row_change m WHERE m.read_id = r.read_id AND m.row_position = r.row_position)",
                    nextRowId, readId);
            // stored rows nothing claimed are gone
            Upsert.execute(c, CHANGE_COLUMNS + "SELECT ?, s.row_key, s.generated, 'd', NULL, s.row_position, NULL,"
                    + " NULL FROM sync_row s WHERE " + STORED + " AND " + unclaimed("s"),
                    readId, sourceKey, workbookId, worksheetId, readId, readId);
            return new Alignment(duplicates, nextRowId + created);
        });
    }

    /**
     * A row whose content changed: paired with the stored row left over in its gap (as many rows matched by content
     * before each), in order, as an update.
     */
    private void pairChangedRows(Connection c) throws SQLException {
        Upsert.execute(c, RANKS + "SELECT ?, 'r', CAST(g.gap AS VARCHAR(20)), ROW_NUMBER() OVER (PARTITION BY"
                + " g.gap ORDER BY g.row_position), g.row_position, NULL, g.row_hash, g.values_at"
                + " FROM (SELECT r.row_position, r.row_hash, r.values_at, m.row_key AS matched, SUM(CASE WHEN"
                + " m.row_key IS NULL THEN 0 ELSE 1 END) OVER (ORDER BY r.row_position) AS gap"
                + " FROM sync_row_read r LEFT JOIN sync_row_change m ON m.read_id = r.read_id"
                + " AND m.row_position = r.row_position WHERE r.read_id = ? AND r.row_key IS NULL) g"
                + " WHERE g.matched IS NULL", readId, readId);
        Upsert.execute(c, RANKS + "SELECT ?, 's', CAST(g.gap AS VARCHAR(20)), ROW_NUMBER() OVER (PARTITION BY"
                + " g.gap ORDER BY g.row_position), g.row_position, g.row_key, NULL, NULL"
                + " FROM (SELECT s.row_key, s.row_position, m.row_key AS matched, SUM(CASE WHEN m.row_key IS NULL"
                + " THEN 0 ELSE 1 END) OVER (ORDER BY s.row_position) AS gap FROM sync_row s"
                + " LEFT JOIN sync_row_change m ON m.read_id = ? AND m.row_key = s.row_key"
                + " WHERE " + STORED + " AND s.generated = TRUE AND NOT EXISTS (SELECT 1 FROM sync_row_read k"
                + " WHERE k.read_id = ? AND k.row_key = s.row_key)) g"
                + " WHERE g.matched IS NULL", readId, readId, sourceKey, workbookId, worksheetId, readId);
        pairRanks(c, "u");
    }

    /**
     * Pairs the read rows ranked (side r) with the stored rows ranked (side s) of the same group and rank, as rows
     * whose change is {@code op}; the ranks are cleared for the next grouping.
     */
    private int pairRanks(Connection c, String op) throws SQLException {
        int paired = Upsert.execute(c, CHANGE_COLUMNS + "SELECT r.read_id, s.row_key, TRUE, ?, r.row_position,"
                + " s.row_position, r.row_hash, r.values_at FROM sync_row_rank r JOIN sync_row_rank s"
                + " ON s.read_id = r.read_id AND s.side = 's' AND s.grp = r.grp AND s.nth = r.nth"
                + " WHERE r.read_id = ? AND r.side = 'r'", op, readId);
        Upsert.execute(c, "DELETE FROM sync_row_rank WHERE read_id = ?", readId);
        return paired;
    }

    /**
     * On PostgreSQL, joins whole sets (hash or merge joins) for the rest of the transaction: the staging tables are
     * empty between reads, so their statistics say so, and the planner would loop over one side for each row of the
     * other (seconds for 10,000 rows, quadratic). H2 needs no hint.
     */
    private static void wholeSetJoins(Connection c) throws SQLException {
        if ("PostgreSQL".equals(c.getMetaData().getDatabaseProductName())) {
            Upsert.execute(c, "SET LOCAL enable_nestloop = off");
        }
    }

    /**
     * No row of this read took the stored row {@code alias}: none was matched to it, none has its key (two
     * parameters: the read id, twice).
     */
    private static String unclaimed(String alias) {
        return "NOT EXISTS (SELECT 1 FROM sync_row_change m WHERE m.read_id = ? AND m.row_key = " + alias
                + ".row_key) AND NOT EXISTS (SELECT 1 FROM sync_row_read k WHERE k.read_id = ? AND k.row_key = "
                + alias + ".row_key)";
    }

    /**
     * The outcome in sheet order, streamed: deletions first (by their stored position), then the rows now; the rows
     * whose content and key did not change only when {@code unchanged} (a snapshot publishes every row: aligned
     * with {@code everyRow}).
     */
    public void changes(boolean unchanged, ChangeConsumer consumer) {
        database.inTransaction("read the row changes of " + worksheetId, c -> {
            wholeSetJoins(c);
            try (PreparedStatement select = c.prepareStatement("SELECT m.change_op, m.row_key, m.row_position,"
                    + " m.old_position, m.values_at, CASE WHEN m.change_op IN ('u', 'd') THEN s.row_values END"
                    + " FROM sync_row_change m LEFT JOIN sync_row s ON " + STORED + " AND s.row_key = m.row_key"
                    + " WHERE m.read_id = ?" + (unchanged ? "" : " AND m.change_op <> '='")
                    + " ORDER BY CASE WHEN m.change_op = 'd' THEN 0 ELSE 1 END,"
                    + " COALESCE(m.row_position, m.old_position)")) {
                Upsert.bind(select, sourceKey, workbookId, worksheetId, readId);
                select.setFetchSize(BATCH); // a cursor on PostgreSQL (autocommit is off): never the whole sheet
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) {
                        consumer.accept(new Change(op(row.getString(1)), row.getString(2), position(row, 3),
                                position(row, 4), row.getLong(5), row.getString(6)));
                    }
                }
            }
            return null;
        });
    }

    private static Op op(String code) {
        return switch (code) {
            case "c" -> Op.CREATED;
            case "u" -> Op.UPDATED;
            case "d" -> Op.DELETED;
            case "=" -> Op.SAME;
            default -> throw new IllegalStateException("unknown row change " + code);
        };
    }

    private static int position(ResultSet row, int column) throws SQLException {
        int position = row.getInt(column);
        return row.wasNull() ? -1 : position;
    }

    /**
     * Stores the outcome (one transaction, committed only while {@code lease} is the source's, or
     * {@link LeaseLostException} and nothing is written):
     * deleted rows go, moved rows get their positions, changed and new rows their values, read from {@code values}
     * by {@link Read#valuesAt()} a batch at a time; the header and next key number replaced; then the staged rows
     * cleared.
     */
    public void store(List<String> columns, long nextRowId, LongFunction<String> values, SourceLeases.Lease lease) {
        database.inTransaction("store the rows of " + worksheetId, c -> {
            wholeSetJoins(c);
            Upsert.execute(c, "DELETE FROM sync_row s WHERE " + STORED + " AND s.row_key IN (SELECT m.row_key FROM"
                    + " sync_row_change m WHERE m.read_id = ? AND m.change_op = 'd')",
                    sourceKey, workbookId, worksheetId, readId);
            Upsert.execute(c, "UPDATE sync_row s SET row_position = (SELECT m.row_position FROM sync_row_change m"
                    + " WHERE m.read_id = ? AND m.row_key = s.row_key), generated = (SELECT m.generated FROM"
                    + " sync_row_change m WHERE m.read_id = ? AND m.row_key = s.row_key) WHERE " + STORED
                    + " AND EXISTS (SELECT 1 FROM sync_row_change m WHERE m.read_id = ? AND m.row_key = s.row_key"
                    + " AND m.change_op = '=' AND (m.row_position <> m.old_position OR m.generated <> s.generated))",
                    readId, readId, sourceKey, workbookId, worksheetId, readId);
            writeValues(c, values);
            RowState.header(c, sourceKey, workbookId, worksheetId, columns, nextRowId);
            // last, so the lease row is locked only for the commit: its holder renews it while a big sheet is stored
            RowState.fence(c, sourceKey, lease);
            return null;
        });
        // apart, so the store's transaction stays as small as the changes; rows left here are cleared with the
        // workbook at its next read, so a failure to clear them fails nothing
        try {
            discard();
        } catch (SyncStateException e) {
            LOG.warn("the staged rows of {} stay until its workbook is read again: {}", worksheetId, e.getMessage());
        }
    }

    /** Updated and created rows with their values, streamed from the outcome and written in JDBC batches. */
    private void writeValues(Connection c, LongFunction<String> values) throws SQLException {
        String update = "UPDATE sync_row SET generated = ?, row_position = ?, row_hash = ?, row_values = ?"
                + " WHERE source_key = ? AND workbook_id = ? AND worksheet_id = ? AND row_key = ?";
        String insert = "INSERT INTO sync_row (generated, row_position, row_hash, row_values, source_key,"
                + " workbook_id, worksheet_id, row_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
        List<Object[]> updates = new ArrayList<>(BATCH);
        List<Object[]> inserts = new ArrayList<>(BATCH);
        try (PreparedStatement select = c.prepareStatement("SELECT change_op, row_key, generated, row_position,"
                + " row_hash, values_at FROM sync_row_change WHERE read_id = ? AND change_op IN ('c', 'u')")) {
            Upsert.bind(select, readId);
            select.setFetchSize(BATCH);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    List<Object[]> batch = "u".equals(row.getString(1)) ? updates : inserts;
                    batch.add(new Object[] {row.getBoolean(3), row.getInt(4), row.getString(5),
                        values.apply(row.getLong(6)), sourceKey, workbookId, worksheetId, row.getString(2)});
                    if (batch.size() == BATCH) {
                        Upsert.executeBatch(c, batch == updates ? update : insert, batch);
                        batch.clear();
                    }
                }
            }
        }
        Upsert.executeBatch(c, update, updates);
        Upsert.executeBatch(c, insert, inserts);
    }

    /** Forgets the staged rows: stored, or their read abandoned. */
    public void discard() {
        database.inTransaction("discard the staged rows of " + worksheetId, c -> {
            clear(c);
            return null;
        });
    }

    private void clear(Connection c) throws SQLException {
        Upsert.execute(c, "DELETE FROM sync_row_change WHERE read_id = ?", readId);
        Upsert.execute(c, "DELETE FROM sync_row_read WHERE read_id = ?", readId);
        Upsert.execute(c, "DELETE FROM sync_row_reading WHERE read_id = ?", readId);
    }
}

package dev.workbookrelay.state;

import dev.workbookrelay.events.WorkbookImage;
import dev.workbookrelay.events.WorksheetImage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.time.Duration;
import java.util.Collections;
import java.util.HashSet;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Durable sync state per source (a "source key" such as {@code microsoft-excel/alice/me}): where the next sync
 * starts, the last published image of each workbook and its worksheets, and the drive's folders. Lives in an H2
 * file or in PostgreSQL, chosen by the JDBC URL; the schema comes from the Flyway migrations in
 * {@code db/migration}. Several instances (in one JVM or many) may share one database: every write is a short
 * transaction that is safe against concurrent writers of the same rows.
 *
 * <p>An {@code enumerationId} names one enumeration of a source from scratch. Writes that pass {@code null} leave
 * a workbook's last-seen mark as it was, so a single-workbook or incremental sync never un-sees a workbook in the
 * middle of an enumeration.
 */
public final class JdbcSyncState implements AutoCloseable {

    /**
     * Where the next sync of a source starts: a deltaLink ({@code complete}) or a nextLink checkpoint of an
     * enumeration ({@code enumerationId}), which {@code snapshot} says publishes snapshots rather than changes.
     */
    public record Cursor(String link, boolean complete, String enumerationId, boolean snapshot) {
        public Cursor {
            Objects.requireNonNull(link, "link");
        }

        public Cursor(String link, boolean complete, String enumerationId) {
            this(link, complete, enumerationId, false);
        }
    }

    /**
     * What to store of one workbook: its image with all its worksheets, its image alone ({@code worksheets == null}:
     * the stored ones stay), or its deletion ({@code image == null}). A stored image is marked seen by
     * {@code seenIn}, the enumeration that returned it ({@code null} leaves the mark as it was). {@code likelyNew}
     * is a hint only (the workbook was not stored when the sync looked): the write then tries an insert first.
     * {@code sheetsPending}: its worksheets could not be read, so they are read again at the next sync.
     */
    public record WorkbookWrite(String workbookId, WorkbookImage image, List<WorksheetImage> worksheets,
            String seenIn, boolean likelyNew, boolean sheetsPending) {
        public WorkbookWrite {
            Objects.requireNonNull(workbookId, "workbookId");
            worksheets = worksheets == null ? null : List.copyOf(worksheets);
        }

        public static WorkbookWrite save(WorkbookImage image, List<WorksheetImage> worksheets, String seenIn) {
            return new WorkbookWrite(image.id(), image, Objects.requireNonNull(worksheets, "worksheets"), seenIn,
                    false, false);
        }

        public static WorkbookWrite saveImage(WorkbookImage image, String seenIn) {
            return new WorkbookWrite(image.id(), image, null, seenIn, false, false);
        }

        /** The image of a workbook whose worksheets could not be read: the stored ones stay, to be read again. */
        public static WorkbookWrite saveImageSheetsPending(WorkbookImage image, String seenIn) {
            return new WorkbookWrite(image.id(), image, null, seenIn, false, true);
        }

        public static WorkbookWrite delete(String workbookId) {
            return new WorkbookWrite(workbookId, null, null, null, false, false);
        }

        /** The same write, hinted as a workbook not stored yet. */
        public WorkbookWrite asLikelyNew() {
            return new WorkbookWrite(workbookId, image, worksheets, seenIn, true, sheetsPending);
        }

        public boolean isDelete() {
            return image == null;
        }

        /** The workbook as it will be stored once this write is: null for a deletion. */
        public StoredWorkbook asStored() {
            return isDelete() ? null : new StoredWorkbook(image, sheetsPending);
        }

        /** This write, not yet in the database, followed by {@code next} of the same workbook, as one write. */
        public WorkbookWrite then(WorkbookWrite next) {
            List<WorksheetImage> sheets = next.isDelete() || next.worksheets() != null ? next.worksheets()
                    : isDelete() ? List.of() // an image after a deletion: the workbook has no worksheets left
                    : worksheets;
            return new WorkbookWrite(workbookId, next.image(), sheets, next.seenIn(), likelyNew && !next.isDelete(),
                    next.sheetsPending());
        }
    }

    /** A stored workbook: its image, and whether its worksheets are still to be read. */
    public record StoredWorkbook(WorkbookImage image, boolean sheetsPending) {
    }

    /** A folder of the drive: its parent ({@code null} for the root), its name, whether it is the root. */
    public record Folder(String parentId, String name, boolean root) {
    }

    /** What to store of one folder: what it is now, or its deletion ({@code folder == null}). */
    public record FolderWrite(String folderId, Folder folder) {
        public FolderWrite {
            Objects.requireNonNull(folderId, "folderId");
        }

        public static FolderWrite save(String folderId, String parentId, String name, boolean root) {
            return new FolderWrite(folderId, new Folder(parentId, name, root));
        }

        public static FolderWrite delete(String folderId) {
            return new FolderWrite(folderId, null);
        }

        public boolean isDelete() {
            return folder == null;
        }
    }

    private static final Upsert CURSOR = new Upsert(
            "UPDATE sync_cursor SET link = ?, complete = ?, enumeration_id = ?, snapshot = ?,"
                    + " updated_at = CURRENT_TIMESTAMP WHERE source_key = ?",
            "INSERT INTO sync_cursor (link, complete, enumeration_id, snapshot, source_key) VALUES (?, ?, ?, ?, ?)"
                    + " ON CONFLICT DO NOTHING");
    private static final Upsert WORKBOOK = new Upsert(
            "UPDATE sync_workbook SET image = ?, last_seen_in = COALESCE(?, last_seen_in), sheets_pending = ?,"
                    + " updated_at = CURRENT_TIMESTAMP WHERE source_key = ? AND workbook_id = ?",
            "INSERT INTO sync_workbook (image, last_seen_in, sheets_pending, source_key, workbook_id)"
                    + " VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING");
    private static final Upsert FOLDER = new Upsert(
            "UPDATE sync_folder SET parent_id = ?, name = ?, is_root = ? WHERE source_key = ? AND folder_id = ?",
            "INSERT INTO sync_folder (parent_id, name, is_root, source_key, folder_id) VALUES (?, ?, ?, ?, ?)"
                    + " ON CONFLICT DO NOTHING");

    /** How long a succeeded request's id is remembered: much longer than any request waits to be committed. */
    private static final Duration REQUEST_MEMORY = Duration.ofHours(1);

    private final StateDatabase database;
    private final WorkbookJson json = new WorkbookJson();

    private JdbcSyncState(StateDatabase database) {
        this.database = database;
    }

    /**
     * Opens a connection pool on {@code jdbcUrl} (e.g. {@code jdbc:h2:file:./data/workbook-relay;MODE=PostgreSQL}
     * or {@code jdbc:postgresql://db:5432/relay}) and brings the schema up to date. {@code user} and
     * {@code password} may be {@code null} (then the URL or the driver decides).
     */
    public static JdbcSyncState open(String jdbcUrl, String user, String password) {
        return new JdbcSyncState(StateDatabase.open(Objects.requireNonNull(jdbcUrl, "jdbcUrl"), user, password));
    }

    public Optional<Cursor> cursor(String sourceKey) {
        return database.inTransaction("read the cursor of " + sourceKey, c -> {
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT link, complete, enumeration_id, snapshot FROM sync_cursor WHERE source_key = ?")) {
                select.setString(1, sourceKey);
                try (ResultSet row = select.executeQuery()) {
                    return row.next()
                            ? Optional.of(new Cursor(row.getString(1), row.getBoolean(2), row.getString(3),
                                    row.getBoolean(4)))
                            : Optional.empty();
                }
            }
        });
    }

    /** The stored workbook with whether its worksheets are pending. */
    public Optional<StoredWorkbook> stored(String sourceKey, String workbookId) {
        return database.inTransaction("read workbook " + workbookId, c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT image, sheets_pending FROM sync_workbook"
                    + " WHERE source_key = ? AND workbook_id = ?")) {
                Upsert.bind(select, sourceKey, workbookId);
                try (ResultSet row = select.executeQuery()) {
                    return row.next() ? Optional.of(new StoredWorkbook(json.read(row.getString(1)), row.getBoolean(2)))
                            : Optional.empty();
                }
            }
        });
    }

    /**
     * The source's workbooks stored with a folder path at or below {@code folderPath}, by id: a page of at most
     * {@code limit} after {@code afterWorkbookId} ("" first). Filtered here, not in SQL: the path is inside the
     * stored image, and this is read only when a folder is renamed, moved or deleted.
     */
    public List<StoredWorkbook> storedUnder(String sourceKey, String folderPath, String afterWorkbookId, int limit) {
        return database.inTransaction("read the workbooks under " + folderPath, c -> {
            List<StoredWorkbook> under = new ArrayList<>();
            String after = afterWorkbookId;
            while (under.size() < limit) {
                int read = 0;
                try (PreparedStatement select = c.prepareStatement("SELECT workbook_id, image, sheets_pending"
                        + " FROM sync_workbook WHERE source_key = ? AND workbook_id > ? ORDER BY workbook_id"
                        + " FETCH FIRST " + limit + " ROWS ONLY")) {
                    Upsert.bind(select, sourceKey, after);
                    try (ResultSet row = select.executeQuery()) {
                        while (row.next() && under.size() < limit) {
                            read++;
                            after = row.getString(1);
                            WorkbookImage image = json.read(row.getString(2));
                            String path = image.parentPath();
                            if (path != null && (path.equals(folderPath) || path.startsWith(
                                    folderPath.endsWith("/") ? folderPath : folderPath + "/"))) {
                                under.add(new StoredWorkbook(image, row.getBoolean(3)));
                            }
                        }
                    }
                }
                if (read < limit) {
                    break;
                }
            }
            return List.copyOf(under);
        });
    }

    /** The source's workbooks whose worksheets are still to be read, by id. */
    public List<WorkbookImage> sheetsPending(String sourceKey) {
        return images("list workbooks with worksheets to read", "SELECT image FROM sync_workbook"
                + " WHERE source_key = ? AND sheets_pending ORDER BY workbook_id", sourceKey);
    }

    public Optional<WorkbookImage> workbook(String sourceKey, String workbookId) {
        List<WorkbookImage> found = images("read workbook " + workbookId,
                "SELECT image FROM sync_workbook WHERE source_key = ? AND workbook_id = ?", sourceKey, workbookId);
        return found.stream().findFirst();
    }

    /** Whether any workbook of the source is stored. */
    public boolean hasWorkbooks(String sourceKey) {
        return exists("look for workbooks of " + sourceKey, "SELECT 1 FROM sync_workbook WHERE source_key = ? LIMIT 1",
                sourceKey);
    }

    /** Whether the workbook's state was written by the enumeration {@code enumerationId}. */
    public boolean seenIn(String sourceKey, String workbookId, String enumerationId) {
        return exists("read when workbook " + workbookId + " was seen", "SELECT 1 FROM sync_workbook"
                + " WHERE source_key = ? AND workbook_id = ? AND last_seen_in = ?",
                sourceKey, workbookId, enumerationId);
    }

    /** The stored worksheets of the workbook, by position; empty when the workbook is not stored. */
    public List<WorksheetImage> worksheets(String sourceKey, String workbookId) {
        return database.inTransaction("read the worksheets of " + workbookId, c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT worksheet_id, name, sheet_position, visibility"
                    + " FROM sync_worksheet WHERE source_key = ? AND workbook_id = ?"
                    + " ORDER BY sheet_position, worksheet_id")) {
                select.setString(1, sourceKey);
                select.setString(2, workbookId);
                List<WorksheetImage> sheets = new ArrayList<>();
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) {
                        sheets.add(new WorksheetImage(row.getString(1), row.getString(2), row.getInt(3),
                                row.getString(4), workbookId));
                    }
                }
                return List.copyOf(sheets);
            }
        });
    }

    /**
     * The one way state is written: many workbook writes (at most one per workbook), folder writes, and then, if not
     * {@code null}, the cursor, all in one transaction. A sync writes a page's workbooks and folders together with
     * the checkpoint past them, one commit rather than one per workbook, and the worksheets as JDBC batches.
     */
    public void apply(String sourceKey, Collection<WorkbookWrite> writes, Collection<FolderWrite> folderWrites,
            Cursor cursor) {
        apply(sourceKey, writes, folderWrites, cursor, null, List.of());
    }

    /**
     * As {@link #apply(String, Collection, Collection, Cursor)}, only while {@code lease} (if not null) is still the
     * source's: otherwise nothing is written and {@link LeaseLostException} is thrown. The lease row is locked for
     * the transaction, so it cannot be taken over half-way. {@code requestsDone}: ids of the requests the sync
     * stood for, recorded as done with the rest (a sync's last write), so that they are not synced again when
     * delivered again; records older than an hour are dropped meanwhile.
     */
    public void apply(String sourceKey, Collection<WorkbookWrite> writes, Collection<FolderWrite> folderWrites,
            Cursor cursor, SourceLeases.Lease lease, Collection<String> requestsDone) {
        if (writes.isEmpty() && folderWrites.isEmpty() && cursor == null && requestsDone.isEmpty()) {
            return;
        }
        // workbook rows one by one in id order, so writers (other instances) lock them in one order and cannot
        // deadlock; worksheets after all of them (their workbook rows, locked first, keep other writers out)
        List<WorkbookWrite> sorted = new ArrayList<>(writes);
        sorted.sort(Comparator.comparing(WorkbookWrite::workbookId));
        String what = (sorted.size() == 1 ? "write workbook " + sorted.get(0).workbookId()
                : "write " + sorted.size() + " workbooks") + (folderWrites.isEmpty() ? "" : ", "
                + folderWrites.size() + " folders");
        write(what + (cursor == null ? "" : " and the cursor") + " of " + sourceKey, c -> {
            if (lease != null && !holds(c, lease)) {
                throw new LeaseLostException(sourceKey);
            }
            List<Object[]> sheetOwners = new ArrayList<>();
            List<Object[]> sheets = new ArrayList<>();
            for (WorkbookWrite w : sorted) {
                if (w.isDelete()) {
                    Upsert.execute(c, "DELETE FROM sync_workbook WHERE source_key = ? AND workbook_id = ?",
                            sourceKey, w.workbookId());
                    continue;
                }
                boolean inserted = WORKBOOK.upsert(c, w.likelyNew(), json.write(w.image()), w.seenIn(),
                        w.sheetsPending(), sourceKey, w.workbookId());
                if (w.worksheets() != null) {
                    if (!inserted) { // a workbook row just inserted has no worksheets (they die with it)
                        sheetOwners.add(new Object[] {sourceKey, w.workbookId()});
                    }
                    for (WorksheetImage sheet : w.worksheets()) {
                        sheets.add(new Object[] {sourceKey, w.workbookId(), sheet.id(), sheet.name(),
                                sheet.position(), sheet.visibility()});
                    }
                }
            }
            Upsert.executeBatch(c, "DELETE FROM sync_worksheet WHERE source_key = ? AND workbook_id = ?",
                    sheetOwners);
            Upsert.executeBatch(c, "INSERT INTO sync_worksheet"
                    + " (source_key, workbook_id, worksheet_id, name, sheet_position, visibility)"
                    + " VALUES (?, ?, ?, ?, ?, ?)", sheets);
            for (FolderWrite f : folderWrites) {
                if (f.isDelete()) {
                    Upsert.execute(c, "DELETE FROM sync_folder WHERE source_key = ? AND folder_id = ?", sourceKey,
                            f.folderId());
                } else {
                    FOLDER.run(c, f.folder().parentId(), f.folder().name(), f.folder().root(), sourceKey,
                            f.folderId());
                }
            }
            if (cursor != null) {
                CURSOR.run(c, cursor.link(), cursor.complete(), cursor.enumerationId(), cursor.snapshot(), sourceKey);
            }
            if (!requestsDone.isEmpty()) {
                Upsert.execute(c, "DELETE FROM sync_request_done WHERE source_key = ? AND done_at_ms < "
                        + SourceLeases.NOW_MS + " - ?", sourceKey, REQUEST_MEMORY.toMillis());
                Upsert.executeBatch(c, "INSERT INTO sync_request_done (request_id, source_key, done_at_ms) VALUES"
                        + " (?, ?, " + SourceLeases.NOW_MS + ") ON CONFLICT DO NOTHING", requestsDone.stream()
                        .distinct().map(id -> new Object[] {id, sourceKey}).toList());
            }
        });
    }

    /** Of {@code requestIds}, those whose sync succeeded within the last hour. */
    public Set<String> done(Collection<String> requestIds) {
        if (requestIds.isEmpty()) {
            return Set.of();
        }
        return database.inTransaction("read which requests are done", c -> {
            Set<String> done = new HashSet<>();
            try (PreparedStatement select = c.prepareStatement("SELECT request_id FROM sync_request_done"
                    + " WHERE request_id = ? AND done_at_ms >= " + SourceLeases.NOW_MS + " - ?")) {
                for (String id : requestIds) {
                    Upsert.bind(select, id, REQUEST_MEMORY.toMillis());
                    try (ResultSet row = select.executeQuery()) {
                        if (row.next()) {
                            done.add(id);
                        }
                    }
                }
            }
            return done;
        });
    }

    /** The source's stored workbooks that enumeration {@code enumerationId} did not see, by id. */
    public List<WorkbookImage> workbooksNotSeenIn(String sourceKey, String enumerationId) {
        return workbooksNotSeenIn(sourceKey, enumerationId, "", Integer.MAX_VALUE);
    }

    /**
     * One page of {@link #workbooksNotSeenIn(String, String)}: at most {@code limit}, by workbook id, after
     * {@code afterWorkbookId} ("" for the first page), so a drive that lost most of its workbooks is reconciled in
     * bounded memory.
     */
    public List<WorkbookImage> workbooksNotSeenIn(String sourceKey, String enumerationId, String afterWorkbookId,
            int limit) {
        Objects.requireNonNull(enumerationId, "enumerationId");
        return images("list workbooks not seen in " + enumerationId,
                "SELECT image FROM sync_workbook WHERE source_key = ?"
                        + " AND (last_seen_in IS NULL OR last_seen_in <> ?) AND workbook_id > ? ORDER BY workbook_id"
                        + " FETCH FIRST " + limit + " ROWS ONLY",
                sourceKey, enumerationId, afterWorkbookId);
    }

    /** All folders of the source, by id. */
    public Map<String, Folder> folders(String sourceKey) {
        return database.inTransaction("read the folders of " + sourceKey, c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT folder_id, parent_id, name, is_root"
                    + " FROM sync_folder WHERE source_key = ? ORDER BY folder_id")) {
                select.setString(1, sourceKey);
                Map<String, Folder> folders = new LinkedHashMap<>();
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) {
                        folders.put(row.getString(1), new Folder(row.getString(2), row.getString(3),
                                row.getBoolean(4)));
                    }
                }
                return Collections.unmodifiableMap(folders);
            }
        });
    }

    /** The connections integration sources have seen listed by Nango. */
    public KnownConnections knownConnections() {
        return new KnownConnections(database);
    }

    /** Removes everything stored of a source: its cursor, workbooks and worksheets, rows, folders, lease. */
    public void forget(String sourceKey) {
        write("forget " + sourceKey, c -> {
            for (String table : List.of("sync_cursor", "sync_worksheet", "sync_workbook", "sync_folder",
                    "sync_row", "sync_row_sheet", "sync_lease", "sync_request_done")) {
                Upsert.execute(c, "DELETE FROM " + table + " WHERE source_key = ?", sourceKey);
            }
        });
    }

    /** The rows of the worksheets whose rows are published. */
    public RowState rows() {
        return new RowState(database);
    }

    /** Leases of sources, held in this database's name by {@code holder} (the instance, for people to read). */
    public SourceLeases leases(String holder) {
        return new SourceLeases(database, holder);
    }

    /** Whether {@code lease} is still its source's, locking the lease row until the transaction ends. */
    static boolean holds(Connection c, SourceLeases.Lease lease) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT token FROM sync_lease WHERE source_key = ?"
                + " AND token = ? AND expires_at_ms >= " + SourceLeases.NOW_MS + " FOR UPDATE")) {
            Upsert.bind(select, lease.sourceKey(), lease.token());
            try (ResultSet row = select.executeQuery()) {
                return row.next();
            }
        }
    }

    /** Closes the pool; an H2 file database is closed with its last connection. */
    @Override
    public void close() {
        database.close();
    }

    /** Whether {@code sql} (text parameters) returns a row. */
    private boolean exists(String what, String sql, String... parameters) {
        return database.inTransaction(what, c -> {
            try (PreparedStatement select = c.prepareStatement(sql)) {
                Upsert.bind(select, parameters);
                try (ResultSet row = select.executeQuery()) {
                    return row.next();
                }
            }
        });
    }

    private List<WorkbookImage> images(String what, String sql, String... parameters) {
        return database.inTransaction(what, c -> {
            try (PreparedStatement select = c.prepareStatement(sql)) {
                Upsert.bind(select, parameters);
                List<WorkbookImage> images = new ArrayList<>();
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) {
                        images.add(json.read(row.getString(1)));
                    }
                }
                return List.copyOf(images);
            }
        });
    }

    private interface Write {
        void run(Connection connection) throws SQLException;
    }

    private void write(String what, Write write) {
        database.inTransaction(what, c -> {
            write.run(c);
            return null;
        });
    }
}

package dev.workbookrelay.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workbookrelay.RelaySettings;
import dev.workbookrelay.events.CloudEvent;
import dev.workbookrelay.events.RowEvents;
import dev.workbookrelay.events.RowEvents.Renamed;
import dev.workbookrelay.events.RowEvents.RowChange;
import dev.workbookrelay.events.RowOrigin;
import dev.workbookrelay.events.SourceRef;
import dev.workbookrelay.events.WorkbookImage;
import dev.workbookrelay.events.WorksheetImage;
import dev.workbookrelay.graphcall.GraphCalls;
import dev.workbookrelay.publish.EventSink;
import dev.workbookrelay.rows.RowOptions;
import dev.workbookrelay.rows.ScratchDirectory;
import dev.workbookrelay.rows.SheetReader;
import dev.workbookrelay.rows.SheetReader.KeyProblems;
import dev.workbookrelay.rows.SheetReader.SheetRows;
import dev.workbookrelay.state.RowState;
import dev.workbookrelay.state.StagedRows;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.StreamSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rows of a workbook's worksheets and Excel tables, for sources with the {@code rows} or {@code tables} option,
 * read when the workbook's content changed: each selected sheet or table is read (through the workbook API in one
 * non-persistent session, or from the downloaded file: {@link WorkbookRowReader}), aligned with its rows as last
 * published (in the state database, so a sheet of any length fits), its events published and acknowledged, and only
 * then its rows stored. A sync that dies in between
 * publishes the same events again (same ids); one that dies after has nothing left to publish for that sheet. A sheet
 * or table that is removed, no longer selected (or hidden, with {@code rows: all}), or whose workbook is gone gets
 * its rows' deletions and tombstones.
 */
public final class RowSync {

    private static final Logger LOG = LoggerFactory.getLogger(RowSync.class);
    /** Events handed to Kafka at once. */
    private static final int BATCH = 1000;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A table's rows are stored as {@code table/{worksheetId}/{tableId}}: apart from sheets, its sheet known. */
    private static final String TABLE = "table/";

    private final RowState rows;
    private final GraphCalls graphCalls;
    private final RowEvents events;
    private final EventSink sink;
    private final SheetReader reader;
    private final RelaySettings.Rows settings;
    private final ScratchDirectory scratch;

    /** @param scratch where downloads and spooled row values go while a workbook is read */
    public RowSync(RowState rows, GraphCalls graphCalls, RowEvents events, EventSink sink,
            RelaySettings.Rows settings, ScratchDirectory scratch) {
        this.rows = rows;
        this.graphCalls = graphCalls;
        this.events = events;
        this.sink = sink;
        this.reader = new SheetReader(settings.blockRows(), scratch);
        this.settings = settings;
        this.scratch = scratch;
    }

    /**
     * The rows of a workbook whose worksheets were just read.
     *
     * @param sheets  its worksheets now
     * @param earlier its worksheets as last published (names for the deletions of removed sheets)
     */
    void workbook(SyncRun run, WorkbookImage workbook, List<WorksheetImage> sheets, List<WorksheetImage> earlier,
            boolean snapshot) {
        RowOptions options = run.request().rows();
        if (!options.enabled()) {
            return;
        }
        rows.clearStaged(run.request().stateKey(), workbook.id(), run.lease()); // a killed relay's reads
        Set<String> selected = new HashSet<>();
        List<RowOrigin> known = new ArrayList<>();
        earlier.forEach(sheet -> known.add(RowOrigin.of(sheet)));
        try (WorkbookRowReader source = new WorkbookRowReader(graphCalls, run, workbook, reader, scratch,
                settings.downloadAboveBytes(), settings.sessionPollInitial())) {
            for (WorksheetImage sheet : sheets) {
                known.add(RowOrigin.of(sheet)); // the current name where a sheet has both
                if (options.selects(sheet.name(), sheet.visibility())) {
                    RowOrigin origin = RowOrigin.of(sheet);
                    selected.add(stateId(origin));
                    publish(run, workbook, origin, source.sheet(sheet, options), options.rowKey(), snapshot);
                }
                if (options.anyTables()) {
                    for (WorkbookRowReader.Table table : source.tables(sheet)) {
                        RowOrigin origin = RowOrigin.table(sheet, table.id(), table.name());
                        known.add(origin);
                        if (options.selectsTable(table.name())) {
                            selected.add(stateId(origin));
                            publish(run, workbook, origin, source.table(sheet, table, options.rowKey()),
                                    options.rowKey(), snapshot);
                        }
                    }
                }
            }
        }
        forgetStoredSheets(run, workbook, selected, known);
    }

    /** A workbook gone (deleted, or out of the source): the deletions of every row it had published. */
    void gone(SyncRun run, WorkbookImage last, List<WorksheetImage> earlier) {
        rows.clearStaged(run.request().stateKey(), last.id(), run.lease());
        forgetStoredSheets(run, last, Set.of(), earlier.stream().map(RowOrigin::of).toList());
    }

    /** Where a sheet's or table's rows are stored. */
    private static String stateId(RowOrigin origin) {
        return origin.isTable() ? TABLE + origin.sheet().id() + "/" + origin.tableId() : origin.id();
    }

    /** A stored sheet or table, named from what is known of it (a removed one only by its ids). */
    private static RowOrigin origin(String stateId, Map<String, RowOrigin> known, WorkbookImage workbook) {
        RowOrigin origin = known.get(stateId);
        if (origin != null) {
            return origin;
        }
        if (stateId.startsWith(TABLE)) {
            String ids = stateId.substring(TABLE.length());
            int slash = ids.indexOf('/');
            RowOrigin sheet = known.get(ids.substring(0, slash));
            return RowOrigin.table(sheet != null ? sheet.sheet()
                    : new WorksheetImage(ids.substring(0, slash), null, -1, null, workbook.id()),
                    ids.substring(slash + 1), null);
        }
        return RowOrigin.of(new WorksheetImage(stateId, null, -1, null, workbook.id()));
    }

    /** Deletes the rows of every stored sheet and table of the workbook but {@code kept}. */
    private void forgetStoredSheets(SyncRun run, WorkbookImage workbook, Set<String> kept, List<RowOrigin> known) {
        Map<String, RowOrigin> byId = new HashMap<>();
        known.forEach(origin -> byId.put(stateId(origin), origin));
        for (String id : rows.sheets(run.request().stateKey(), workbook.id())) {
            if (!kept.contains(id)) {
                forget(run, workbook, id, origin(id, byId, workbook));
            }
        }
    }

    /**
     * Aligns one sheet's (or table's) rows with its rows as last published (in the state database: {@link StagedRows}),
     * publishes the changes, then stores them; its spooled rows go after.
     */
    private void publish(SyncRun run, WorkbookImage workbook, RowOrigin origin, SheetRows read, String rowKey,
            boolean snapshot) {
        try (SheetRows now = read) {
            String key = run.request().stateKey();
            String id = stateId(origin);
            SourceRef source = run.request().sourceRef();
            RowState.Sheet stored = rows.sheet(key, workbook.id(), id).orElse(null);
            StagedRows staged = rows.stage(key, workbook.id(), id, staged(now));
            try {
                StagedRows.Alignment aligned = staged.align(stored == null ? 1 : stored.nextRowId(), snapshot);
                KeyProblems problems = now.problems().withDuplicates(aligned.duplicateKeys());
                if (problems.any()) {
                    run.rowKeyProblems(workbook.id(), origin.isTable() ? origin.tableName() : origin.sheet().name(),
                            rowKey, problems);
                }
                Outbox out = new Outbox(run);
                if (stored != null && !stored.columns().equals(now.columns())) {
                    out.add(columnsChanged(source, workbook, origin, stored.columns(), now.columns()));
                }
                staged.changes(snapshot, change -> event(out, source, workbook, origin, change, now, snapshot));
                out.flush();
                staged.store(now.columns(), aligned.nextRowId(), now.spool()::read, run.lease());
                LOG.debug("sync {}: {} of {}: {} rows, {} row events", run.syncId(), id, workbook.id(),
                        now.rowCount(), out.published());
            } catch (RuntimeException e) {
                discard(staged, e);
                throw e;
            }
        }
    }

    /** The rows read, as the state stages them. */
    private static Iterable<StagedRows.Read> staged(SheetRows now) {
        return () -> StreamSupport.stream(now.rows().spliterator(), false)
                .map(row -> new StagedRows.Read(row.position(), row.hash(), row.key(), row.valuesAt())).iterator();
    }

    /** A row's event(s): in a snapshot every row now is a {@code row.snapshot}; a deletion is followed by a tombstone. */
    private void event(Outbox out, SourceRef source, WorkbookImage workbook, RowOrigin origin,
            StagedRows.Change change, SheetRows now, boolean snapshot) {
        if (change.op() == StagedRows.Op.DELETED) {
            out.add(events.row(RowChange.DELETED, source, workbook, origin, change.key(), change.oldPosition(),
                    change.before(), null, null));
            out.add(events.rowTombstone(source, workbook, origin, change.key(), change.before()));
            return;
        }
        String after = now.spool().read(change.valuesAt());
        if (snapshot) {
            out.add(events.row(RowChange.SNAPSHOT, source, workbook, origin, change.key(), change.position(), null,
                    after, null));
        } else if (change.op() == StagedRows.Op.CREATED) {
            out.add(events.row(RowChange.CREATED, source, workbook, origin, change.key(), change.position(), null,
                    after, null));
        } else if (change.op() == StagedRows.Op.UPDATED) {
            out.add(events.row(RowChange.UPDATED, source, workbook, origin, change.key(), change.position(),
                    change.before(), after, changedColumns(change.before(), after)));
        }
    }

    /** A read that failed to publish or store: its staged rows go now (or at the workbook's next read). */
    private static void discard(StagedRows staged, RuntimeException failure) {
        try {
            staged.discard();
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    /** The deletions and tombstones of every row a sheet (or table) had published, then its rows forgotten. */
    private void forget(SyncRun run, WorkbookImage workbook, String id, RowOrigin origin) {
        String key = run.request().stateKey();
        SourceRef source = run.request().sourceRef();
        Outbox out = new Outbox(run);
        rows.eachRow(key, workbook.id(), id, row -> {
            out.add(events.row(RowChange.DELETED, source, workbook, origin, row.key(), row.position(), row.values(),
                    null, null));
            out.add(events.rowTombstone(source, workbook, origin, row.key(), row.values()));
        });
        out.flush();
        rows.forget(key, workbook.id(), id, run.lease());
    }

    /** Events handed to Kafka a batch at a time as they are made (a big sheet's events never all in memory). */
    private final class Outbox {

        private final SyncRun run;
        private final List<CloudEvent> batch = new ArrayList<>(BATCH);
        private int published;

        Outbox(SyncRun run) {
            this.run = run;
        }

        void add(CloudEvent event) {
            batch.add(event);
            if (batch.size() == BATCH) {
                flush();
            }
        }

        /** Publishes what waits and returns once Kafka acknowledged it. */
        void flush() {
            if (!batch.isEmpty()) {
                sink.publish(List.copyOf(batch));
                run.eventsAcknowledged(batch.size());
                published += batch.size();
                batch.clear();
            }
        }

        int published() {
            return published;
        }
    }

    private CloudEvent columnsChanged(SourceRef source, WorkbookImage workbook, RowOrigin origin,
            List<String> before, List<String> after) {
        List<String> added = new ArrayList<>(after);
        added.removeAll(before);
        List<String> removed = new ArrayList<>(before);
        removed.removeAll(after);
        // a header changed in place: the same column lost one name and got another
        List<Renamed> renamed = new ArrayList<>();
        for (int c = 0; c < Math.min(before.size(), after.size()); c++) {
            if (removed.contains(before.get(c)) && added.contains(after.get(c))) {
                renamed.add(new Renamed(before.get(c), after.get(c)));
            }
        }
        for (Renamed r : renamed) {
            added.remove(r.to());
            removed.remove(r.from());
        }
        return events.columnsChanged(source, workbook, origin, before, after, added, removed, renamed);
    }

    /** The columns whose values differ (a column only one side has counts when its value is not null). */
    static List<String> changedColumns(String beforeJson, String afterJson) {
        JsonNode before = tree(beforeJson);
        JsonNode after = tree(afterJson);
        Set<String> names = new LinkedHashSet<>();
        before.fieldNames().forEachRemaining(names::add);
        after.fieldNames().forEachRemaining(names::add);
        List<String> changed = new ArrayList<>();
        for (String name : names) {
            JsonNode a = before.get(name);
            JsonNode b = after.get(name);
            boolean aNull = a == null || a.isNull();
            boolean bNull = b == null || b.isNull();
            if (aNull != bNull || (!aNull && !a.equals(b))) {
                changed.add(name);
            }
        }
        return changed;
    }

    private static JsonNode tree(String json) {
        try {
            return json == null ? JSON.createObjectNode() : JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("row values are not JSON: " + json, e);
        }
    }
}

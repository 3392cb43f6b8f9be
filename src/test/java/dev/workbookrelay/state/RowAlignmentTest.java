package dev.workbookrelay.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.workbookrelay.support.PostgresSchema;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * How a sheet's rows as read are aligned with its rows as last published, in the state database ({@link StagedRows}),
 * on both databases the relay runs on. A row here is written {@code content} (named by content) or
 * {@code key=content}; its hash is its content and it is read at rows 2, 3, 4…
 */
class RowAlignmentTest {

    private static final String ALICE = "microsoft-excel/alice/me";
    private static final String SHEET = "{ws1}";

    @TempDir
    Path dir;
    private PostgresSchema schema;
    private JdbcSyncState state;
    private String url;

    @AfterEach
    void close() throws Exception {
        if (state != null) {
            state.close();
        }
        if (schema != null) {
            schema.close();
        }
    }

    private RowState open(String database) throws Exception {
        if (database.equals("postgresql")) {
            schema = new PostgresSchema("relay_rows");
            url = schema.jdbcUrl();
            state = JdbcSyncState.open(url, PostgresSchema.USER, null);
        } else {
            url = "jdbc:h2:file:" + dir.resolve("state") + ";MODE=PostgreSQL";
            state = JdbcSyncState.open(url, null, null);
        }
        return state.rows();
    }

    /** One read of the sheet: its changes as "OP key", in the order published, then stored (without a lease). */
    private static List<String> read(RowState rows, boolean snapshot, String... contents) {
        List<String> changes = new ArrayList<>();
        StagedRows staged = rows.stage(ALICE, "wb1", SHEET, staged(contents));
        long next = rows.sheet(ALICE, "wb1", SHEET).map(RowState.Sheet::nextRowId).orElse(1L);
        StagedRows.Alignment aligned = staged.align(next, snapshot);
        staged.changes(snapshot, change -> changes.add(change.op() + " " + change.key()));
        staged.store(List.of("v"), aligned.nextRowId(), at -> values(contents[(int) at]), null);
        return changes;
    }

    private static List<StagedRows.Read> staged(String... contents) {
        List<StagedRows.Read> rows = new ArrayList<>();
        for (int i = 0; i < contents.length; i++) {
            String[] keyed = contents[i].split("=", 2);
            rows.add(keyed.length == 2 ? new StagedRows.Read(i + 2, keyed[1], keyed[0], i)
                    : new StagedRows.Read(i + 2, contents[i], null, i));
        }
        return rows;
    }

    private static String values(String content) {
        return "{\"v\":\"" + content.substring(content.indexOf('=') + 1) + "\"}";
    }

    /** The stored rows' keys in sheet order. */
    private static List<String> storedKeys(RowState rows) {
        List<String> keys = new ArrayList<>();
        rows.eachRow(ALICE, "wb1", SHEET, row -> keys.add(row.key()));
        return keys;
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aFirstReadNamesEveryRowAndCreatesIt(String database) throws Exception {
        RowState rows = open(database);
        assertEquals(List.of("CREATED #1", "CREATED #2"), read(rows, false, "a", "b"));
        assertEquals(new RowState.Sheet(List.of("v"), 3), rows.sheet(ALICE, "wb1", SHEET).orElseThrow());
        List<RowState.Row> stored = new ArrayList<>();
        rows.eachRow(ALICE, "wb1", SHEET, stored::add);
        assertEquals(List.of(new RowState.Row("#1", true, 2, "{\"v\":\"a\"}"),
                new RowState.Row("#2", true, 3, "{\"v\":\"b\"}")), stored);
        assertEquals(List.of(), read(rows, false, "a", "b"), "read again: nothing changed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void oneRowInsertedInTheMiddleIsOneCreation(String database) throws Exception {
        RowState rows = open(database);
        read(rows, false, "a", "b", "c", "d");
        assertEquals(List.of("CREATED #5"), read(rows, false, "a", "b", "x", "c", "d"));
        assertEquals(List.of("#1", "#2", "#5", "#3", "#4"), storedKeys(rows), "the rows below keep their keys");
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void oneCellEditedIsAnUpdateCarryingTheValuesBefore(String database) throws Exception {
        RowState rows = open(database);
        read(rows, false, "a", "b", "c");
        StagedRows staged = rows.stage(ALICE, "wb1", SHEET, staged("a", "b2", "c"));
        staged.align(4, false);
        List<StagedRows.Change> changes = new ArrayList<>();
        staged.changes(false, changes::add);
        assertEquals(List.of(new StagedRows.Change(StagedRows.Op.UPDATED, "#2", 3, 3, 1, "{\"v\":\"b\"}")), changes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aRowDeletedIsADeletionAtItsStoredPosition(String database) throws Exception {
        RowState rows = open(database);
        read(rows, false, "a", "b", "c");
        StagedRows staged = rows.stage(ALICE, "wb1", SHEET, staged("a", "c"));
        staged.align(4, false);
        List<StagedRows.Change> changes = new ArrayList<>();
        staged.changes(false, changes::add);
        assertEquals(List.of(new StagedRows.Change(StagedRows.Op.DELETED, "#2", -1, 3, 0, "{\"v\":\"b\"}")), changes);
        staged.store(List.of("v"), 4, at -> values(new String[] {"a", "c"}[(int) at]), null);
        assertEquals(List.of("#1", "#3"), storedKeys(rows));
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void rowsReorderedAreNoChangeButTheirPositionsAreStored(String database) throws Exception {
        RowState rows = open(database);
        read(rows, false, "a", "b", "c");
        assertEquals(List.of(), read(rows, false, "c", "a", "b"));
        assertEquals(List.of("#3", "#1", "#2"), storedKeys(rows));
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void identicalRowsAreMatchedInOrder(String database) throws Exception {
        RowState rows = open(database);
        read(rows, false, "a", "a", "b");
        assertEquals(List.of("CREATED #4"), read(rows, false, "a", "b", "a", "a"));
        assertEquals(List.of("#1", "#3", "#2", "#4"), storedKeys(rows));
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void anEditBesideAnInsertionPairsWithinItsGap(String database) throws Exception {
        RowState rows = open(database);
        read(rows, false, "a", "b", "c");
        // b edited to b2 and x inserted after it: b2 is b's update, x is new
        assertEquals(List.of("UPDATED #2", "CREATED #4"), read(rows, false, "a", "b2", "x", "c"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void keyedRowsMatchByKeyWhereverTheyAre(String database) throws Exception {
        RowState rows = open(database);
        read(rows, false, "K1=a", "K2=b", "K3=c");
        assertEquals(List.of("DELETED K1", "UPDATED K2", "CREATED K4"), read(rows, false, "K3=c", "K2=b2", "K4=d"));
        assertEquals(List.of("K3", "K2", "K4"), storedKeys(rows));
        assertEquals(List.of(), read(rows, false, "K3=c", "K2=b2", "K4=d"), "read again: nothing changed");
        assertEquals(List.of("SAME K3", "SAME K2", "SAME K4"), read(rows, true, "K3=c", "K2=b2", "K4=d"),
                "a snapshot gives every row, unchanged ones too");
        assertEquals(List.of(), read(rows, false, "K2=b2", "K3=c", "K4=d"), "moved, not changed");
        assertEquals(List.of("K2", "K3", "K4"), storedKeys(rows), "at their new places");
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aRepeatedKeyNamesItsLaterRowsByContentBesideKeyedOnes(String database) throws Exception {
        RowState rows = open(database);
        StagedRows staged = rows.stage(ALICE, "wb1", SHEET, staged("K1=a", "K1=dup", "K2=b", "K1=dup2"));
        assertEquals(new StagedRows.Alignment(2, 3), staged.align(1, false), "two rows repeat K1: #1 and #2");
        List<String> changes = new ArrayList<>();
        staged.changes(false, change -> changes.add(change.op() + " " + change.key()));
        assertEquals(List.of("CREATED K1", "CREATED #1", "CREATED K2", "CREATED #2"), changes, "in sheet order");
        staged.store(List.of("v"), 3, at -> "{}", null);

        // a blank key (null) beside them: named by content too; the repeated rows are recognised by content
        assertEquals(List.of("CREATED #3"), read(rows, false, "K1=a", "K1=dup", "K2=b", "K1=dup2", "blank"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aSnapshotGivesEveryRowUnderItsKnownKeyAndDeletesWhatIsGone(String database) throws Exception {
        RowState rows = open(database);
        read(rows, false, "a", "b", "c", "d");
        assertEquals(List.of("DELETED #1", "DELETED #4", "SAME #2", "UPDATED #3"), read(rows, true, "b", "c2"),
                "c2 is c changed (between b and the end), a and d are gone");
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aLongSheetIsAlignedInTheDatabase(String database) throws Exception {
        RowState rows = open(database);
        int n = 20_000;
        String[] first = new String[n];
        for (int i = 0; i < n; i++) {
            first[i] = "r" + i;
        }
        assertEquals(n, read(rows, false, first).size());
        String[] second = first.clone();
        second[7] = "edited";
        second[n - 1000] = "edited too";
        String[] inserted = new String[n + 1];
        System.arraycopy(second, 0, inserted, 0, 100);
        inserted[100] = "new";
        System.arraycopy(second, 100, inserted, 101, n - 100);
        assertEquals(List.of("UPDATED #8", "CREATED #" + (n + 1), "UPDATED #" + (n - 999)),
                read(rows, false, inserted));
        assertEquals(n + 1, storedKeys(rows).size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aSheetsRowsAreForgottenAndOtherSheetsKept(String database) throws Exception {
        RowState rows = open(database);
        read(rows, false, "a", "b");
        StagedRows other = rows.stage(ALICE, "wb1", "{ws2}", staged("Id-1=x"));
        other.align(1, false);
        other.store(List.of("Id", "Name"), 1, at -> "{\"Id\":\"Id-1\"}", null);
        assertEquals(List.of("{ws1}", "{ws2}"), rows.sheets(ALICE, "wb1"));

        rows.forget(ALICE, "wb1", SHEET, null);
        assertEquals(List.of(), storedKeys(rows));
        assertEquals(Optional.empty(), rows.sheet(ALICE, "wb1", SHEET));
        assertEquals(List.of("{ws2}"), rows.sheets(ALICE, "wb1"));
        assertEquals(List.of(), rows.sheets("microsoft-excel/bob/me", "wb1"), "another source's rows are apart");
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void rowsAreStoredOnlyByTheHolderOfTheSourcesLease(String database) throws Exception {
        RowState rows = open(database);
        SourceLeases leases = state.leases("instance-a");
        SourceLeases.Lease lost = leases.tryAcquire(ALICE, Duration.ofMinutes(1)).orElseThrow();
        leases.release(lost);
        SourceLeases.Lease current = leases.tryAcquire(ALICE, Duration.ofMinutes(1)).orElseThrow();

        StagedRows staged = rows.stage(ALICE, "wb1", SHEET, staged("a"));
        staged.align(1, false);
        assertThrows(LeaseLostException.class, () -> staged.store(List.of("v"), 2, at -> "{}", lost));
        assertEquals(Optional.empty(), rows.sheet(ALICE, "wb1", SHEET), "the stale sync stored nothing");
        staged.store(List.of("v"), 2, at -> "{}", current);
        assertThrows(LeaseLostException.class, () -> rows.forget(ALICE, "wb1", SHEET, lost));
        assertThrows(LeaseLostException.class, () -> rows.clearStaged(ALICE, "wb1", lost));
        assertEquals(List.of("#1"), storedKeys(rows), "the stale sync changed nothing");
        rows.forget(ALICE, "wb1", SHEET, current);
        assertEquals(List.of(), storedKeys(rows));
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void readsStagedAndNeverStoredAreClearedWithTheirWorkbook(String database) throws Exception {
        RowState rows = open(database);
        rows.stage(ALICE, "wb1", SHEET, staged("a", "b")).align(1, false); // a relay killed before it stored them
        rows.stage(ALICE, "wb2", SHEET, staged("c")).align(1, false);
        assertEquals(3, count("sync_row_read"));
        assertEquals(3, count("sync_row_change"));

        rows.clearStaged(ALICE, "wb1", null);
        assertEquals(1, count("sync_row_read"), "only wb1's");
        assertEquals(1, count("sync_row_change"));
        StagedRows stored = rows.stage(ALICE, "wb2", SHEET, staged("c"));
        stored.align(1, false);
        stored.store(List.of("v"), 2, at -> "{}", null);
        rows.clearStaged(ALICE, "wb2", null);
        assertEquals(0, count("sync_row_read"));
        assertEquals(0, count("sync_row_change"));
        assertEquals(0, count("sync_row_reading"));
    }

    private long count(String table) throws Exception {
        try (Connection c = DriverManager.getConnection(url, schema != null ? PostgresSchema.USER : null, null);
                Statement s = c.createStatement(); ResultSet row = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            row.next();
            return row.getLong(1);
        }
    }
}

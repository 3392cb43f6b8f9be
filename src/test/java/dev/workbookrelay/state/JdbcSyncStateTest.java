package dev.workbookrelay.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workbookrelay.events.WorkbookImage;
import dev.workbookrelay.events.WorksheetImage;
import dev.workbookrelay.state.JdbcSyncState.Cursor;
import dev.workbookrelay.state.JdbcSyncState.Folder;
import dev.workbookrelay.state.JdbcSyncState.FolderWrite;
import dev.workbookrelay.state.JdbcSyncState.WorkbookWrite;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What {@link JdbcSyncState} promises, whatever database holds it. Each subclass hands every test a fresh, empty
 * database of its kind.
 */
abstract class JdbcSyncStateTest {


    static final String ALICE = "microsoft-excel/alice/me";
    static final String BOB = "microsoft-excel/bob/me";

    private final List<JdbcSyncState> opened = new ArrayList<>();
    private String url;

    /** Creates an empty database for one test; returns its JDBC URL. */
    abstract String createDatabase() throws Exception;

    abstract void dropDatabase() throws Exception;

    /** The user to connect as, or {@code null} when the URL says it. */
    abstract String user();

    @BeforeEach
    void freshDatabase() throws Exception {
        url = createDatabase();
    }

    @AfterEach
    void closeAndDrop() throws Exception {
        opened.forEach(JdbcSyncState::close);
        dropDatabase();
    }

    JdbcSyncState open() {
        JdbcSyncState state = JdbcSyncState.open(url, user(), null);
        synchronized (opened) {
            opened.add(state);
        }
        return state;
    }

    @Test
    void migrationsApplyOnceAndReopeningChangesNothing() throws Exception {
        open().close();
        List<String> applied = appliedMigrations();
        assertEquals(List.of("1 true", "2 true", "3 true", "4 true", "5 true", "6 true", "7 true", "8 true",
                "9 true"), applied);

        open().close();
        assertEquals(applied, appliedMigrations());
    }

    @Test
    void cursorRoundTripsFromCheckpointToDeltaLink() {
        JdbcSyncState state = open();
        assertEquals(Optional.empty(), state.cursor(ALICE));

        // Graph's links carry long opaque tokens
        Cursor checkpoint = new Cursor("https://graph.microsoft.com/v1.0/me/drive/root/delta?$skiptoken="
                + "x".repeat(4000), false, "enumeration-1");
        state.apply(ALICE, List.of(), List.of(), checkpoint);
        assertEquals(Optional.of(checkpoint), state.cursor(ALICE));

        Cursor snapshotCheckpoint = new Cursor(checkpoint.link() + "y", false, "enumeration-1", true);
        state.apply(ALICE, List.of(), List.of(), snapshotCheckpoint);
        assertEquals(Optional.of(snapshotCheckpoint), state.cursor(ALICE), "a snapshot's checkpoint says so");

        Cursor deltaLink = new Cursor("https://graph.microsoft.com/v1.0/me/drive/root/delta?token=abc", true, null);
        state.apply(ALICE, List.of(), List.of(), deltaLink);
        assertEquals(Optional.of(deltaLink), state.cursor(ALICE));
        assertEquals(Optional.empty(), state.cursor(BOB));

    }

    @Test
    void savingAWorkbookReplacesItsImageAndWholeWorksheetList() {
        JdbcSyncState state = open();
        store(state, ALICE, WorkbookWrite.save(workbook("wb1", "Budget.xlsx"),
                List.of(sheet("s2", "Costs", 1, "wb1"), sheet("s1", "Summary", 0, "wb1"), sheet("s3", "Old", 2, "wb1")),
                null));
        assertEquals(List.of(sheet("s1", "Summary", 0, "wb1"), sheet("s2", "Costs", 1, "wb1"),
                sheet("s3", "Old", 2, "wb1")), state.worksheets(ALICE, "wb1"), "worksheets come back by position");

        WorkbookImage renamed = workbook("wb1", "Budget 2026.xlsx");
        List<WorksheetImage> reordered = List.of(sheet("s2", "Costs", 0, "wb1"), sheet("s1", "Overview", 1, "wb1"));
        store(state, ALICE, WorkbookWrite.save(renamed, reordered, null));

        assertEquals(Optional.of(renamed), state.workbook(ALICE, "wb1"));
        assertEquals(reordered, state.worksheets(ALICE, "wb1"));
        assertEquals(Optional.empty(), state.workbook(BOB, "wb1"), "sources do not share workbooks");
    }

    @Test
    void savingOnlyTheImageLeavesTheWorksheetsAlone() {
        JdbcSyncState state = open();
        List<WorksheetImage> sheets = List.of(sheet("s1", "Summary", 0, "wb1"));
        store(state, ALICE, WorkbookWrite.save(workbook("wb1", "Budget.xlsx"), sheets, null));

        WorkbookImage moved = workbook("wb1", "Budget (moved).xlsx");
        store(state, ALICE, WorkbookWrite.saveImage(moved, null));

        assertEquals(Optional.of(moved), state.workbook(ALICE, "wb1"));
        assertEquals(sheets, state.worksheets(ALICE, "wb1"));
    }

    @Test
    void workbooksNotSeenInAnEnumerationAreTheOnesItMissed() {
        JdbcSyncState state = open();
        store(state, ALICE, WorkbookWrite.save(workbook("a", "A.xlsx"), List.of(), "enumeration-1"));
        store(state, ALICE, WorkbookWrite.saveImage(workbook("b", "B.xlsx"), "enumeration-1"));
        store(state, ALICE, WorkbookWrite.saveImage(workbook("c", "C.xlsx"), null));
        store(state, BOB, WorkbookWrite.saveImage(workbook("d", "D.xlsx"), "enumeration-1"));

        // enumeration 2 returns a (changed) and b (unchanged), then a later incremental write of a carries no id
        store(state, ALICE, WorkbookWrite.save(workbook("a", "A2.xlsx"), List.of(), "enumeration-2"));
        store(state, ALICE, WorkbookWrite.saveImage(workbook("b", "B.xlsx"), "enumeration-2")); // seen again
        store(state, ALICE, WorkbookWrite.saveImage(workbook("a", "A3.xlsx"), null));

        assertEquals(List.of(workbook("c", "C.xlsx")), state.workbooksNotSeenIn(ALICE, "enumeration-2"));
        // only the last mark counts: b, last seen by enumeration 2, is not one enumeration 1 saw last
        assertEquals(List.of(workbook("a", "A3.xlsx"), workbook("b", "B.xlsx"), workbook("c", "C.xlsx")),
                state.workbooksNotSeenIn(ALICE, "enumeration-1"));
        assertEquals(List.of(), state.workbooksNotSeenIn(BOB, "enumeration-1"));
    }

    @Test
    void workbooksNotSeenAreReadAPageAtATimeInIdOrderWithoutGapsOrRepeats() {
        JdbcSyncState state = open();
        List<WorkbookWrite> writes = new java.util.ArrayList<>();
        for (int i = 0; i < 1234; i++) {
            writes.add(WorkbookWrite.saveImage(workbook(String.format("w%05d", i), i + ".xlsx"), "enumeration-1"));
        }
        state.apply(ALICE, writes, List.of(), null);
        List<String> paged = new java.util.ArrayList<>();
        String after = "";
        int pages = 0;
        for (List<WorkbookImage> page; !(page = state.workbooksNotSeenIn(ALICE, "enumeration-2", after, 500))
                .isEmpty(); pages++) {
            assertTrue(page.size() <= 500, "a page is bounded: " + page.size());
            page.forEach(w -> paged.add(w.id()));
            after = page.get(page.size() - 1).id();
        }
        assertEquals(3, pages);
        assertEquals(state.workbooksNotSeenIn(ALICE, "enumeration-2").stream().map(WorkbookImage::id).toList(), paged);
        assertEquals(1234, new java.util.HashSet<>(paged).size());
    }

    @Test
    void deletingAWorkbookDeletesItsWorksheets() {
        JdbcSyncState state = open();
        store(state, ALICE, WorkbookWrite.save(workbook("wb1", "Budget.xlsx"),
                List.of(sheet("s1", "Summary", 0, "wb1"), sheet("s2", "Costs", 1, "wb1")), null));
        List<WorksheetImage> other = List.of(sheet("s1", "Only", 0, "wb2"));
        store(state, ALICE, WorkbookWrite.save(workbook("wb2", "Roster.xlsx"), other, null));

        store(state, ALICE, WorkbookWrite.delete("wb1"));

        assertEquals(Optional.empty(), state.workbook(ALICE, "wb1"));
        assertEquals(List.of(), state.worksheets(ALICE, "wb1"));
        assertEquals(other, state.worksheets(ALICE, "wb2"));
        // the same id coming back starts from nothing, not from leftover worksheets
        store(state, ALICE, WorkbookWrite.saveImage(workbook("wb1", "Budget.xlsx"), null));
        assertEquals(List.of(), state.worksheets(ALICE, "wb1"));
    }

    @Test
    void applyingABatchInsertsUpdatesAndDeletesWorkbooksAndSavesTheCursorTogether() {
        JdbcSyncState state = open();
        store(state, ALICE, WorkbookWrite.save(workbook("kept", "Kept.xlsx"), List.of(sheet("s1", "Old", 0, "kept")),
                null));
        store(state, ALICE, WorkbookWrite.save(workbook("renamed", "Before.xlsx"),
                List.of(sheet("s1", "Stays", 0, "renamed")), null));
        store(state, ALICE, WorkbookWrite.save(workbook("gone", "Gone.xlsx"), List.of(sheet("s1", "Gone", 0, "gone")),
                null));
        Cursor checkpoint = new Cursor("https://graph.microsoft.com/v1.0/me/drive/root/delta?$skiptoken=p2", false,
                "enumeration-1", true);

        List<WorksheetImage> keptSheets = List.of(sheet("s1", "New", 0, "kept"), sheet("s2", "Added", 1, "kept"));
        List<WorksheetImage> newSheets = List.of(sheet("s9", "Fresh", 0, "new"));
        state.apply(ALICE, List.of(
                WorkbookWrite.save(workbook("new", "New.xlsx"), newSheets, "enumeration-1"),
                WorkbookWrite.save(workbook("kept", "Kept.xlsx"), keptSheets, "enumeration-1"),
                WorkbookWrite.saveImage(workbook("renamed", "After.xlsx"), "enumeration-1"),
                WorkbookWrite.delete("gone")), List.of(), checkpoint);

        assertEquals(Optional.of(workbook("new", "New.xlsx")), state.workbook(ALICE, "new"));
        assertEquals(newSheets, state.worksheets(ALICE, "new"));
        assertEquals(keptSheets, state.worksheets(ALICE, "kept"), "worksheets replaced as a whole");
        assertEquals(Optional.of(workbook("renamed", "After.xlsx")), state.workbook(ALICE, "renamed"));
        assertEquals(List.of(sheet("s1", "Stays", 0, "renamed")), state.worksheets(ALICE, "renamed"),
                "an image-only write keeps the worksheets");
        assertEquals(Optional.empty(), state.workbook(ALICE, "gone"));
        assertEquals(List.of(), state.worksheets(ALICE, "gone"));
        assertEquals(Optional.of(checkpoint), state.cursor(ALICE));
        assertEquals(List.of(), state.workbooksNotSeenIn(ALICE, "enumeration-1"), "every write marked seen");
    }

    @Test
    void aWriteFollowedByAnImageOnlyWriteKeepsTheFirstWorksheets() {
        List<WorksheetImage> sheets = List.of(sheet("s1", "Summary", 0, "wb1"));
        WorkbookWrite first = WorkbookWrite.save(workbook("wb1", "A.xlsx"), sheets, "enumeration-1");

        assertEquals(WorkbookWrite.save(workbook("wb1", "B.xlsx"), sheets, "enumeration-2"),
                first.then(WorkbookWrite.saveImage(workbook("wb1", "B.xlsx"), "enumeration-2")));
        assertEquals(WorkbookWrite.delete("wb1"), first.then(WorkbookWrite.delete("wb1")));
        assertEquals(first, WorkbookWrite.delete("wb1").then(first));
    }

    @Test
    void foldersAreRememberedMovedAndForgottenPerSource() {
        JdbcSyncState state = open();
        store(state, ALICE, FolderWrite.save("root", null, "", true));
        store(state, ALICE, FolderWrite.save("f1", "root", "Finance", false));
        store(state, ALICE, FolderWrite.save("f2", "root", "Sales", false));
        store(state, BOB, FolderWrite.save("f9", null, "", true));

        store(state, ALICE, FolderWrite.save("f2", "f1", "Sales 2026", false));
        store(state, ALICE, FolderWrite.delete("f1"));

        assertEquals(Map.of("root", new Folder(null, "", true), "f2", new Folder("f1", "Sales 2026", false)),
                state.folders(ALICE));
        assertEquals(Map.of("f9", new Folder(null, "", true)), state.folders(BOB));
    }

    @Test
    void stateSurvivesCloseAndReopen() {
        JdbcSyncState first = open();
        Cursor cursor = new Cursor("https://graph.microsoft.com/v1.0/me/drive/root/delta?token=t1", true, null);
        List<WorksheetImage> sheets = List.of(sheet("s1", "Summary", 0, "wb1"));
        first.apply(ALICE, List.of(), List.of(), cursor);
        store(first, ALICE, WorkbookWrite.save(workbook("wb1", "Budget.xlsx"), sheets, "enumeration-1"));
        store(first, ALICE, FolderWrite.save("f1", "root", "Finance", false));
        first.close();

        JdbcSyncState second = open();
        assertEquals(Optional.of(cursor), second.cursor(ALICE));
        assertEquals(Optional.of(workbook("wb1", "Budget.xlsx")), second.workbook(ALICE, "wb1"));
        assertEquals(sheets, second.worksheets(ALICE, "wb1"));
        assertEquals(List.of(), second.workbooksNotSeenIn(ALICE, "enumeration-1"));
        assertEquals(Map.of("f1", new Folder("root", "Finance", false)), second.folders(ALICE));
    }

    @Test
    void aSourceLeaseHasOneHolderUntilReleasedOrRunOut() throws Exception {
        JdbcSyncState state = open();
        SourceLeases a = state.leases("instance-a");
        SourceLeases b = open().leases("instance-b");

        SourceLeases.Lease held = a.tryAcquire(ALICE, Duration.ofMinutes(1)).orElseThrow();
        assertEquals(Optional.empty(), b.tryAcquire(ALICE, Duration.ofMinutes(1)), "held by a");
        assertEquals(Optional.of("instance-a"), b.holder(ALICE));
        assertTrue(b.tryAcquire(BOB, Duration.ofMinutes(1)).isPresent(), "another source is free");
        assertTrue(a.renew(held, Duration.ofMinutes(1)));

        a.release(held);
        SourceLeases.Lease next = b.tryAcquire(ALICE, Duration.ofMillis(200)).orElseThrow();
        assertFalse(a.renew(held, Duration.ofMinutes(1)), "a released it: its holding is over");

        Thread.sleep(400); // b stops renewing, as a dead instance would
        assertEquals(Optional.empty(), a.holder(ALICE), "run out");
        SourceLeases.Lease taken = a.tryAcquire(ALICE, Duration.ofMinutes(1)).orElseThrow();
        assertFalse(b.renew(next, Duration.ofMinutes(1)), "taken over after it ran out");
        assertTrue(a.renew(taken, Duration.ofMinutes(1)));
    }

    @Test
    void aSyncThatLostItsLeaseWritesNothing() {
        JdbcSyncState state = open();
        SourceLeases.Lease[] leases = lostThenCurrent(state);
        SourceLeases.Lease lost = leases[0];
        SourceLeases.Lease current = leases[1];

        Cursor cursor = new Cursor("https://graph.microsoft.com/v1.0/me/drive/root/delta?token=t1", true, null);
        assertThrows(LeaseLostException.class, () -> state.apply(ALICE, List.of(WorkbookWrite.save(
                workbook("wb1", "Budget.xlsx"), List.of(), null)), List.of(), cursor, lost, List.of("r-1")));
        assertEquals(Optional.empty(), state.workbook(ALICE, "wb1"));
        assertEquals(Optional.empty(), state.cursor(ALICE));
        assertEquals(Set.of(), state.done(List.of("r-1")));

        state.apply(ALICE, List.of(WorkbookWrite.save(workbook("wb1", "Budget.xlsx"), List.of(), null)), List.of(),
                cursor, current, List.of());
        assertEquals(Optional.of(cursor), state.cursor(ALICE), "the current holder writes");
    }

    /** Alice's lease as a sync that lost it holds it (released, then taken again), and the one taken after. */
    private static SourceLeases.Lease[] lostThenCurrent(JdbcSyncState state) {
        SourceLeases leases = state.leases("instance-a");
        SourceLeases.Lease lost = leases.tryAcquire(ALICE, Duration.ofMinutes(1)).orElseThrow();
        leases.release(lost);
        return new SourceLeases.Lease[] {lost, leases.tryAcquire(ALICE, Duration.ofMinutes(1)).orElseThrow()};
    }

    @Test
    void requestsRecordedDoneWithASyncsLastWriteAreKnownDone() {
        JdbcSyncState state = open();
        Cursor deltaLink = new Cursor("https://graph.microsoft.com/v1.0/me/drive/root/delta?token=t1", true, null);
        state.apply(ALICE, List.of(), List.of(), deltaLink, null, List.of("schedule:alice@t1", "r-7", "r-7"));

        assertEquals(Set.of("schedule:alice@t1", "r-7"), state.done(List.of("schedule:alice@t1", "r-7", "r-8")));
        assertEquals(Set.of(), state.done(List.of("r-8")));
        state.forget(ALICE);
        assertEquals(Set.of(), state.done(List.of("r-7")), "forgotten with its source");
    }

    @Test
    void knownConnectionsFollowTheListingsAndGoneOnesExpire() throws Exception {
        KnownConnections known = open().knownConnections();

        assertEquals(new KnownConnections.Changes(List.of("a", "b"), List.of()),
                known.listed("users", "microsoft-excel", List.of("b", "a")));
        assertEquals(new KnownConnections.Changes(List.of("c"), List.of("a")),
                known.listed("users", "microsoft-excel", List.of("b", "c")));
        assertEquals(List.of("b", "c"), known.live("users"));
        assertEquals(List.of(), known.live("others"), "per integration source");
        assertFalse(known.announced("users", "microsoft-excel", "b"), "already live");
        assertTrue(known.announced("users", "microsoft-excel", "a"), "back, announced by a webhook");
        assertEquals(List.of("a", "b", "c"), known.live("users"));

        known.listed("users", "microsoft-excel", List.of("c"));
        assertEquals(List.of(), known.goneLongerThan("users", Duration.ofMinutes(1)));
        Thread.sleep(50);
        assertEquals(List.of("a", "b"), known.goneLongerThan("users", Duration.ofMillis(10)));
        known.forget("users", "a");
        assertEquals(List.of("b"), known.goneLongerThan("users", Duration.ofMillis(10)));
    }

    /**
     * Two instances (as two relays would) start together on one database and then hammer the same rows. Nothing
     * may fail, and each workbook must end with one writer's complete worksheet list, never a mix.
     */
    @Test
    @Timeout(120)
    void twoInstancesMigratingAndWritingTheSameRowsConcurrentlyDoNotFail() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            Future<JdbcSyncState> a = pool.submit(this::open);
            Future<JdbcSyncState> b = pool.submit(this::open);
            List<JdbcSyncState> instances = List.of(a.get(), b.get());
            assertEquals(List.of("1 true", "2 true", "3 true", "4 true", "5 true", "6 true", "7 true", "8 true",
                    "9 true"), appliedMigrations());

            List<Callable<Void>> writers = new ArrayList<>();
            for (int w = 0; w < 8; w++) {
                writers.add(writer(instances.get(w % 2), w));
            }
            for (Future<Void> done : pool.invokeAll(writers)) {
                done.get();
            }

            JdbcSyncState state = instances.get(0);
            for (String id : List.of("wb0", "wb1", "wb2")) {
                List<WorksheetImage> sheets = state.worksheets(ALICE, id);
                if (state.workbook(ALICE, id).isEmpty()) {
                    assertEquals(List.of(), sheets);
                    continue;
                }
                String writer = sheets.get(0).name().split("-")[0];
                assertEquals(Integer.parseInt(writer.substring(1)) + 1, sheets.size(), id + ": " + sheets);
                assertTrue(sheets.stream().allMatch(s -> s.name().startsWith(writer + "-")), id + ": " + sheets);
            }
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    /** Writer {@code w} always writes {@code w + 1} worksheets named {@code w<w>-<n>}, so mixes are visible. */
    private static Callable<Void> writer(JdbcSyncState state, int w) {
        return () -> {
            for (int i = 0; i < 40; i++) {
                String id = "wb" + (i % 3);
                List<WorksheetImage> sheets = IntStream.rangeClosed(0, w)
                        .mapToObj(n -> sheet("s" + n, "w" + w + "-" + n, n, id)).toList();
                store(state, ALICE, WorkbookWrite.save(workbook(id, "W" + w + ".xlsx"), sheets, "enumeration-" + w));
                state.apply(ALICE, List.of(), List.of(), new Cursor("link-" + w + "-" + i, i % 2 == 0, null));
                store(state, ALICE, FolderWrite.save("f1", "root", "Finance " + w, false));
                store(state, ALICE, WorkbookWrite.saveImage(workbook(id, "W" + w + ".xlsx"), "enumeration-x"));
                // and a batch of two workbooks with a checkpoint, as a sync writes them
                String other = "wb" + ((i + 1) % 3);
                WorkbookWrite second = WorkbookWrite.save(workbook(other, "W" + w + ".xlsx"),
                        sheets.stream().map(s -> sheet(s.id(), s.name(), s.position(), other)).toList(), null);
                state.apply(ALICE, List.of(second, WorkbookWrite.save(workbook(id, "W" + w + ".xlsx"), sheets, null)
                        .asLikelyNew()), List.of(), new Cursor("batch-" + w + "-" + i, false, "enumeration-" + w));
                state.workbooksNotSeenIn(ALICE, "enumeration-x");
                if (i % 7 == w % 7) {
                    store(state, ALICE, WorkbookWrite.delete(id));
                    store(state, ALICE, FolderWrite.delete("f1"));
                }
            }
            return null;
        };
    }

    /**
     * Flyway's own record of the migrations it applied, as "version success" lines. Flyway quotes its lower-case
     * names; on H2 it also records the creation of the history table itself, without a version.
     */
    private List<String> appliedMigrations() throws Exception {
        try (Connection c = DriverManager.getConnection(url, user(), null); Statement s = c.createStatement();
                ResultSet row = s.executeQuery(
                        "SELECT \"version\", \"success\" FROM \"flyway_schema_history\""
                                + " WHERE \"version\" IS NOT NULL ORDER BY \"installed_rank\"")) {
            List<String> lines = new ArrayList<>();
            while (row.next()) {
                lines.add(row.getString(1) + " " + row.getBoolean(2));
            }
            return lines;
        }
    }

    /** One workbook write in a transaction of its own, as the sync's writer would make it. */
    static void store(JdbcSyncState state, String source, WorkbookWrite write) {
        state.apply(source, List.of(write), List.of(), null);
    }

    static void store(JdbcSyncState state, String source, FolderWrite write) {
        state.apply(source, List.of(), List.of(write), null);
    }

    static WorkbookImage workbook(String id, String name) {
        return new WorkbookImage(id, name, "b!drive", "root", "/Finance",
                "https://contoso.sharepoint.com/Finance/" + name, 18_432L, "\"{" + id + "},4\"", "\"c:{" + id + "},4\"",
                "2026-01-05T09:00:00Z", "2026-02-01T12:30:00Z",
                new WorkbookImage.Modifier("Alice Example", "alice@example.com", "u-alice"));
    }

    static WorksheetImage sheet(String id, String name, int position, String workbookId) {
        return new WorksheetImage(id, name, position, "Visible", workbookId);
    }
}

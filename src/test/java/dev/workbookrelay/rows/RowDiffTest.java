package dev.workbookrelay.rows;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.workbookrelay.rows.RowDiff.Current;
import dev.workbookrelay.rows.RowDiff.Op;
import dev.workbookrelay.rows.RowDiff.Result;
import dev.workbookrelay.rows.RowDiff.Stored;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RowDiffTest {

    /** Rows named by content, as the last sync stored them: contents a, b, c… at rows 2, 3, 4… keys #1, #2… */
    private static List<Stored> stored(String... contents) {
        List<Stored> rows = new ArrayList<>();
        for (int i = 0; i < contents.length; i++) {
            rows.add(new Stored("#" + (i + 1), i + 2, contents[i], true));
        }
        return rows;
    }

    private static List<Current> now(String... contents) {
        List<Current> rows = new ArrayList<>();
        for (int i = 0; i < contents.length; i++) {
            rows.add(new Current(i + 2, contents[i], i, null));
        }
        return rows;
    }

    private static List<String> changes(Result result) {
        return result.changes().stream().map(c -> c.op() + " " + c.key()).toList();
    }

    @Test
    void aFirstReadNamesEveryRowAndCreatesIt() {
        Result result = RowDiff.diff(List.of(), now("a", "b"), 1, false);
        assertEquals(List.of("CREATED #1", "CREATED #2"), changes(result));
        assertEquals(3, result.nextId());
    }

    @Test
    void oneRowInsertedInTheMiddleIsOneCreation() {
        Result result = RowDiff.diff(stored("a", "b", "c", "d"), now("a", "b", "x", "c", "d"), 5, false);
        assertEquals(List.of("CREATED #5"), changes(result));
        assertEquals(List.of("#1", "#2", "#5", "#3", "#4"), result.rows().stream().map(RowDiff.Kept::key).toList(),
                "the rows below keep their keys");
    }

    @Test
    void oneCellEditedIsAnUpdateOfThatRow() {
        Result result = RowDiff.diff(stored("a", "b", "c"), now("a", "b2", "c"), 4, false);
        assertEquals(List.of("UPDATED #2"), changes(result));
    }

    @Test
    void aRowDeletedIsADeletion() {
        Result result = RowDiff.diff(stored("a", "b", "c"), now("a", "c"), 4, false);
        assertEquals(List.of("DELETED #2"), changes(result));
        assertEquals(3, result.changes().get(0).before().position());
    }

    @Test
    void rowsReorderedAreNoChange() {
        Result result = RowDiff.diff(stored("a", "b", "c"), now("c", "a", "b"), 4, false);
        assertEquals(List.of(), changes(result));
        assertEquals(List.of("#3", "#1", "#2"), result.rows().stream().map(RowDiff.Kept::key).toList());
    }

    @Test
    void identicalRowsAreMatchedInOrder() {
        Result result = RowDiff.diff(stored("a", "a", "b"), now("a", "b", "a", "a"), 4, false);
        assertEquals(List.of("CREATED #4"), changes(result));
    }

    @Test
    void anEditBesideAnInsertionPairsWithinItsGap() {
        // b edited to b2 and x inserted after it: b2 is b's update, x is new
        Result result = RowDiff.diff(stored("a", "b", "c"), now("a", "b2", "x", "c"), 4, false);
        assertEquals(List.of("UPDATED #2", "CREATED #4"), changes(result));
    }

    @Test
    void keyedRowsMatchByKeyWhereverTheyAre() {
        List<Stored> old = List.of(new Stored("K1", 2, "a", false), new Stored("K2", 3, "b", false),
                new Stored("K3", 4, "c", false));
        List<Current> rows = List.of(
                new Current(2, "c", 0, "K3"),
                new Current(3, "b2", 0, "K2"),
                new Current(4, "d", 0, "K4"));
        Result result = RowDiff.diff(old, rows, 1, false);
        assertEquals(List.of("DELETED K1", "UPDATED K2", "CREATED K4"), changes(result));
    }

    @Test
    void rowsWithoutAUsableKeyAreNamedByContentBesideKeyedOnes() {
        List<Stored> old = List.of(new Stored("K1", 2, "a", false), new Stored("#1", 3, "dup", true));
        List<Current> rows = List.of(
                new Current(2, "a", 0, "K1"),
                new Current(3, "dup", 0, null),
                new Current(4, "blank", 0, null));
        Result result = RowDiff.diff(old, rows, 2, false);
        assertEquals(List.of("CREATED #2"), changes(result));
    }

    @Test
    void aSnapshotPublishesEveryRowUnderItsKnownKeyAndDeletesWhatIsGone() {
        Result result = RowDiff.diff(stored("a", "b", "c", "d"), now("b", "c2"), 5, true);
        assertEquals(List.of("DELETED #1", "DELETED #4", "SNAPSHOT #2", "SNAPSHOT #3"), changes(result),
                "c2 is c changed (between b and the end), a and d are gone");
        assertEquals(Op.SNAPSHOT, result.changes().get(3).op());
    }
}

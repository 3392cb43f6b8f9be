package dev.workbookrelay.rows;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Aligns a worksheet's rows as last published with its rows now. A row with a key (the {@code rowKey} column's
 * value) is matched by key. A row without one is matched by content: rows with the same content are the same row
 * wherever they moved (position is not a change); a row whose content changed is paired with the one old row left
 * unmatched between the same matched neighbours (an update); what is left is created or deleted. So one row
 * inserted in the middle is one {@code created}, not an update of every row below it. Rows named by content get
 * generated keys, {@code #1}, {@code #2}…, kept for as long as the row is recognised.
 */
public final class RowDiff {

    /** What happened to a row. */
    public enum Op { SNAPSHOT, CREATED, UPDATED, DELETED }

    /** A row as last published: its key, sheet row number and content hash. */
    public record Stored(String key, int position, String hash, boolean generated) {
    }

    /**
     * A row as read now: its position, the hash of its values, where its values are ({@link RowSpool}: not held
     * while the sheet is diffed), and {@code key}, null when it is named by content.
     */
    public record Current(int position, String hash, long valuesAt, String key) {
    }

    /** A row's change: {@code before} null for snapshots and creations, {@code after} null for deletions. */
    public record Change(Op op, String key, Stored before, Current after) {
    }

    /** A row to store, under its key. */
    public record Kept(String key, boolean generated, Current row) {
    }

    /** The changes in sheet order (deletions first), the rows to store, and the next generated key number. */
    public record Result(List<Change> changes, List<Kept> rows, long nextId) {
    }

    private RowDiff() {
    }

    /**
     * @param old      the rows last published (any order)
     * @param now      the rows now, in sheet order
     * @param nextId   the number of the next generated key
     * @param snapshot every current row is published ({@code SNAPSHOT}) whether it changed or not
     */
    public static Result diff(List<Stored> old, List<Current> now, long nextId, boolean snapshot) {
        List<Change> deleted = new ArrayList<>();
        List<Change> changed = new ArrayList<>();
        List<Kept> kept = new ArrayList<>(now.size());
        Map<String, Stored> oldKeyed = new LinkedHashMap<>();
        List<Stored> oldUnkeyed = new ArrayList<>();
        for (Stored row : old) {
            if (row.generated()) {
                oldUnkeyed.add(row);
            } else {
                oldKeyed.put(row.key(), row);
            }
        }
        // every current row in order: keyed ones matched at once, the others marked for content matching
        List<Integer> unkeyedAt = new ArrayList<>();
        Change[] byIndex = new Change[now.size()];
        for (int i = 0; i < now.size(); i++) {
            Current row = now.get(i);
            if (row.key() == null) {
                unkeyedAt.add(i);
                continue;
            }
            Stored was = oldKeyed.remove(row.key());
            kept.add(new Kept(row.key(), false, row));
            byIndex[i] = snapshot ? new Change(Op.SNAPSHOT, row.key(), was, row)
                    : was == null ? new Change(Op.CREATED, row.key(), null, row)
                    : was.hash().equals(row.hash()) ? null : new Change(Op.UPDATED, row.key(), was, row);
        }
        oldKeyed.values().forEach(row -> deleted.add(new Change(Op.DELETED, row.key(), row, null)));

        oldUnkeyed.sort(Comparator.comparingInt(Stored::position));
        Map<String, Deque<Stored>> byHash = new HashMap<>();
        for (Stored row : oldUnkeyed) {
            byHash.computeIfAbsent(row.hash(), h -> new ArrayDeque<>()).add(row);
        }
        int n = unkeyedAt.size();
        Stored[] match = new Stored[n];
        for (int j = 0; j < n; j++) {
            Deque<Stored> same = byHash.get(now.get(unkeyedAt.get(j)).hash());
            match[j] = same == null ? null : same.poll();
        }
        TreeMap<Integer, Stored> unmatched = new TreeMap<>();
        byHash.values().forEach(rest -> rest.forEach(row -> unmatched.put(row.position(), row)));
        // the old position of the next matched row after each one: the gap an unmatched row may be paired within
        int[] nextAnchor = new int[n];
        int next = Integer.MAX_VALUE;
        for (int j = n - 1; j >= 0; j--) {
            nextAnchor[j] = next;
            if (match[j] != null) {
                next = match[j].position();
            }
        }
        int anchor = 0;
        for (int j = 0; j < n; j++) {
            Current row = now.get(unkeyedAt.get(j));
            Stored was = match[j];
            Op op;
            if (was != null) {
                anchor = was.position();
                op = snapshot ? Op.SNAPSHOT : null;
            } else {
                Map.Entry<Integer, Stored> gap = unmatched.higherEntry(anchor);
                if (gap != null && gap.getKey() < nextAnchor[j]) {
                    was = unmatched.remove(gap.getKey());
                    anchor = was.position();
                    op = snapshot ? Op.SNAPSHOT : Op.UPDATED;
                } else {
                    op = snapshot ? Op.SNAPSHOT : Op.CREATED;
                }
            }
            String key = was != null ? was.key() : "#" + nextId++;
            kept.add(new Kept(key, true, row));
            byIndex[unkeyedAt.get(j)] = op == null ? null : new Change(op, key, op == Op.CREATED ? null : was, row);
        }
        unmatched.values().forEach(row -> deleted.add(new Change(Op.DELETED, row.key(), row, null)));

        deleted.sort(Comparator.comparingInt(change -> change.before().position()));
        List<Change> changes = new ArrayList<>(deleted);
        for (Change change : byIndex) {
            if (change != null) {
                changed.add(change);
            }
        }
        changes.addAll(changed);
        return new Result(changes, kept, nextId);
    }
}

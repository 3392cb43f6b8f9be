package dev.workbookrelay.sandbox;

import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The cells of one worksheet as read once from its file: immutable, in sheet order (rows ascending, columns
 * ascending within a row, as the file format requires), held in parallel arrays so a 1,000,000-cell sheet costs tens
 * of megabytes rather than a million objects, and a block of rows is found by binary search.
 */
final class SheetCells {

    /** What a cell holds. A formula cell holds its cached result; one saved without a result holds {@link #EMPTY}. */
    enum Kind { EMPTY, STRING, NUMBER, BOOLEAN, ERROR }

    private static final Kind[] KINDS = Kind.values();

    private final int size;
    private final int[] rows;
    private final int[] columns;
    private final byte[] kinds;
    private final double[] numbers;
    /** The text of a string or an error cell; null otherwise. */
    private final String[] texts;
    /** Index into {@link #formats}. */
    private final int[] formatIndexes;
    /** The formula without its {@code =}, or null. */
    private final String[] formulas;
    private final List<String> formats;
    private final BitSet hiddenRows;
    private final BitSet hiddenColumns;
    /** Cells with a value or a formula; null when there are none. */
    private final CellRange valueBounds;
    /** Cells with a value, a formula or a format of their own; null when there are none. */
    private final CellRange usedBounds;

    private SheetCells(Builder b) {
        this.size = b.size;
        this.rows = Arrays.copyOf(b.rows, b.size);
        this.columns = Arrays.copyOf(b.columns, b.size);
        this.kinds = Arrays.copyOf(b.kinds, b.size);
        this.numbers = Arrays.copyOf(b.numbers, b.size);
        this.texts = Arrays.copyOf(b.texts, b.size);
        this.formatIndexes = Arrays.copyOf(b.formatIndexes, b.size);
        this.formulas = Arrays.copyOf(b.formulas, b.size);
        this.formats = List.copyOf(b.formats);
        this.hiddenRows = (BitSet) b.hiddenRows.clone();
        this.hiddenColumns = (BitSet) b.hiddenColumns.clone();
        this.valueBounds = b.valueBounds.range();
        this.usedBounds = b.usedBounds.range();
    }

    /**
     * Excel's used range: the smallest rectangle holding every cell with a value (and, unless {@code valuesOnly},
     * every cell with a format of its own); A1 for a blank sheet.
     */
    CellRange usedRange(boolean valuesOnly) {
        CellRange bounds = valuesOnly ? valueBounds : usedBounds;
        return bounds != null ? bounds : CellRange.TOP_LEFT;
    }

    /** The cell at each position of {@code range}, row by row: an index for the getters below, or -1 for none. */
    int[] grid(CellRange range) {
        int width = range.columnCount();
        int[] grid = new int[Math.toIntExact(range.cellCount())];
        Arrays.fill(grid, -1);
        for (int i = firstAtOrAfterRow(range.firstRow()); i < size && rows[i] <= range.lastRow(); i++) {
            if (columns[i] >= range.firstColumn() && columns[i] <= range.lastColumn()) {
                grid[(rows[i] - range.firstRow()) * width + columns[i] - range.firstColumn()] = i;
            }
        }
        return grid;
    }

    Kind kind(int cell) {
        return KINDS[kinds[cell]];
    }

    double number(int cell) {
        return numbers[cell];
    }

    /** The string of a {@link Kind#STRING} cell, the error text of an {@link Kind#ERROR} cell. */
    String text(int cell) {
        return texts[cell];
    }

    String formula(int cell) {
        return formulas[cell];
    }

    /** Its number format code, {@code General} when it has none. */
    String format(int cell) {
        return formats.get(formatIndexes[cell]);
    }

    /** Excel's {@code rowHidden}: every row of the range is hidden. */
    boolean rowsHidden(CellRange range) {
        return hiddenRows.nextClearBit(range.firstRow()) > range.lastRow();
    }

    /** Excel's {@code columnHidden}: every column of the range is hidden. */
    boolean columnsHidden(CellRange range) {
        return hiddenColumns.nextClearBit(range.firstColumn()) > range.lastColumn();
    }

    private int firstAtOrAfterRow(int row) {
        int low = 0;
        int high = size;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (rows[mid] < row) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    /** Collects cells in sheet order. */
    static final class Builder {
        private int size;
        private int[] rows = new int[1024];
        private int[] columns = new int[1024];
        private byte[] kinds = new byte[1024];
        private double[] numbers = new double[1024];
        private String[] texts = new String[1024];
        private int[] formatIndexes = new int[1024];
        private String[] formulas = new String[1024];
        private final List<String> formats = new java.util.ArrayList<>(List.of("General"));
        private final Map<String, Integer> formatIds = new HashMap<>(Map.of("General", 0));
        private final BitSet hiddenRows = new BitSet();
        private final BitSet hiddenColumns = new BitSet();
        private final Bounds valueBounds = new Bounds();
        private final Bounds usedBounds = new Bounds();

        /**
         * One cell. {@code format} null or {@code General} for none; {@code styled} whether the cell has a style
         * of its own (which alone makes it part of the used range unless {@code valuesOnly}).
         */
        void add(int row, int column, Kind kind, double number, String text, String format, String formula,
                 boolean styled) {
            if (kind == Kind.EMPTY && formula == null && !styled) {
                return; // a bare <c/>: nothing Excel would count or show
            }
            if (size == rows.length) {
                grow();
            }
            rows[size] = row;
            columns[size] = column;
            kinds[size] = (byte) kind.ordinal();
            numbers[size] = number;
            texts[size] = text;
            formatIndexes[size] = format == null ? 0 : formatIds.computeIfAbsent(format, f -> {
                formats.add(f);
                return formats.size() - 1;
            });
            formulas[size] = formula;
            size++;
            usedBounds.add(row, column);
            if (kind != Kind.EMPTY || formula != null) {
                valueBounds.add(row, column);
            }
        }

        void hideRow(int row) {
            hiddenRows.set(row);
        }

        void hideColumns(int first, int last) {
            hiddenColumns.set(first, last + 1);
        }

        SheetCells build() {
            return new SheetCells(this);
        }

        private void grow() {
            int capacity = rows.length * 2;
            rows = Arrays.copyOf(rows, capacity);
            columns = Arrays.copyOf(columns, capacity);
            kinds = Arrays.copyOf(kinds, capacity);
            numbers = Arrays.copyOf(numbers, capacity);
            texts = Arrays.copyOf(texts, capacity);
            formatIndexes = Arrays.copyOf(formatIndexes, capacity);
            formulas = Arrays.copyOf(formulas, capacity);
        }
    }

    private static final class Bounds {
        int firstRow = Integer.MAX_VALUE;
        int firstColumn = Integer.MAX_VALUE;
        int lastRow = -1;
        int lastColumn = -1;

        void add(int row, int column) {
            firstRow = Math.min(firstRow, row);
            lastRow = Math.max(lastRow, row);
            firstColumn = Math.min(firstColumn, column);
            lastColumn = Math.max(lastColumn, column);
        }

        CellRange range() {
            return lastRow < 0 ? null : new CellRange(firstRow, firstColumn, lastRow, lastColumn);
        }
    }
}

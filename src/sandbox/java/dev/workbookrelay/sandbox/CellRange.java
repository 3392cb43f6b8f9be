package dev.workbookrelay.sandbox;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A rectangle of cells with zero-based rows and columns, inclusive, as Excel's A1 addresses name them. */
record CellRange(int firstRow, int firstColumn, int lastRow, int lastColumn) {

    /** Excel's sheet size: rows 1..1,048,576, columns A..XFD. */
    static final int MAX_ROWS = 1 << 20;
    static final int MAX_COLUMNS = 1 << 14;

    private static final Pattern A1 = Pattern.compile("\\$?([A-Za-z]{1,3})\\$?([0-9]{1,7})");

    /** The single cell A1: what Excel calls the used range of a blank sheet. */
    static final CellRange TOP_LEFT = new CellRange(0, 0, 0, 0);

    /**
     * {@code B2}, {@code A1:C3}, {@code $A$1:$C$3}, any case; corners in either order (Excel normalises
     * {@code C3:A1} to {@code A1:C3}). Null when it is not a cell or a rectangle of cells on the sheet.
     */
    static CellRange parse(String address) {
        String[] corners = address.trim().split(":", -1);
        if (corners.length > 2) {
            return null;
        }
        int[] first = cell(corners[0]);
        int[] last = corners.length == 2 ? cell(corners[1]) : first;
        if (first == null || last == null) {
            return null;
        }
        return new CellRange(Math.min(first[0], last[0]), Math.min(first[1], last[1]),
                Math.max(first[0], last[0]), Math.max(first[1], last[1]));
    }

    /** {row, column} of an A1 cell reference, or null. */
    static int[] cell(String reference) {
        Matcher m = A1.matcher(reference.trim());
        if (!m.matches()) {
            return null;
        }
        int column = columnIndex(m.group(1));
        long row = Long.parseLong(m.group(2)) - 1;
        return column < MAX_COLUMNS && row >= 0 && row < MAX_ROWS ? new int[] {(int) row, column} : null;
    }

    /** {@code A} → 0, {@code AA} → 26. */
    static int columnIndex(String letters) {
        int n = 0;
        for (int i = 0; i < letters.length(); i++) {
            n = n * 26 + (Character.toUpperCase(letters.charAt(i)) - 'A' + 1);
        }
        return n - 1;
    }

    /** 0 → {@code A}, 26 → {@code AA}. */
    static String columnLetters(int column) {
        StringBuilder letters = new StringBuilder(3);
        for (int n = column + 1; n > 0; n = (n - 1) / 26) {
            letters.insert(0, (char) ('A' + (n - 1) % 26));
        }
        return letters.toString();
    }

    int rowCount() {
        return lastRow - firstRow + 1;
    }

    int columnCount() {
        return lastColumn - firstColumn + 1;
    }

    /** A long: a whole-sheet rectangle holds 2^34 cells. */
    long cellCount() {
        return (long) rowCount() * columnCount();
    }

    /** {@code B2:F100}, or {@code B2} for a single cell, as Excel writes addresses. */
    String a1() {
        String first = columnLetters(firstColumn) + (firstRow + 1);
        return firstRow == lastRow && firstColumn == lastColumn ? first
                : first + ":" + columnLetters(lastColumn) + (lastRow + 1);
    }

    /** {@code Sheet1!B2:F100}, quoting the sheet name as Excel does when it needs quotes. */
    String qualified(String sheetName) {
        return quotedSheetName(sheetName) + "!" + a1();
    }

    /**
     * Excel leaves a sheet name bare when it reads as a name (letters, digits, {@code _} and {@code .}, not starting
     * with a digit) that could not be taken for a cell reference ({@code AB12}, {@code R1C1}); otherwise it wraps it
     * in apostrophes and doubles any apostrophe inside.
     */
    static String quotedSheetName(String name) {
        boolean plain = name.matches("[\\p{L}_][\\p{L}\\p{N}_.]*")
                && !name.matches("(?i)[a-z]{1,3}[0-9]+")
                && !name.toUpperCase(Locale.ROOT).matches("R[0-9]*|C[0-9]*|R[0-9]*C[0-9]*");
        return plain ? name : "'" + name.replace("'", "''") + "'";
    }
}

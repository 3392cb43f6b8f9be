package dev.workbookrelay.graph;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A rectangular A1-style range as Excel's workbook API writes it ({@code Sheet1!B2:F100}, {@code 'Open deals'!A1},
 * sheet name optional), with 1-based rows and columns.
 */
public record RangeAddress(int firstRow, int firstColumn, int lastRow, int lastColumn) {

    private static final Pattern CELLS = Pattern.compile("\\$?([A-Za-z]{1,3})\\$?(\\d{1,7})"
            + "(?::\\$?([A-Za-z]{1,3})\\$?(\\d{1,7}))?");

    public RangeAddress {
        if (firstRow < 1 || firstColumn < 1 || lastRow < firstRow || lastColumn < firstColumn) {
            throw new IllegalArgumentException("not a range: rows " + firstRow + "-" + lastRow + ", columns "
                    + firstColumn + "-" + lastColumn);
        }
    }

    /** Parses an address with or without its sheet; {@link IllegalArgumentException} if it is not a cell range. */
    public static RangeAddress parse(String address) {
        if (address == null) {
            throw new IllegalArgumentException("no range address");
        }
        // the sheet name may itself hold '!' inside quotes: the cells follow the last one
        String cells = address.substring(address.lastIndexOf('!') + 1);
        Matcher m = CELLS.matcher(cells);
        if (!m.matches()) {
            throw new IllegalArgumentException("not an A1 range address: " + address);
        }
        int firstColumn = column(m.group(1));
        int firstRow = Integer.parseInt(m.group(2));
        return m.group(3) == null ? new RangeAddress(firstRow, firstColumn, firstRow, firstColumn)
                : new RangeAddress(firstRow, firstColumn, Integer.parseInt(m.group(4)), column(m.group(3)));
    }

    /** {@code A} → 1, {@code Z} → 26, {@code AA} → 27. */
    public static int column(String letters) {
        int n = 0;
        for (char c : letters.toUpperCase(Locale.ROOT).toCharArray()) {
            n = n * 26 + (c - 'A' + 1);
        }
        return n;
    }

    /** 1 → {@code A}, 27 → {@code AA}. */
    public static String letters(int column) {
        StringBuilder s = new StringBuilder();
        for (int n = column; n > 0; n = (n - 1) / 26) {
            s.insert(0, (char) ('A' + (n - 1) % 26));
        }
        return s.toString();
    }

    /** The rows {@code from} to {@code to} of this range's columns. */
    public RangeAddress rows(int from, int to) {
        return new RangeAddress(from, firstColumn, to, lastColumn);
    }

    public int rowCount() {
        return lastRow - firstRow + 1;
    }

    public int columnCount() {
        return lastColumn - firstColumn + 1;
    }

    /** {@code B2:F100} (no sheet). */
    @Override
    public String toString() {
        return letters(firstColumn) + firstRow + ":" + letters(lastColumn) + lastRow;
    }
}

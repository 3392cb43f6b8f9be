package dev.workbookrelay.rows;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Which worksheets' rows a source publishes, and how a row is named: the {@code rows}, {@code rowKey} and
 * {@code headerRow} parameters of a source or a sync request.
 *
 * @param all       every visible worksheet
 * @param sheets    these worksheets by name (any visibility; compared without case); empty with {@code all}
 * @param rowKey    the header of the column whose value names a row; null: rows are matched by content
 * @param headerRow the sheet row (1-based) holding the header; null: the first row of the used range
 */
public record RowOptions(boolean all, Set<String> sheets, String rowKey, Integer headerRow) {

    /** No rows: the default. */
    public static final RowOptions NONE = new RowOptions(false, Set.of(), null, null);

    /** Longest sheet name Excel allows, and a bound for the key column's header. */
    private static final int MAX_NAME = 255;

    public RowOptions {
        sheets = Set.copyOf(sheets);
    }

    /**
     * Reads the parameters; {@link IllegalArgumentException} with a reason a person can act on.
     *
     * @param rows      {@code none} (or blank), {@code all}, or worksheet names separated by commas
     * @param rowKey    a column header, or blank
     * @param headerRow a row number, or blank
     */
    public static RowOptions parse(String rows, String rowKey, String headerRow) {
        String selection = rows == null ? "" : rows.trim();
        boolean all = selection.equalsIgnoreCase("all");
        Set<String> sheets = new LinkedHashSet<>();
        if (!all && !selection.isEmpty() && !selection.equalsIgnoreCase("none")) {
            Arrays.stream(selection.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                    .map(s -> s.toLowerCase(Locale.ROOT)).forEach(sheets::add);
            if (sheets.stream().anyMatch(s -> s.length() > MAX_NAME)) {
                throw new IllegalArgumentException("rows names a worksheet longer than " + MAX_NAME + " characters");
            }
        }
        String key = rowKey == null || rowKey.isBlank() ? null : rowKey.trim();
        if (key != null && key.length() > MAX_NAME) {
            throw new IllegalArgumentException("rowKey is longer than " + MAX_NAME + " characters");
        }
        Integer header = null;
        if (headerRow != null && !headerRow.isBlank()) {
            try {
                header = Integer.valueOf(headerRow.trim());
            } catch (NumberFormatException e) {
                header = -1;
            }
            if (header < 1 || header > 1_048_576) {
                throw new IllegalArgumentException("headerRow must be a sheet row number (1 to 1048576), got: "
                        + headerRow.trim());
            }
        }
        if (!all && sheets.isEmpty() && (key != null || header != null)) {
            throw new IllegalArgumentException("rowKey and headerRow need rows (all, or worksheet names)");
        }
        return all || !sheets.isEmpty() ? new RowOptions(all, sheets, key, header) : NONE;
    }

    public boolean enabled() {
        return all || !sheets.isEmpty();
    }

    /** Whether the rows of a worksheet with this name and visibility are published. */
    public boolean selects(String sheetName, String visibility) {
        if (all) {
            return visibility == null || visibility.equalsIgnoreCase("Visible");
        }
        return sheetName != null && sheets.contains(sheetName.toLowerCase(Locale.ROOT));
    }

    /** The {@code rows} parameter that reads back as these options. */
    public String rowsParameter() {
        return all ? "all" : sheets.isEmpty() ? "none" : String.join(",", sheets);
    }
}

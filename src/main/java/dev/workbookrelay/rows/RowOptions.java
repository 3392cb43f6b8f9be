package dev.workbookrelay.rows;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Which worksheets' and Excel tables' rows a source publishes, and how a row is named: the {@code rows},
 * {@code tables}, {@code rowKey} and {@code headerRow} parameters of a source or a sync request.
 *
 * @param all       every visible worksheet
 * @param sheets    these worksheets by name (any visibility; compared without case); empty with {@code all}
 * @param allTables every table of the workbook
 * @param tables    these tables by name (compared without case); empty with {@code allTables}
 * @param rowKey    the header of the column whose value names a row (in sheets and tables); null: rows are matched
 *                  by content
 * @param headerRow the sheet row (1-based) holding a worksheet's header; null: the first row of the used range (a
 *                  table's header is its own)
 */
public record RowOptions(boolean all, Set<String> sheets, boolean allTables, Set<String> tables, String rowKey,
        Integer headerRow) {

    /** No rows: the default. */
    public static final RowOptions NONE = new RowOptions(false, Set.of(), false, Set.of(), null, null);

    /** Longest sheet (or table) name Excel allows, and a bound for the key column's header. */
    private static final int MAX_NAME = 255;

    public RowOptions {
        sheets = Set.copyOf(sheets);
        tables = Set.copyOf(tables);
    }

    /**
     * Reads the parameters; {@link IllegalArgumentException} with a reason a person can act on.
     *
     * @param rows      {@code none} (or blank), {@code all}, or worksheet names separated by commas
     * @param tables    {@code none} (or blank), {@code all}, or table names separated by commas
     * @param rowKey    a column header, or blank
     * @param headerRow a row number, or blank
     */
    public static RowOptions parse(String rows, String tables, String rowKey, String headerRow) {
        String sheetSelection = rows == null ? "" : rows.trim();
        boolean all = sheetSelection.equalsIgnoreCase("all");
        Set<String> sheets = names("rows", sheetSelection, "worksheet");
        String tableSelection = tables == null ? "" : tables.trim();
        boolean allTables = tableSelection.equalsIgnoreCase("all");
        Set<String> tableNames = names("tables", tableSelection, "table");
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
        boolean anySheets = all || !sheets.isEmpty();
        boolean anyTables = allTables || !tableNames.isEmpty();
        if (header != null && !anySheets) {
            throw new IllegalArgumentException("headerRow needs rows (all, or worksheet names)");
        }
        if (key != null && !anySheets && !anyTables) {
            throw new IllegalArgumentException("rowKey needs rows or tables (all, or names)");
        }
        return anySheets || anyTables ? new RowOptions(all, sheets, allTables, tableNames, key, header) : NONE;
    }

    /** The names of a selection ({@code a, b}); empty for {@code none}, blank or {@code all}. */
    private static Set<String> names(String parameter, String selection, String what) {
        Set<String> names = new LinkedHashSet<>();
        if (!selection.isEmpty() && !selection.equalsIgnoreCase("all") && !selection.equalsIgnoreCase("none")) {
            Arrays.stream(selection.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                    .map(s -> s.toLowerCase(Locale.ROOT)).forEach(names::add);
            if (names.stream().anyMatch(s -> s.length() > MAX_NAME)) {
                throw new IllegalArgumentException(parameter + " names a " + what + " longer than " + MAX_NAME
                        + " characters");
            }
        }
        return names;
    }

    /** Whether any rows are published: of worksheets, of tables, or both. */
    public boolean enabled() {
        return all || !sheets.isEmpty() || allTables || !tables.isEmpty();
    }

    /** Whether the rows of a worksheet with this name and visibility are published. */
    public boolean selects(String sheetName, String visibility) {
        if (all) {
            return visibility == null || visibility.equalsIgnoreCase("Visible");
        }
        return sheetName != null && sheets.contains(sheetName.toLowerCase(Locale.ROOT));
    }

    /** Whether any table's rows are published (the workbook's tables are then listed). */
    public boolean anyTables() {
        return allTables || !tables.isEmpty();
    }

    /** Whether the rows of the table with this name are published. */
    public boolean selectsTable(String tableName) {
        return allTables || tableName != null && tables.contains(tableName.toLowerCase(Locale.ROOT));
    }

    /** The {@code rows} parameter that reads back as these options. */
    public String rowsParameter() {
        return all ? "all" : sheets.isEmpty() ? "none" : String.join(",", sheets);
    }

    /** The {@code tables} parameter that reads back as these options. */
    public String tablesParameter() {
        return allTables ? "all" : tables.isEmpty() ? "none" : String.join(",", tables);
    }
}

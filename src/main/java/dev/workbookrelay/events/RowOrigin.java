package dev.workbookrelay.events;

/**
 * Where a row lives: a worksheet, or an Excel table (ListObject) on it. Its {@link #id()} names it in row keys and
 * in the state: the worksheet's id, or the table's.
 *
 * @param tableId   null for a worksheet's own rows
 * @param tableName null for a worksheet's own rows
 */
public record RowOrigin(WorksheetImage sheet, String tableId, String tableName) {

    public static RowOrigin of(WorksheetImage sheet) {
        return new RowOrigin(sheet, null, null);
    }

    public static RowOrigin table(WorksheetImage sheet, String tableId, String tableName) {
        return new RowOrigin(sheet, tableId, tableName);
    }

    public boolean isTable() {
        return tableId != null;
    }

    /** The id in row keys: the table's, else the worksheet's. */
    public String id() {
        return isTable() ? tableId : sheet.id();
    }

    /** The event subject below the workbook: {@code worksheets/{id}} or {@code worksheets/{id}/tables/{id}}. */
    String subject() {
        return "worksheets/" + sheet.id() + (isTable() ? "/tables/" + tableId : "");
    }
}

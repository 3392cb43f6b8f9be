package dev.workbookrelay.rows;

/**
 * A row as read now: its sheet row number, the hash of its values, where its values are in the sheet's
 * {@link RowSpool}, and its key ({@code null}: the row has no usable key and is named by content).
 */
public record ReadRow(int position, String hash, long valuesAt, String key) {
}

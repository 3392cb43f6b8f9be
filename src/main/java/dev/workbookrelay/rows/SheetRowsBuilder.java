package dev.workbookrelay.rows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.workbookrelay.graph.RangeAddress;
import dev.workbookrelay.rows.SheetReader.KeyProblems;
import dev.workbookrelay.rows.SheetReader.SheetRows;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A sheet's rows as both read paths (the workbook API and the downloaded file) hand them over, made into the same
 * {@link SheetRows}: the header names the columns, each non-blank row becomes a {@code {header: value}} object with
 * its hash and key, all spooled to disk as it is read (memory holds one row), and blank keys are counted as problems
 * (a repeated key is found where the rows are aligned: that needs every key). A reader that fails closes it
 * ({@link #abandon()}).
 */
final class SheetRowsBuilder {

    /** What a row key may be: it goes into Kafka keys and the state's primary key. */
    static final int MAX_KEY = 500;

    private final List<String> columns;
    private final int keyColumn;
    private final boolean keyColumnMissing;
    private final RowSpool spool;
    private int blank;

    /**
     * @param headerCells the header row's cells, from the used range's first column
     * @param firstColumn the used range's first column (1-based): a blank header is named by its letter
     */
    SheetRowsBuilder(List<JsonNode> headerCells, int firstColumn, String rowKey, ScratchDirectory scratch) {
        this.spool = RowSpool.create(scratch);
        this.columns = columns(headerCells, firstColumn);
        this.keyColumn = rowKey == null ? -1 : indexOf(columns, rowKey);
        this.keyColumnMissing = rowKey != null && keyColumn < 0;
    }

    /** One sheet row's cells (as users mean them, null for empty), from the used range's first column. */
    void row(int position, List<JsonNode> cells) {
        ObjectNode values = JsonNodeFactory.instance.objectNode();
        boolean empty = true;
        for (int c = 0; c < columns.size(); c++) {
            JsonNode value = c < cells.size() ? cells.get(c) : null;
            values.set(columns.get(c), value);
            empty &= value == null;
        }
        if (empty) {
            return; // a blank line is not a row
        }
        String key = null;
        if (keyColumn >= 0) {
            key = CellValues.keyText(values.get(columns.get(keyColumn)));
            if (key == null || key.length() > MAX_KEY) {
                blank++;
                key = null;
            }
        }
        String json = values.toString();
        spool.append(position, hash(json), key, json);
    }

    /** The reading failed: the spooled rows go. */
    void abandon() {
        spool.close();
    }

    SheetRows build() {
        return new SheetRows(columns, new KeyProblems(keyColumnMissing, blank, 0), spool);
    }

    /** Header names from the header row: a blank one named by its column letter, a repeated one suffixed _2, _3… */
    static List<String> columns(List<JsonNode> headerCells, int firstColumn) {
        List<String> names = new ArrayList<>();
        Set<String> taken = new HashSet<>();
        for (int c = 0; c < headerCells.size(); c++) {
            String name = CellValues.keyText(headerCells.get(c));
            if (name == null) {
                name = RangeAddress.letters(firstColumn + c);
            }
            String unique = name;
            for (int n = 2; !taken.add(unique.toLowerCase(Locale.ROOT)); n++) {
                unique = name + "_" + n;
            }
            names.add(unique);
        }
        return names;
    }

    private static int indexOf(List<String> columns, String name) {
        for (int c = 0; c < columns.size(); c++) {
            if (columns.get(c).equalsIgnoreCase(name)) {
                return c;
            }
        }
        return -1;
    }

    static String hash(String values) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(values.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}

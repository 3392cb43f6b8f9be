package dev.workbookrelay.rows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.workbookrelay.graph.GraphGet;
import dev.workbookrelay.graph.RangeAddress;
import dev.workbookrelay.nango.GraphApiException;
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
 * Reads a worksheet's header and rows through Excel's workbook API: its used range (only its address), then the
 * header row, then the rows below in blocks of {@code blockRows}, one call at a time. A block Graph refuses as too
 * large (payload limit, cell-count limit, or a 504 that outlasted the retries) is read again in halves, and the
 * size grows back after each block that passes.
 */
public final class SheetReader {

    /** The columns (header names, in order) and the non-empty rows below the header, in sheet order. */
    public record SheetRows(List<String> columns, List<RowDiff.Current> rows, KeyProblems problems) {
    }

    /**
     * Rows the key column could not name, named by content instead: the key column is missing, or rows have a blank
     * (or too long) key, or repeat a key an earlier row has.
     */
    public record KeyProblems(boolean keyColumnMissing, int blank, int duplicate) {

        public boolean any() {
            return keyColumnMissing || blank > 0 || duplicate > 0;
        }
    }

    /** What a row key may be: it goes into Kafka keys and the state's primary key. */
    static final int MAX_KEY = 500;
    private static final String GRIDS = "$select=address,values,valueTypes,numberFormat";

    private final int blockRows;

    public SheetReader(int blockRows) {
        this.blockRows = blockRows;
    }

    /** @param worksheet the worksheet's address ({@code …/workbook/worksheets/{id}}) */
    public SheetRows read(GraphGet graph, String worksheet, RowOptions options) {
        RangeAddress used = RangeAddress.parse(graph.get(worksheet + "/usedRange(valuesOnly=true)?$select=address")
                .path("address").asText(null));
        int headerRow = options.headerRow() != null ? options.headerRow() : used.firstRow();
        List<JsonNode> headerCells = new ArrayList<>();
        new Block(graph, worksheet, used.rows(headerRow, headerRow))
                .forEachRow((position, cells) -> headerCells.addAll(cells));
        List<String> columns = columns(headerCells, used.firstColumn());
        int keyColumn = options.rowKey() == null ? -1 : indexOf(columns, options.rowKey());
        boolean keyColumnMissing = options.rowKey() != null && keyColumn < 0;
        int[] blank = {0};
        int[] duplicate = {0};
        Set<String> keys = new HashSet<>();
        List<RowDiff.Current> rows = new ArrayList<>();
        int size = blockRows;
        for (int first = headerRow + 1; first <= used.lastRow(); ) {
            int last = Math.min(used.lastRow(), first + size - 1);
            try {
                new Block(graph, worksheet, used.rows(first, last)).forEachRow((position, cells) -> {
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
                            blank[0]++;
                            key = null;
                        } else if (!keys.add(key)) {
                            duplicate[0]++;
                            key = null;
                        }
                    }
                    String json = values.toString();
                    rows.add(new RowDiff.Current(position, hash(json), json, key));
                });
            } catch (GraphApiException e) {
                if (!tooLarge(e) || size == 1) {
                    throw e;
                }
                size = Math.max(1, size / 2);
                continue;
            }
            first = last + 1;
            size = Math.min(blockRows, size * 2);
        }
        return new SheetRows(columns, rows, new KeyProblems(keyColumnMissing, blank[0], duplicate[0]));
    }

    /** Graph refused the block for its size: read it in smaller pieces. */
    static boolean tooLarge(GraphApiException e) {
        return e.status() == 504 || "ResponsePayloadSizeLimitExceeded".equalsIgnoreCase(e.code())
                || "ResponsePayloadSizeLimitExceeded".equalsIgnoreCase(e.innerCode())
                || "rangeExceedsLimit".equalsIgnoreCase(e.innerCode());
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

    /** One range read: its rows' cells as users mean them. */
    private record Block(GraphGet graph, String worksheet, RangeAddress range) {

        interface RowConsumer {
            void row(int position, List<JsonNode> cells);
        }

        void forEachRow(RowConsumer consumer) {
            JsonNode answer = graph.get(worksheet + "/range(address='" + range + "')?" + GRIDS);
            JsonNode values = answer.path("values");
            JsonNode types = answer.path("valueTypes");
            JsonNode formats = answer.path("numberFormat");
            for (int r = 0; r < values.size(); r++) {
                List<JsonNode> cells = new ArrayList<>(values.get(r).size());
                for (int c = 0; c < values.get(r).size(); c++) {
                    cells.add(CellValues.value(values.get(r).get(c), types.path(r).path(c).asText(null),
                            formats.path(r).path(c).asText(null)));
                }
                consumer.row(range.firstRow() + r, cells);
            }
        }
    }
}

package dev.workbookrelay.rows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.workbookrelay.graph.GraphGet;
import dev.workbookrelay.graph.RangeAddress;
import dev.workbookrelay.nango.GraphApiException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Reads a worksheet's (or a table's) header and rows through Excel's workbook API: the sheet's used range (only its
 * address) or the table's range, then the header row, then the rows below in blocks of {@code blockRows}, one call
 * at a time. A block Graph refuses as too large (payload limit, cell-count limit, or a 504 that outlasted the
 * retries) is read again in halves, and the size grows back after each block that passes.
 */
public final class SheetReader {

    /**
     * The columns (header names, in order) and the non-empty rows below the header, in sheet order, held in
     * {@code spool} (on disk) until {@link #close()}.
     */
    public record SheetRows(List<String> columns, KeyProblems problems, RowSpool spool) implements AutoCloseable {

        /** The rows, in sheet order, read from the spool each time. */
        public Iterable<ReadRow> rows() {
            return spool.rows();
        }

        public int rowCount() {
            return spool.count();
        }

        /** A row's values, as a JSON object's text ({@code {header: value}}). */
        public String values(ReadRow row) {
            return spool.read(row.valuesAt());
        }

        @Override
        public void close() {
            spool.close();
        }
    }

    /**
     * Rows the key column could not name, named by content instead: the key column is missing, or rows have a blank
     * (or too long) key, or repeat a key an earlier row has. Reading finds the first two; repeated keys are found
     * where the rows are aligned, in the state database ({@link #withDuplicates}).
     */
    public record KeyProblems(boolean keyColumnMissing, int blank, int duplicate) {

        public boolean any() {
            return keyColumnMissing || blank > 0 || duplicate > 0;
        }

        public KeyProblems withDuplicates(int count) {
            return new KeyProblems(keyColumnMissing, blank, count);
        }
    }

    private static final String GRIDS = "$select=address,values,valueTypes,numberFormat";

    private final int blockRows;
    private final ScratchDirectory scratch;

    /** @param scratch where a sheet's rows are spooled while it is aligned */
    public SheetReader(int blockRows, ScratchDirectory scratch) {
        this.blockRows = blockRows;
        this.scratch = scratch;
    }

    /** @param worksheet the worksheet's address ({@code …/workbook/worksheets/{id}}) */
    public SheetRows read(GraphGet graph, String worksheet, RowOptions options) {
        RangeAddress used = usedRange(graph, worksheet);
        return read(graph, worksheet, used, options.headerRow() != null ? options.headerRow() : used.firstRow(),
                options.rowKey());
    }

    /** The address of a worksheet's used range (cells with values, formatting ignored). */
    public static RangeAddress usedRange(GraphGet graph, String worksheet) {
        return RangeAddress.parse(graph.get(worksheet + "/usedRange(valuesOnly=true)?$select=address")
                .path("address").asText(null));
    }

    /**
     * The rows of an area of a worksheet (a table's range, without its totals row).
     *
     * @param headerRow the sheet row holding the header; 0: the area has none (columns named by their letters)
     */
    public SheetRows read(GraphGet graph, String worksheet, RangeAddress area, int headerRow, String rowKey) {
        List<JsonNode> headerCells = new ArrayList<>();
        if (headerRow > 0) {
            new Block(graph, worksheet, area.rows(headerRow, headerRow))
                    .forEachRow((position, cells) -> headerCells.addAll(cells));
        } else {
            headerCells.addAll(Collections.nCopies(area.columnCount(), null));
        }
        SheetRowsBuilder rows = new SheetRowsBuilder(headerCells, area.firstColumn(), rowKey, scratch);
        try {
            int size = blockRows;
            for (int first = Math.max(headerRow + 1, area.firstRow()); first <= area.lastRow(); ) {
                int last = Math.min(area.lastRow(), first + size - 1);
                try {
                    new Block(graph, worksheet, area.rows(first, last)).forEachRow(rows::row);
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
            return rows.build();
        } catch (RuntimeException e) {
            rows.abandon();
            throw e;
        }
    }

    /** Graph refused the block for its size: read it in smaller pieces. */
    static boolean tooLarge(GraphApiException e) {
        return e.status() == 504 || "ResponsePayloadSizeLimitExceeded".equalsIgnoreCase(e.code())
                || "ResponsePayloadSizeLimitExceeded".equalsIgnoreCase(e.innerCode())
                || "rangeExceedsLimit".equalsIgnoreCase(e.innerCode());
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

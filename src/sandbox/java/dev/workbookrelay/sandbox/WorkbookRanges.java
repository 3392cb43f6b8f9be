package dev.workbookrelay.sandbox;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import org.apache.poi.ss.usermodel.DataFormatter;

/**
 * Excel's range API over a real .xlsx: a worksheet's {@code usedRange} and any {@code range(address='A1:C3')}, in
 * Graph's shape (every grid property a 2-D array; dates as serial numbers with their number format). A sheet's cells
 * are read once per file version and the last few sheets kept, so reading a large sheet block by block is cheap.
 * Answers whose grids would carry more cells than the configured limit (and never more than Graph's own 5,000,000
 * a read) are refused as the service refuses too large a payload.
 */
final class WorkbookRanges {

    /** What the segment after the worksheet asks for: the used range, or the range at {@code address}. */
    record Ask(boolean usedRange, boolean valuesOnly, String address) {
    }

    /** Graph's ceiling on the cells of one read (office-js resource limits); also keeps the emulator's heap safe. */
    static final long MAX_CELLS = 5_000_000;
    private static final int SHEETS_KEPT = 4;
    private static final String PAYLOAD_TOO_LARGE = "The size of the payload exceeded the limit. Read the "
            + "documentation: https://docs.microsoft.com/office/dev/add-ins/concepts/"
            + "resource-limits-and-performance-optimization#excel-add-ins.";
    private static final String INVALID_ARGUMENT = "The argument is invalid or missing or has an incorrect format.";
    private static final List<String> GRIDS = List.of("formulas", "formulasLocal", "formulasR1C1", "numberFormat",
            "text", "values", "valueTypes");
    private static final Pattern USED_RANGE = Pattern.compile("(?i)usedRange(?:\\(\\)|\\(valuesOnly=(true|false)\\))?");
    private static final Pattern RANGE = Pattern.compile("(?i)range\\(address=(.*)\\)");
    private static final TextNode EMPTY = TextNode.valueOf("");
    private static final TextNode GENERAL = TextNode.valueOf("General");
    private static final TextNode[] TYPE_NAMES = {TextNode.valueOf("Empty"), TextNode.valueOf("String"),
            TextNode.valueOf("Double"), TextNode.valueOf("Boolean"), TextNode.valueOf("Error")}; // by SheetCells.Kind

    private record SheetVersion(Path file, long size, FileTime lastModified, int sheetId) {
    }

    /** How one grid property shows a cell: {@code cell} is -1 for a cell the sheet does not hold. */
    private interface CellJson {
        JsonNode at(int cell, int row, int column);
    }

    private final long cellLimit;
    private final Map<SheetVersion, SheetCells> sheets = new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<SheetVersion, SheetCells> eldest) {
            return size() > SHEETS_KEPT;
        }
    };

    /** @param cellLimit the most cells a range answer's grids may carry; 0 for Graph's own ceiling only */
    WorkbookRanges(int cellLimit) {
        this.cellLimit = cellLimit > 0 ? Math.min(cellLimit, MAX_CELLS) : MAX_CELLS;
    }

    /** The worksheet function a segment names ({@code usedRange}, {@code usedRange(valuesOnly=true)}, …), or null. */
    static Ask parse(String segment) {
        Matcher used = USED_RANGE.matcher(segment);
        if (used.matches()) {
            return new Ask(true, used.group(1) == null || used.group(1).equalsIgnoreCase("true"), null);
        }
        Matcher range = RANGE.matcher(segment);
        return range.matches() ? new Ask(false, false, unquote(range.group(1))) : null;
    }

    /** The cells of a worksheet as the file holds them now; read once per file version. */
    SheetCells cells(Path file, long size, FileTime lastModified, int sheetId) throws IOException {
        SheetVersion version = new SheetVersion(file, size, lastModified, sheetId);
        synchronized (sheets) {
            SheetCells known = sheets.get(version);
            if (known != null) {
                return known;
            }
        }
        SheetCells read = XlsxCells.read(file, sheetId); // outside the lock: other sheets are served meanwhile
        synchronized (sheets) {
            // an older version of the file is of no more use: free it now rather than when it is the eldest
            sheets.keySet().removeIf(v -> v.file().equals(file) && !(v.size() == size
                    && v.lastModified().equals(lastModified)));
            sheets.put(version, read);
        }
        return read;
    }

    /**
     * The answer to {@code ask} on the worksheet {@code sheetName}; {@code worksheetODataId} is the worksheet's
     * canonical {@code @odata.id}, which the range's extends.
     */
    HttpReply answer(GraphRequest request, GraphCall call, String sheetName, String worksheetODataId,
                     SheetCells cells, Ask ask) {
        CellRange range = ask.usedRange() ? cells.usedRange(ask.valuesOnly()) : address(ask.address(), sheetName);
        if (range == null) {
            return call.excelError(400, "InvalidArgument", "invalidArgument", INVALID_ARGUMENT);
        }
        return answerRange(request, call, sheetName, worksheetODataId + "/"
                + (ask.usedRange() ? "usedRange()" : "range(address=%27" + range.a1() + "%27)"), cells, range);
    }

    /**
     * The Range object of {@code range} on the worksheet {@code sheetName}, e.g. a table's; {@code rangeODataId} is
     * its whole {@code @odata.id}.
     */
    HttpReply answerRange(GraphRequest request, GraphCall call, String sheetName, String rangeODataId,
                          SheetCells cells, CellRange range) {
        Selection select = Selection.parse(request.option("$select"));
        if (range.cellCount() > cellLimit && GRIDS.stream().anyMatch(select::includes)) {
            return call.excelError(400, "ResponsePayloadSizeLimitExceeded", "responsePayloadSizeLimitExceeded",
                    PAYLOAD_TOO_LARGE);
        }
        ObjectNode body = DriveItemJson.MAPPER.createObjectNode();
        body.put("@odata.context", GraphRequest.GRAPH_ORIGIN + "/v1.0/$metadata#microsoft.graph.workbookRange");
        body.put("@odata.type", "#microsoft.graph.workbookRange");
        body.put("@odata.id", rangeODataId);
        body.setAll(select.apply(properties(cells, range, sheetName, select)));
        return call.json(200, body);
    }

    /** The range's properties in Graph's order; grids only when selected, as they are the costly part. */
    private static ObjectNode properties(SheetCells cells, CellRange range, String sheetName, Selection select) {
        int[] grid = GRIDS.stream().anyMatch(select::includes) ? cells.grid(range) : null;
        boolean rowHidden = cells.rowsHidden(range);
        boolean columnHidden = cells.columnsHidden(range);
        ObjectNode json = DriveItemJson.MAPPER.createObjectNode();
        String address = range.qualified(sheetName);
        json.put("address", address);
        json.put("addressLocal", address);
        json.put("cellCount", range.cellCount());
        json.put("columnCount", range.columnCount());
        json.put("columnHidden", columnHidden);
        json.put("columnIndex", range.firstColumn());
        CellJson formulas = (cell, row, column) -> cell >= 0 && cells.formula(cell) != null
                ? TextNode.valueOf("=" + cells.formula(cell)) : value(cells, cell);
        grid(json, "formulas", select, range, grid, formulas);
        grid(json, "formulasLocal", select, range, grid, formulas); // en-US: the local form is the same
        grid(json, "formulasR1C1", select, range, grid, (cell, row, column) -> cell >= 0 && cells.formula(cell) != null
                ? TextNode.valueOf("=" + FormulaRefs.toR1C1(cells.formula(cell), row, column)) : value(cells, cell));
        json.put("hidden", rowHidden || columnHidden);
        grid(json, "numberFormat", select, range, grid,
                (cell, row, column) -> cell < 0 ? GENERAL : TextNode.valueOf(cells.format(cell)));
        json.put("rowCount", range.rowCount());
        json.put("rowHidden", rowHidden);
        json.put("rowIndex", range.firstRow());
        if (select.includes("text")) {
            DataFormatter formatter = new DataFormatter(Locale.US); // not thread-safe: one per answer
            grid(json, "text", select, range, grid, (cell, row, column) -> text(cells, cell, formatter));
        }
        grid(json, "values", select, range, grid, (cell, row, column) -> value(cells, cell));
        grid(json, "valueTypes", select, range, grid,
                (cell, row, column) -> cell < 0 ? TYPE_NAMES[0] : TYPE_NAMES[cells.kind(cell).ordinal()]);
        return json;
    }

    private static void grid(ObjectNode json, String name, Selection select, CellRange range, int[] grid,
                             CellJson cellJson) {
        if (!select.includes(name)) {
            return;
        }
        ArrayNode rows = json.putArray(name);
        int width = range.columnCount();
        for (int r = 0; r < range.rowCount(); r++) {
            ArrayNode row = rows.addArray();
            for (int c = 0; c < width; c++) {
                row.add(cellJson.at(grid[r * width + c], range.firstRow() + r, range.firstColumn() + c));
            }
        }
    }

    /** Graph's {@code values}: text, a number (integral ones without a fraction), a boolean, an error's text, "". */
    private static JsonNode value(SheetCells cells, int cell) {
        if (cell < 0) {
            return EMPTY;
        }
        return switch (cells.kind(cell)) {
            case EMPTY -> EMPTY;
            case STRING, ERROR -> TextNode.valueOf(cells.text(cell));
            case NUMBER -> number(cells.number(cell));
            case BOOLEAN -> BooleanNode.valueOf(cells.number(cell) != 0);
        };
    }

    static JsonNode number(double number) {
        return number == Math.rint(number) && Math.abs(number) < 1e15 ? LongNode.valueOf((long) number)
                : DoubleNode.valueOf(number);
    }

    /** The displayed text: numbers (dates included) through their number format, as Excel (en-US) renders them. */
    private static JsonNode text(SheetCells cells, int cell, DataFormatter formatter) {
        if (cell < 0) {
            return EMPTY;
        }
        return switch (cells.kind(cell)) {
            case EMPTY -> EMPTY;
            case STRING, ERROR -> TextNode.valueOf(cells.text(cell));
            case BOOLEAN -> TextNode.valueOf(cells.number(cell) != 0 ? "TRUE" : "FALSE");
            case NUMBER -> TextNode.valueOf(
                    formatter.formatRawCellContents(cells.number(cell), -1, cells.format(cell)));
        };
    }

    /** An address of this sheet: {@code A1:C3}, {@code B2}, or with this sheet's name before a {@code !}; else null. */
    private static CellRange address(String address, String sheetName) {
        int bang = address.lastIndexOf('!');
        if (bang >= 0 && !unquote(address.substring(0, bang)).equalsIgnoreCase(sheetName)) {
            return null;
        }
        return CellRange.parse(address.substring(bang + 1));
    }

    /** {@code 'x'} → {@code x}: an OData string literal or a quoted sheet name, apostrophes doubled inside. */
    static String unquote(String literal) {
        String s = literal.trim();
        return s.length() >= 2 && s.startsWith("'") && s.endsWith("'")
                ? s.substring(1, s.length() - 1).replace("''", "'") : s;
    }
}

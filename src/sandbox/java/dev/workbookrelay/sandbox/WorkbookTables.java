package dev.workbookrelay.sandbox;

import java.io.IOException;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Excel's tables API over the tables of a real .xlsx (see {@link XlsxTables}): the workbook's or a worksheet's table
 * list, one table, and a table's range, in Graph's shapes. A table's id is a brace GUID derived from the workbook and
 * the file's table id, so it stays the same when the table is renamed, as Graph's does.
 */
final class WorkbookTables {

    /**
     * Where the request points: a workbook, or one of its worksheets ({@code worksheet} and the key it was addressed
     * by, else both null). {@code itemODataPath} is the item as contexts show it, {@code drives('b%21…')/items('…')}.
     */
    record Scope(EmulatedDrive drive, DriveEntry workbook, String itemODataPath, List<XlsxSheets.Sheet> sheets,
                 XlsxSheets.Sheet worksheet, String worksheetAsSent) {
    }

    private static final String METADATA = GraphRequest.GRAPH_ORIGIN + "/v1.0/$metadata#";

    private final WorkbookRanges ranges;

    WorkbookTables(WorkbookRanges ranges) {
        this.ranges = ranges;
    }

    /** {@code tables} or the OData form {@code tables('{id or name}')}. */
    static boolean isTablesSegment(String segment) {
        return segment.equals("tables") || (segment.startsWith("tables(") && segment.endsWith(")"));
    }

    /** {@code rest} starts at the tables segment: {@code tables[/{key}[/range]]} or {@code tables('{key}')[/range()]}. */
    HttpReply answer(GraphRequest request, GraphCall call, Scope scope, List<String> rest)
            throws IOException, GraphApi.Reply {
        String key;
        List<String> after;
        if (rest.get(0).equals("tables")) {
            if (rest.size() == 1) {
                return list(request, call, scope);
            }
            key = rest.get(1);
            after = rest.subList(2, rest.size());
        } else {
            key = WorkbookRanges.unquote(rest.get(0).substring("tables(".length(), rest.get(0).length() - 1));
            after = rest.subList(1, rest.size());
        }
        XlsxTables.Table table = find(call, scope, key);
        if (after.isEmpty()) {
            ObjectNode body = DriveItemJson.MAPPER.createObjectNode();
            body.put("@odata.context", METADATA + scope.itemODataPath() + "/workbook/tables/$entity");
            body.put("@odata.id", odataId(scope, table));
            body.setAll(Selection.parse(request.option("$select")).apply(properties(scope, table)));
            return call.json(200, body);
        }
        if (after.size() == 1 && (after.get(0).equals("range") || after.get(0).equals("range()"))) {
            return range(request, call, scope, table);
        }
        throw GraphApi.unknownSegment(call, after.get(0));
    }

    private HttpReply list(GraphRequest request, GraphCall call, Scope scope) throws IOException {
        String address = scope.itemODataPath() + "/workbook/" + (scope.worksheet() == null ? ""
                : "worksheets('" + UrlText.encodeSegment(scope.worksheetAsSent()) + "')/") + "tables";
        ObjectNode body = DriveItemJson.MAPPER.createObjectNode();
        body.put("@odata.context", METADATA + address);
        ArrayNode value = body.putArray("value");
        Selection select = Selection.parse(request.option("$select"));
        for (XlsxTables.Table table : tablesOf(scope)) {
            ObjectNode json = value.addObject();
            json.put("@odata.id", odataId(scope, table));
            json.setAll(select.apply(properties(scope, table)));
        }
        return call.json(200, body);
    }

    /** The table's whole area, header and totals rows included, as the range endpoint answers it. */
    private HttpReply range(GraphRequest request, GraphCall call, Scope scope, XlsxTables.Table table)
            throws IOException, GraphApi.Reply {
        XlsxSheets.Sheet sheet = scope.sheets().stream().filter(s -> s.sheetId() == table.sheetId()).findFirst()
                .orElseThrow(() -> new IllegalStateException("table " + table.name() + " on no worksheet"));
        DriveEntry entry = scope.workbook();
        SheetCells cells;
        try {
            cells = ranges.cells(entry.path(), entry.size(), entry.fileTime(), sheet.sheetId());
        } catch (XlsxSheets.NotAnXlsxException e) {
            throw new GraphApi.Reply(call.json(500, GraphApi.genericFileOpenError(call)));
        }
        return ranges.answerRange(request, call, sheet.name(), odataId(scope, table) + "/range()", cells,
                table.ref());
    }

    /** By id (brace GUID, any case) or name (case-insensitive, as Excel's names are); Excel's 404 otherwise. */
    private static XlsxTables.Table find(GraphCall call, Scope scope, String key) throws IOException, GraphApi.Reply {
        for (XlsxTables.Table table : tablesOf(scope)) {
            if (id(scope, table).equalsIgnoreCase(key) || table.name().equalsIgnoreCase(key)) {
                return table;
            }
        }
        throw new GraphApi.Reply(call.excelError(404, "ItemNotFound", "itemNotFound",
                "The requested resource doesn't exist."));
    }

    private static List<XlsxTables.Table> tablesOf(Scope scope) throws IOException {
        DriveEntry entry = scope.workbook();
        List<XlsxTables.Table> all = scope.drive().index.facts().tables(entry.path(), entry.size(), entry.fileTime());
        return scope.worksheet() == null ? all
                : all.stream().filter(t -> t.sheetId() == scope.worksheet().sheetId()).toList();
    }

    /** Graph's properties of a table, in Graph's order. */
    private static ObjectNode properties(Scope scope, XlsxTables.Table table) {
        ObjectNode json = DriveItemJson.MAPPER.createObjectNode();
        json.put("id", id(scope, table));
        json.put("name", table.name());
        json.put("showHeaders", table.showHeaders());
        json.put("showTotals", table.showTotals());
        json.put("style", table.style());
        json.put("highlightFirstColumn", table.highlightFirstColumn());
        json.put("highlightLastColumn", table.highlightLastColumn());
        json.put("showBandedColumns", table.showBandedColumns());
        json.put("showBandedRows", table.showBandedRows());
        json.put("showFilterButton", table.showFilterButton());
        json.put("legacyId", Integer.toString(table.id()));
        return json;
    }

    /** The canonical {@code @odata.id}: under the worksheet when the request went through one. */
    private static String odataId(Scope scope, XlsxTables.Table table) {
        String parent = "/" + scope.itemODataPath() + "/workbook/" + (scope.worksheet() == null ? ""
                : "worksheets(%27" + UrlText.encodeSegment(GraphApi.worksheetId(scope.worksheet().sheetId())) + "%27)/");
        return parent + "tables(%27" + UrlText.encodeSegment(id(scope, table)) + "%27)";
    }

    /** A brace GUID fixed by the workbook and the file's table id: the same after a rename, as Graph's ids are. */
    static String id(Scope scope, XlsxTables.Table table) {
        return "{" + ItemIds.uuid("table\n" + scope.workbook().id() + "\n" + table.id()).toString()
                .toUpperCase(Locale.ROOT) + "}";
    }
}

package dev.workbookrelay.sandbox;

import static dev.workbookrelay.sandbox.ProxyClient.assertExcelError;
import static dev.workbookrelay.sandbox.ProxyClient.fieldNames;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import dev.workbookrelay.sandbox.SampleWorkbooks.SheetSpec;
import org.apache.poi.xssf.usermodel.XSSFSheet;
import org.apache.poi.xssf.usermodel.XSSFTable;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The emulator's Excel tables API over tables (ListObjects) of real .xlsx files, in Graph's shapes. */
class TableEndpointsTest {

    private static final String GUID = "\\{[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}\\}";
    private static final List<String> TABLE_FIELDS = List.of("@odata.id", "id", "name", "showHeaders", "showTotals",
            "style", "highlightFirstColumn", "highlightLastColumn", "showBandedColumns", "showBandedRows",
            "showFilterButton", "legacyId");
    private static final String SALES_SHEET_ID = "%7B00000000-0001-0000-0000-000000000000%7D";
    private static final String NOT_FOUND = "The requested resource doesn't exist.";

    @TempDir
    Path drive;

    private NangoGraphEmulator emulator;
    private ProxyClient client;
    private Path book;

    @BeforeEach
    void start() throws Exception {
        book = drive.resolve("Book.xlsx");
        SampleWorkbooks.write(book,
                SheetSpec.of("Sales", List.of("Region", "Q1", "Q2"), List.of("North", 10, 11), List.of("South", 20, 21)),
                SheetSpec.of("Costs", List.of(), Arrays.asList(null, "Item", "Amount"), Arrays.asList(null, "Rent", 900)));
        SampleWorkbooks.addTable(book, "Sales", "SalesTable", "A1:C3");
        SampleWorkbooks.addTable(book, "Costs", "CostTable", "B2:C3");
        emulator = NangoGraphEmulator.builder().secretKey(ProxyClient.KEY)
                .connection(ProxyClient.PCK, ProxyClient.CONNECTION, drive).build().start();
        client = new ProxyClient(emulator);
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    @Test
    void theWorkbooksTablesAreListedInGraphsShape() throws Exception {
        String item = client.itemId("Book.xlsx");
        String driveId = emulator.driveId(ProxyClient.PCK, ProxyClient.CONNECTION);
        String itemOData = "drives('" + UrlText.encodeSegment(driveId) + "')/items('" + item + "')";
        JsonNode list = client.ok("/proxy/v1.0/drives/" + driveId + "/items/" + item + "/workbook/tables");

        assertEquals(List.of("@odata.context", "value"), fieldNames(list));
        assertEquals("https://graph.microsoft.com/v1.0/$metadata#" + itemOData + "/workbook/tables",
                list.get("@odata.context").asText());
        assertEquals(2, list.get("value").size());
        JsonNode sales = list.get("value").get(0);
        assertEquals(TABLE_FIELDS, fieldNames(sales));
        String id = sales.get("id").asText();
        assertTrue(id.matches(GUID), id);
        assertEquals("/" + itemOData + "/workbook/tables(%27" + UrlText.encodeSegment(id) + "%27)",
                sales.get("@odata.id").asText());
        assertEquals("{\"name\":\"SalesTable\",\"showHeaders\":true,\"showTotals\":false,\"style\":\"TableStyleMedium2\","
                + "\"highlightFirstColumn\":false,\"highlightLastColumn\":false,\"showBandedColumns\":false,"
                + "\"showBandedRows\":true,\"showFilterButton\":true,\"legacyId\":\"1\"}", without(sales, "@odata.id", "id"));
        JsonNode costs = list.get("value").get(1);
        assertEquals("CostTable", costs.get("name").asText());
        assertEquals("2", costs.get("legacyId").asText());
        assertNotEquals(id, costs.get("id").asText());

        // still a workbook the other endpoints read
        assertEquals(2, client.ok("/proxy/v1.0/me/drive/items/" + item + "/workbook/worksheets").get("value").size());
        assertEquals("Costs!B2:C3", client.ok("/proxy/v1.0/me/drive/items/" + item
                + "/workbook/worksheets/Costs/usedRange(valuesOnly=true)").get("address").asText());
    }

    @Test
    void aWorksheetListsOnlyItsOwnTablesInEveryAddressForm() throws Exception {
        String workbook = "/proxy/v1.0/me/drive/items/" + client.itemId("Book.xlsx") + "/workbook/";
        String sheetId = "{00000000-0001-0000-0000-000000000000}";
        // each form, and the key Graph echoes in the context: the worksheet as the request named it
        for (List<String> form : List.of(List.of("worksheets/Sales", "Sales"),
                List.of("worksheets/" + SALES_SHEET_ID, sheetId), List.of("worksheets('Sales')", "Sales"),
                List.of("worksheets(%27" + SALES_SHEET_ID + "%27)", sheetId), List.of("worksheets/sALES", "sALES"))) {
            JsonNode list = client.ok(workbook + form.get(0) + "/tables");
            assertEquals(1, list.get("value").size(), form.get(0));
            JsonNode table = list.get("value").get(0);
            assertEquals("SalesTable", table.get("name").asText(), form.get(0));
            assertTrue(table.get("@odata.id").asText().endsWith("/workbook/worksheets(%27" + SALES_SHEET_ID
                    + "%27)/tables(%27" + UrlText.encodeSegment(table.get("id").asText()) + "%27)"), form.get(0));
            assertTrue(list.get("@odata.context").asText().endsWith("/workbook/worksheets('"
                    + UrlText.encodeSegment(form.get(1)) + "')/tables"), list.get("@odata.context").asText());
        }
    }

    @Test
    void aRenamedTableKeepsItsIdAndAnswersOnlyToItsNewName() throws Exception {
        String workbook = "/proxy/v1.0/me/drive/items/" + client.itemId("Book.xlsx") + "/workbook/";
        String id = client.ok(workbook + "tables/SalesTable").get("id").asText();

        SampleWorkbooks.renameTable(book, "salestable", "Revenue");

        JsonNode renamed = client.ok(workbook + "tables").get("value").get(0);
        assertEquals("Revenue", renamed.get("name").asText());
        assertEquals(id, renamed.get("id").asText());
        assertEquals("1", renamed.get("legacyId").asText());
        assertEquals(id, client.ok(workbook + "tables/REVENUE").get("id").asText(), "names in any case");
        assertExcelError(client.get(workbook + "tables/SalesTable"), 404, "ItemNotFound", "itemNotFound", NOT_FOUND);
    }

    @Test
    void oneTableIsAnEntityAndSelectKeepsOnlyTheSelectedProperties() throws Exception {
        String workbook = "/proxy/v1.0/me/drive/items/" + client.itemId("Book.xlsx") + "/workbook/";
        JsonNode one = client.ok(workbook + "tables('SalesTable')");
        assertTrue(one.get("@odata.context").asText().endsWith("/workbook/tables/$entity"));
        assertEquals(TABLE_FIELDS, fieldNames(one).subList(1, fieldNames(one).size()));

        JsonNode selected = client.ok(workbook + "tables?$select=name,showTotals");
        assertEquals(List.of("@odata.id", "id", "name", "showTotals"), fieldNames(selected.get("value").get(0)));
    }

    @Test
    void aTablesRangeIsItsAreaWithTheHeaderRowInEveryAddressForm() throws Exception {
        String workbook = "/proxy/v1.0/me/drive/items/" + client.itemId("Book.xlsx") + "/workbook/";
        String id = client.ok(workbook + "tables/SalesTable").get("id").asText();
        String encodedId = UrlText.encodeSegment(id);
        for (String path : List.of("tables/" + encodedId + "/range", "tables/SalesTable/range",
                "tables('SalesTable')/range()", "tables(%27" + encodedId + "%27)/range", "worksheets/Sales/tables/"
                        + "SalesTable/range", "worksheets('Sales')/tables('" + encodedId + "')/range()")) {
            JsonNode range = client.ok(workbook + path);
            assertEquals("Sales!A1:C3", range.get("address").asText(), path);
            assertEquals("[[\"Region\",\"Q1\",\"Q2\"],[\"North\",10,11],[\"South\",20,21]]", range.get("values").toString());
            assertEquals(9, range.get("cellCount").asInt());
            assertEquals("#microsoft.graph.workbookRange", range.get("@odata.type").asText());
            assertTrue(range.get("@odata.id").asText().endsWith("/tables(%27" + encodedId + "%27)/range()"), path);
        }
        JsonNode selected = client.ok(workbook + "tables/CostTable/range?$select=address,values");
        assertEquals(List.of("@odata.context", "@odata.type", "@odata.id", "address", "values"), fieldNames(selected));
        assertEquals("Costs!B2:C3", selected.get("address").asText());
        assertEquals("[[\"Item\",\"Amount\"],[\"Rent\",900]]", selected.get("values").toString());
    }

    @Test
    void aTotalsRowIsPartOfTheRangeAndAHiddenHeaderIsNot() throws Exception {
        changeTable("SalesTable", (sheet, table) -> { // Excel's "Total Row": one more row, below the data
            table.getCTTable().setTotalsRowCount(1);
            table.getCTTable().setRef("A1:C4");
            sheet.createRow(3).createCell(0).setCellValue("Total");
            sheet.getRow(3).createCell(1).setCellValue(30);
        });
        changeTable("CostTable", (sheet, table) -> { // "Header Row" unticked: the header row leaves the table
            table.getCTTable().setHeaderRowCount(0);
            table.getCTTable().unsetAutoFilter();
            table.getCTTable().setRef("B3:C3");
        });
        String workbook = "/proxy/v1.0/me/drive/items/" + client.itemId("Book.xlsx") + "/workbook/";

        JsonNode tables = client.ok(workbook + "tables?$select=showHeaders,showTotals,showFilterButton").get("value");
        assertEquals("{\"showHeaders\":true,\"showTotals\":true,\"showFilterButton\":true}",
                without(tables.get(0), "@odata.id", "id"));
        assertEquals("{\"showHeaders\":false,\"showTotals\":false,\"showFilterButton\":false}",
                without(tables.get(1), "@odata.id", "id"));
        JsonNode totals = client.ok(workbook + "tables/SalesTable/range?$select=address,values");
        assertEquals("Sales!A1:C4", totals.get("address").asText());
        assertEquals("[\"Total\",30,\"\"]", totals.get("values").get(3).toString());
        JsonNode headerless = client.ok(workbook + "tables/CostTable/range?$select=address,values");
        assertEquals("Costs!B3:C3", headerless.get("address").asText());
        assertEquals("[[\"Rent\",900]]", headerless.get("values").toString());
    }

    @Test
    void anUnknownTableIsItemNotFound() throws Exception {
        String workbook = "/proxy/v1.0/me/drive/items/" + client.itemId("Book.xlsx") + "/workbook/";
        for (String path : List.of("tables/Nope", "tables('Nope')/range()", "tables/Nope/range",
                "tables/%7B00000000-0000-0000-0000-000000000000%7D", "worksheets/Costs/tables/SalesTable/range",
                "worksheets/Sales/tables('CostTable')")) {
            assertExcelError(client.get(workbook + path), 404, "ItemNotFound", "itemNotFound", NOT_FOUND);
        }
        assertEquals(400, client.get(workbook + "tables/SalesTable/rowz").statusCode(), "an unknown segment");
    }

    @Test
    void aWorkbookWithoutTablesListsNone() throws Exception {
        SampleWorkbooks.write(drive.resolve("Plain.xlsx"), SheetSpec.of("Sheet1", List.of("x")));
        String workbook = "/proxy/v1.0/me/drive/items/" + client.itemId("Plain.xlsx") + "/workbook/";
        assertEquals("[]", client.ok(workbook + "tables").get("value").toString());
        assertEquals("[]", client.ok(workbook + "worksheets/Sheet1/tables").get("value").toString());
    }

    /** A change to a table that SampleWorkbooks does not offer, made with POI as Excel would save it. */
    private void changeTable(String name, java.util.function.BiConsumer<XSSFSheet, XSSFTable> change) throws Exception {
        try (XSSFWorkbook workbook = new XSSFWorkbook(new ByteArrayInputStream(Files.readAllBytes(book)))) {
            XSSFTable table = workbook.getTable(name);
            change.accept(table.getXSSFSheet(), table);
            try (OutputStream out = Files.newOutputStream(book)) {
                workbook.write(out);
            }
        }
    }

    /** The node as JSON text without the named fields (ids that differ per run). */
    private static String without(JsonNode node, String... names) {
        com.fasterxml.jackson.databind.node.ObjectNode copy = node.deepCopy();
        copy.remove(List.of(names));
        return copy.toString();
    }
}

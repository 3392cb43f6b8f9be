package dev.workbookrelay.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.workbookrelay.sandbox.SampleWorkbooks.CellError;
import dev.workbookrelay.sandbox.SampleWorkbooks.SheetSpec;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.xssf.usermodel.XSSFSheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The emulator's Excel range API: usedRange and range(address=…) of real .xlsx files, in Graph's shapes. */
class RangeEndpointsTest {

    private static final String KEY = ProxyClient.KEY;
    private static final String FIRST_SHEET_ID = "%7B00000000-0001-0000-0000-000000000000%7D";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path drive;

    private NangoGraphEmulator emulator;

    @AfterEach
    void stop() {
        if (emulator != null) {
            emulator.close();
        }
    }

    @Test
    void usedRangeIsTheSmallestRectangleHoldingEveryValue() throws Exception {
        SampleWorkbooks.write(drive.resolve("Book.xlsx"), SheetSpec.of("Data", List.of(),
                Arrays.asList(null, "Name", "Qty"),
                Arrays.asList(null, "Bolts", 10),
                Arrays.asList(null, null, null, null, null, 5)));
        String sheet = worksheet("Book.xlsx", FIRST_SHEET_ID);

        JsonNode used = ok(sheet + "/usedRange(valuesOnly=true)");
        assertEquals("Data!B2:F4", used.get("address").asText());
        assertEquals(1, used.get("rowIndex").asInt(), "0-based");
        assertEquals(1, used.get("columnIndex").asInt());
        assertEquals(3, used.get("rowCount").asInt());
        assertEquals(5, used.get("columnCount").asInt());
        assertEquals(15, used.get("cellCount").asInt());
        assertEquals("[[\"Name\",\"Qty\",\"\",\"\",\"\"],[\"Bolts\",10,\"\",\"\",\"\"],[\"\",\"\",\"\",\"\",5]]",
                used.get("values").toString());
        assertEquals("https://graph.microsoft.com/v1.0/$metadata#microsoft.graph.workbookRange",
                used.get("@odata.context").asText());
        assertEquals("#microsoft.graph.workbookRange", used.get("@odata.type").asText());
        assertTrue(used.get("@odata.id").asText().endsWith("/workbook/worksheets(%27" + FIRST_SHEET_ID + "%27)/usedRange()"),
                used.get("@odata.id").asText());
        for (String form : List.of("/usedRange", "/usedRange()", "/usedRange(valuesOnly=false)")) {
            assertEquals("Data!B2:F4", ok(sheet + form).get("address").asText(), form);
        }
    }

    @Test
    void aFormattedButEmptyCellCountsOnlyWhenValuesOnlyIsFalse() throws Exception {
        Path file = drive.resolve("Formatted.xlsx");
        try (XSSFWorkbook workbook = new XSSFWorkbook(); OutputStream out = Files.newOutputStream(file)) {
            XSSFSheet sheet = workbook.createSheet("Sheet1");
            sheet.createRow(1).createCell(1).setCellValue("x");
            CellStyle style = workbook.createCellStyle();
            style.setDataFormat(workbook.createDataFormat().getFormat("0.00"));
            sheet.createRow(9).createCell(7).setCellStyle(style); // H10: a format, no value
            workbook.write(out);
        }
        String sheet = worksheet("Formatted.xlsx", "Sheet1");
        assertEquals("Sheet1!B2", ok(sheet + "/usedRange(valuesOnly=true)").get("address").asText());
        assertEquals("Sheet1!B2:H10", ok(sheet + "/usedRange(valuesOnly=false)").get("address").asText());
        JsonNode formatted = ok(sheet + "/range(address='H10')");
        assertEquals("[[\"0.00\"]]", formatted.get("numberFormat").toString(), "an empty cell keeps its own format");
        assertEquals("[[\"Empty\"]]", formatted.get("valueTypes").toString());
    }

    @Test
    void aBlankSheetsUsedRangeIsItsTopLeftCell() throws Exception {
        SampleWorkbooks.write(drive.resolve("Blank.xlsx"), SheetSpec.of("Sheet1"));
        JsonNode used = ok(worksheet("Blank.xlsx", "Sheet1") + "/usedRange(valuesOnly=true)");
        assertEquals("Sheet1!A1", used.get("address").asText());
        assertEquals("[[\"\"]]", used.get("values").toString());
        assertEquals("[[\"Empty\"]]", used.get("valueTypes").toString());
        assertEquals("[[\"General\"]]", used.get("numberFormat").toString());
        assertEquals(1, used.get("rowCount").asInt());
        assertEquals(1, used.get("columnCount").asInt());
        assertEquals(1, used.get("cellCount").asInt());
    }

    @Test
    void anEmptyRangeHasExactlyTheShapeOfMicrosoftsSample() throws Exception {
        SampleWorkbooks.write(drive.resolve("Sample.xlsx"), SheetSpec.of("test"));
        ObjectNode answer = (ObjectNode) ok(worksheet("Sample.xlsx", "test") + "/range(address='A1:B2')");
        ObjectNode sample = (ObjectNode) sample("docs-excel__range_get_A1-B2_empty.json");
        assertEquals(fieldNames(sample), fieldNames(answer), "the same properties in the same order");
        assertTrue(answer.remove("@odata.id").asText().endsWith("/range(address=%27A1:B2%27)"));
        sample.remove("@odata.id");
        // the sample's context is the 2016 one; today's service answers with the type (graph-api.md §3.2)
        answer.remove("@odata.context");
        sample.remove("@odata.context");
        assertEquals(sample, answer);
    }

    @Test
    void cellsAreTypedAsGraphTypesThem() throws Exception {
        SampleWorkbooks.write(drive.resolve("Types.xlsx"), SheetSpec.of("Types",
                Arrays.asList("text", 100, 1250.5, true, LocalDate.of(2026, 7, 28), LocalDateTime.of(2026, 7, 28, 18, 0),
                        "=B1*2", CellError.NA, null, "=1/0", "=SUM(B1:B2)")));
        JsonNode range = ok(worksheet("Types.xlsx", "Types") + "/range(address='A1:K2')");
        assertEquals("[[\"text\",100,1250.5,true,46231,46231.75,200,\"#N/A\",\"\",\"#DIV/0!\",100],"
                + "[\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\"]]", range.get("values").toString());
        assertEquals("[\"String\",\"Double\",\"Double\",\"Boolean\",\"Double\",\"Double\",\"Double\",\"Error\",\"Empty\","
                + "\"Error\",\"Double\"]", range.get("valueTypes").get(0).toString());
        assertEquals("[\"General\",\"General\",\"General\",\"General\",\"yyyy-mm-dd\",\"yyyy-mm-dd hh:mm:ss\",\"General\","
                + "\"General\",\"General\",\"General\",\"General\"]", range.get("numberFormat").get(0).toString());
        assertEquals("[\"text\",\"100\",\"1250.5\",\"TRUE\",\"2026-07-28\",\"2026-07-28 18:00:00\",\"200\",\"#N/A\",\"\","
                + "\"#DIV/0!\",\"100\"]", range.get("text").get(0).toString());
        assertEquals("[\"text\",100,1250.5,true,46231,46231.75,\"=B1*2\",\"#N/A\",\"\",\"=1/0\",\"=SUM(B1:B2)\"]",
                range.get("formulas").get(0).toString());
        assertEquals(range.get("formulas"), range.get("formulasLocal"));
        assertEquals("\"=RC[-5]*2\"", range.get("formulasR1C1").get(0).get(6).toString());
        assertEquals("\"=SUM(RC[-9]:R[1]C[-9])\"", range.get("formulasR1C1").get(0).get(10).toString());
        range.get("valueTypes").get(1).forEach(type -> assertEquals("Empty", type.asText(), "the empty second row"));
        assertEquals(false, range.get("hidden").asBoolean());
    }

    @Test
    void selectReturnsOnlyTheSelectedPropertiesAndTheAnnotations() throws Exception {
        SampleWorkbooks.write(drive.resolve("Book.xlsx"), SheetSpec.of("Data", List.of("a", 1)));
        String sheet = worksheet("Book.xlsx", "Data");
        JsonNode selected = ok(sheet + "/range(address='A1:B1')?$select=address,values,valueTypes,numberFormat");
        assertEquals(List.of("@odata.context", "@odata.type", "@odata.id", "address", "numberFormat", "values",
                "valueTypes"), fieldNames(selected));
        assertEquals("[[\"a\",1]]", selected.get("values").toString());
        assertEquals(List.of("@odata.context", "@odata.type", "@odata.id", "address"),
                fieldNames(ok(sheet + "/usedRange(valuesOnly=true)?$select=address")));
    }

    @Test
    void worksheetsAndAddressesAreAcceptedInEveryFormClientsSend() throws Exception {
        SampleWorkbooks.write(drive.resolve("Pipeline.xlsx"), SheetSpec.of("Open deals",
                List.of("Customer", "Value"), List.of("Fabrikam", 120000)));
        String book = "/proxy/v1.0/me/drive/items/" + itemId("Pipeline.xlsx") + "/workbook/";
        String expected = "[[\"Customer\",\"Value\"],[\"Fabrikam\",120000]]";
        for (String path : List.of(
                "worksheets/" + FIRST_SHEET_ID + "/range(address='A1:B2')",
                "worksheets/Open%20deals/range(address=%27A1%3AB2%27)",
                "worksheets/open%20DEALS/range(address='$a$1:$b$2')",
                "worksheets('Open%20deals')/range(address='B2:A1')",
                "worksheets(%27" + FIRST_SHEET_ID + "%27)/range(address=%27A1:B2%27)",
                "worksheets/" + FIRST_SHEET_ID + "/range(address='''Open%20deals''!A1:B2')")) {
            JsonNode range = ok(book + path);
            assertEquals("'Open deals'!A1:B2", range.get("address").asText(), path);
            assertEquals(expected, range.get("values").toString(), path);
            assertTrue(range.get("@odata.id").asText().endsWith("/worksheets(%27" + FIRST_SHEET_ID
                    + "%27)/range(address=%27A1:B2%27)"), path);
        }
        JsonNode cell = ok(book + "worksheets/Open%20deals/range(address='B2')");
        assertEquals("'Open deals'!B2", cell.get("address").asText());
        assertEquals(1, cell.get("cellCount").asInt());
        assertEquals("[[120000]]", cell.get("values").toString());
    }

    @Test
    void rawBracesAndApostrophesInThePathAreTheSameAsEncodedOnes() throws Exception {
        // java.net.URI (and so the JDK's HTTP server) refuses a raw '{': this asks Graph's router directly
        SampleWorkbooks.write(drive.resolve("Bob.xlsx"), SheetSpec.of("Bob's list", List.of("x")));
        EmulatedDrive emulated = new EmulatedDrive("one-drive", "alice", drive.toRealPath());
        String item = emulated.index.rescan().items().stream().filter(e -> e.name().equals("Bob.xlsx")).findFirst()
                .orElseThrow().id();
        GraphApi graph = new GraphApi(200, true, false, false, 0);
        for (String worksheet : List.of("worksheets/{00000000-0001-0000-0000-000000000000}",
                "worksheets('{00000000-0001-0000-0000-000000000000}')", "worksheets('Bob''s list')",
                "worksheets(%27Bob%27%27s%20list%27)")) {
            GraphRequest request = GraphRequest.parse("GET", "/v1.0/me/drive/items/" + item + "/workbook/" + worksheet
                    + "/usedRange(valuesOnly=true)?$select=address", Map.of());
            HttpReply reply = graph.handle(request, emulated, new GraphCall(Map.of()));
            assertEquals(200, reply.status(), worksheet);
            assertEquals("'Bob''s list'!A1", JSON.readTree(reply.body()).get("address").asText(), worksheet);
        }
    }

    @Test
    void sheetNamesAreQuotedAsExcelQuotesThem() {
        assertEquals("Sheet1!A1", CellRange.TOP_LEFT.qualified("Sheet1"));
        assertEquals("Q1_2026.v2!A1", CellRange.TOP_LEFT.qualified("Q1_2026.v2"));
        for (String quoted : List.of("Open deals", "2026", "A1", "R1C1", "Umsatz-Übersicht", "Bob's")) {
            assertEquals("'" + quoted.replace("'", "''") + "'!A1", CellRange.TOP_LEFT.qualified(quoted), quoted);
        }
    }

    @Test
    void anInvalidAddressIsInvalidArgument() throws Exception {
        SampleWorkbooks.write(drive.resolve("Book.xlsx"), SheetSpec.of("Data", List.of(1)), SheetSpec.of("Other"));
        String sheet = worksheet("Book.xlsx", "Data");
        for (String address : List.of("A0", "hello", "A1:B", "A1:XFE1", "A1:A1048577", "Other!A1", "A1:B2:C3", "")) {
            HttpResponse<String> response = get(sheet + "/range(address='" + address.replace(":", "%3A") + "')");
            assertExcelError(response, 400, "InvalidArgument", "invalidArgument",
                    "The argument is invalid or missing or has an incorrect format.");
        }
    }

    @Test
    void anUnknownWorksheetIsItemNotFound() throws Exception {
        SampleWorkbooks.write(drive.resolve("Book.xlsx"), SheetSpec.of("Data", List.of(1)));
        String book = "/proxy/v1.0/me/drive/items/" + itemId("Book.xlsx") + "/workbook/";
        for (String path : List.of("worksheets/Nope/usedRange", "worksheets('Nope')/range(address='A1')",
                "worksheets/%7B00000000-0001-0000-0900-000000000000%7D/usedRange(valuesOnly=true)")) {
            assertExcelError(get(book + path), 404, "ItemNotFound", "itemNotFound", "The requested resource doesn't exist.");
        }
        assertEquals(400, get(book + "worksheets/Data/charts").statusCode(), "an unknown segment");
    }

    @Test
    void aRangeOverTheCellLimitIsRefusedAsTooLargeAPayloadWhileASmallerBlockPasses() throws Exception {
        emulator = NangoGraphEmulator.builder().secretKey(KEY).connection("one-drive", "alice", drive)
                .rangeCellLimit(20).build().start();
        List<List<?>> rows = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            rows.add(List.of(i, i * i, "row " + i));
        }
        SampleWorkbooks.write(drive.resolve("Big.xlsx"), SheetSpec.of("Big", rows.toArray(List<?>[]::new)));
        String sheet = worksheet("Big.xlsx", "Big");

        HttpResponse<String> refused = get(sheet + "/range(address='A1:C7')");
        assertEquals(400, refused.statusCode());
        JsonNode sample = sample("issue__graph-docs-15709__excel_table-range_ResponsePayloadSizeLimitExceeded.json");
        JsonNode error = json(refused);
        assertEquals(fieldNames(sample.get("error")), fieldNames(error.get("error")));
        assertEquals(fieldNames(sample.get("error").get("innerError")), fieldNames(error.get("error").get("innerError")));
        assertExcelError(refused, 400, "ResponsePayloadSizeLimitExceeded", "responsePayloadSizeLimitExceeded",
                sample.get("error").get("message").asText());

        assertEquals(400, get(sheet + "/usedRange(valuesOnly=true)?$select=address,values").statusCode());
        assertEquals(400, get(sheet + "/range(address='A1:C10')?$select=formulasR1C1").statusCode());
        assertEquals(200, get(sheet + "/range(address='A1:C6')").statusCode(), "18 cells");
        JsonNode address = ok(sheet + "/usedRange(valuesOnly=true)?$select=address,cellCount");
        assertEquals("Big!A1:C10", address.get("address").asText(), "no grid: never too large");
        assertEquals(30, address.get("cellCount").asInt());
    }

    @Test
    void everyReadSeesTheFileAsItIsNow() throws Exception {
        Path file = drive.resolve("Orders.xlsx");
        SampleWorkbooks.write(file, SheetSpec.of("Orders", List.of("Customer", "Amount"),
                List.of("Fabrikam", 120), List.of("Northwind", 86)));
        String sheet = worksheet("Orders.xlsx", "Orders");
        assertEquals("[[\"Fabrikam\",120],[\"Northwind\",86]]", ok(sheet + "/range(address='A2:B3')").get("values").toString());

        SampleWorkbooks.insertRow(file, "Orders", 1, List.of("Tailspin", 55));
        assertEquals("[[\"Tailspin\",55],[\"Fabrikam\",120],[\"Northwind\",86]]",
                ok(sheet + "/range(address='A2:B4')").get("values").toString(), "rows below moved down");

        SampleWorkbooks.deleteRow(file, "Orders", 2);
        assertEquals("[[\"Tailspin\",55],[\"Northwind\",86],[\"\",\"\"]]",
                ok(sheet + "/range(address='A2:B4')").get("values").toString(), "rows below moved up");

        SampleWorkbooks.setRows(file, "Orders", List.of(List.of("Customer"), List.of("Contoso")));
        assertEquals("Orders!A1:A2", ok(sheet + "/usedRange(valuesOnly=true)").get("address").asText());

        SampleWorkbooks.editCell(file, "Orders", "C5", 7);
        assertEquals("Orders!A1:C5", ok(sheet + "/usedRange(valuesOnly=true)").get("address").asText());
    }

    @Test
    void aHundredThousandRowSheetIsReadInTwentyBlocksOfFiveThousandRows() throws Exception {
        Path file = drive.resolve("Ledger.xlsx");
        long started = System.nanoTime();
        SampleWorkbooks.writeLarge(file, "Ledger", List.of("Id", "Item", "Qty", "Price", "Due", "Paid", "Code",
                "Note", "Ratio", "Region"), 100_000, i -> Arrays.asList(i + 1, "Item " + (i + 1), (i * 7) % 1000,
                (i % 100) + 0.25, LocalDate.of(2026, 1, 1).plusDays(i % 365), i % 2 == 0, "C" + i,
                i % 10 == 0 ? null : "n" + i, (i + 1) / 8.0, "Region " + (i % 5)));
        long written = System.nanoTime();
        String sheet = worksheet("Ledger.xlsx", "Ledger");

        assertEquals("Ledger!A1:J100001", ok(sheet + "/usedRange(valuesOnly=true)?$select=address").get("address").asText());
        long firstRead = System.nanoTime();
        List<JsonNode> blocks = new ArrayList<>();
        for (int first = 2; first <= 100_001; first += 5_000) {
            blocks.add(ok(sheet + "/range(address='A" + first + ":J" + (first + 4_999)
                    + "')?$select=address,values,valueTypes,numberFormat"));
        }
        long done = System.nanoTime();

        assertEquals(20, blocks.size());
        JsonNode firstBlock = blocks.get(0);
        assertEquals("Ledger!A2:J5001", firstBlock.get("address").asText());
        assertEquals(5_000, firstBlock.get("values").size());
        assertEquals("[1,\"Item 1\",0,0.25,46023,true,\"C0\",\"\",0.125,\"Region 0\"]",
                firstBlock.get("values").get(0).toString());
        assertEquals("[\"Double\",\"String\",\"Double\",\"Double\",\"Double\",\"Boolean\",\"String\",\"Empty\",\"Double\","
                + "\"String\"]", firstBlock.get("valueTypes").get(0).toString());
        assertEquals("yyyy-mm-dd", firstBlock.get("numberFormat").get(0).get(4).asText());
        JsonNode lastBlock = blocks.get(19);
        assertEquals("Ledger!A95002:J100001", lastBlock.get("address").asText());
        assertEquals("[100000,\"Item 100000\",993,99.25,46377,false,\"C99999\",\"n99999\",12500,\"Region 4\"]",
                lastBlock.get("values").get(4_999).toString());
        System.out.printf("100,000 x 10: written in %d ms; used range (reads the sheet) %d ms; 20 blocks of 5,000 rows "
                + "in %d ms%n", (written - started) / 1_000_000, (firstRead - written) / 1_000_000,
                (done - firstRead) / 1_000_000);
    }

    @Test
    void aNonPersistentSessionIsCreatedUsedThroughNangosPrefixAndClosed() throws Exception {
        SampleWorkbooks.write(drive.resolve("Book.xlsx"), SheetSpec.of("Data", List.of("a"), List.of(1)));
        String book = "/proxy/v1.0/me/drive/items/" + itemId("Book.xlsx") + "/workbook";

        HttpResponse<String> created = send("POST", book + "/createSession", "{\"persistChanges\":false}", Map.of());
        assertEquals(201, created.statusCode(), created.body());
        JsonNode session = json(created);
        String id = session.get("id").asText();
        assertTrue(id.contains("=") && id.contains("&"), "shaped like Graph's: " + id);
        assertEquals(false, session.get("persistChanges").asBoolean());
        assertEquals("https://graph.microsoft.com/v1.0/$metadata#microsoft.graph.workbookSessionInfo",
                session.get("@odata.context").asText());

        String used = book + "/worksheets/" + FIRST_SHEET_ID + "/usedRange?$select=address";
        assertEquals(200, send("GET", used, "", Map.of("Nango-Proxy-workbook-session-id", id)).statusCode());
        assertEquals(List.of(List.of(emulator.workbookSessions().get(0).get(0), false, false, 1)),
                emulator.workbookSessions(), "the call counted in the session");
        assertEquals(405, send("GET", book + "/createSession", "", Map.of()).statusCode());

        assertEquals(204, send("POST", book + "/closeSession", "{}", Map.of("Nango-Proxy-workbook-session-id", id))
                .statusCode());
        assertExcelError(send("GET", used, "", Map.of("Nango-Proxy-workbook-session-id", id)), 404, "ItemNotFound",
                "invalidSessionNotFound", "The target session is invalid.");
        assertEquals(200, send("GET", used, "", Map.of("workbook-session-id", id)).statusCode(),
                "a plain header never reaches Graph: Nango forwards only its prefixed ones");
    }

    // ---- helpers

    private HttpResponse<String> send(String method, String path, String body, Map<String, String> headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(emulator.baseUrl() + path))
                .header("Authorization", "Bearer " + KEY).header("Provider-Config-Key", "one-drive")
                .header("Connection-Id", "alice").header("Content-Type", "application/json")
                .method(method, body.isEmpty() ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** The proxy path of a worksheet of a workbook at the top of the drive, by id or name (URL-encoded). */
    private String worksheet(String fileName, String encodedWorksheet) throws Exception {
        return "/proxy/v1.0/me/drive/items/" + itemId(fileName) + "/workbook/worksheets/" + encodedWorksheet;
    }

    private String itemId(String fileName) throws Exception {
        if (emulator == null) {
            emulator = NangoGraphEmulator.builder().secretKey(KEY).connection("one-drive", "alice", drive).build().start();
        }
        return client().itemId(fileName);
    }

    private JsonNode ok(String path) throws Exception {
        return client().ok(path);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client().get(path);
    }

    private ProxyClient client() {
        return new ProxyClient(emulator);
    }

    private static void assertExcelError(HttpResponse<String> response, int status, String code, String innerCode,
                                         String message) throws IOException {
        ProxyClient.assertExcelError(response, status, code, innerCode, message);
    }

    private static JsonNode sample(String name) throws IOException {
        try (InputStream in = RangeEndpointsTest.class.getResourceAsStream("/graph-samples/" + name)) {
            return JSON.readTree(in);
        }
    }

    private static List<String> fieldNames(JsonNode node) {
        return ProxyClient.fieldNames(node);
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        return ProxyClient.json(response);
    }
}

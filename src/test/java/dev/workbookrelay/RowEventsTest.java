package dev.workbookrelay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workbookrelay.sandbox.RecordedRequest;
import dev.workbookrelay.sandbox.SampleWorkbooks;
import dev.workbookrelay.sandbox.SampleWorkbooks.SheetSpec;
import dev.workbookrelay.sandbox.TopicReader;
import dev.workbookrelay.sandbox.TopicReader.ConsumedEvent;
import dev.workbookrelay.support.EventSchemas;
import dev.workbookrelay.support.RelayFixture;
import dev.workbookrelay.support.SyncStatuses;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.poi.xssf.usermodel.XSSFTable;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Row events end to end: real .xlsx files served by the emulator through Excel's range API, a real broker, the
 * relay's rows option per request. Each test has its own connection (drive), so its events are its own.
 */
class RowEventsTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String ROWS = "workbook-relay.rows";
    static final String WORKSHEETS = "workbook-relay.worksheets";
    /** Cells the emulator answers in one range before refusing it as too large a payload. */
    static final int CELL_LIMIT = 400;

    @TempDir
    static Path dir;
    static RelayFixture fixture;

    @BeforeAll
    static void start() throws Exception {
        Map<String, Path> connections = new LinkedHashMap<>();
        for (String connection : List.of("ann", "ben", "cat", "dan", "eva", "fin", "gus", "hal", "ivy", "jon", "kim")) {
            connections.put(connection, Files.createDirectories(dir.resolve(connection)));
        }
        // every session is created Graph's long-running way: 202, its operation polled once while running
        fixture = new RelayFixture(connections, Map.of("workbook-relay.rows.block-rows", "200",
                "workbook-relay.rows.session-poll-initial-ms", "50"),
                emulator -> emulator.rangeCellLimit(CELL_LIMIT).createSessionAsync(1));
    }

    @AfterAll
    static void stop() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void rowsWithoutAKeyAreSnapshottedThenEachEditInsertAndDeleteIsOneEvent() throws Exception {
        Path book = dir.resolve("ann/Orders.xlsx");
        SampleWorkbooks.write(book, SheetSpec.of("Orders", List.of("Customer", "Amount", "Due"),
                List.of("Fabrikam", 120, LocalDate.of(2026, 3, 31)),
                List.of("Northwind", 86, LocalDate.of(2026, 2, 27)),
                List.of("Contoso", 40, LocalDate.of(2026, 1, 15))));
        Batch first = sync("ann", "\"rows\":\"all\"");
        assertEquals(List.of("row.snapshot #1 2", "row.snapshot #2 3", "row.snapshot #3 4"), first.summary());
        JsonNode fabrikam = first.data(0);
        assertEquals("{\"Customer\":\"Fabrikam\",\"Amount\":120,\"Due\":\"2026-03-31\"}",
                fabrikam.get("after").toString(), "values as users mean them");
        assertEquals("Orders", fabrikam.get("worksheet").asText());
        assertTrue(first.events.get(0).key().startsWith("ann/"), first.events.get(0).key());
        assertTrue(first.events.get(0).key().endsWith("/#1"), first.events.get(0).key());
        first.assertValid();

        SampleWorkbooks.editCell(book, "Orders", "B3", 90);
        Batch edit = sync("ann", "\"rows\":\"all\"");
        assertEquals(List.of("row.updated #2 3"), edit.summary());
        assertEquals(86, edit.data(0).get("before").get("Amount").asInt());
        assertEquals(90, edit.data(0).get("after").get("Amount").asInt());
        assertEquals("[\"Amount\"]", edit.data(0).get("changedColumns").toString());

        SampleWorkbooks.insertRow(book, "Orders", 2, List.of("Tailspin", 55, LocalDate.of(2026, 4, 1)));
        Batch insert = sync("ann", "\"rows\":\"all\"");
        assertEquals(List.of("row.created #4 3"), insert.summary(),
                "one row inserted: one event, not one per row below");

        SampleWorkbooks.deleteRow(book, "Orders", 1);
        Batch delete = sync("ann", "\"rows\":\"all\"");
        assertEquals(List.of("row.deleted #1 2", "tombstone #1"), delete.summary());
        assertEquals("Fabrikam", delete.data(0).get("before").get("Customer").asText());
        delete.assertValid();

        Batch nothing = sync("ann", "\"rows\":\"all\"");
        assertEquals(List.of(), nothing.summary(), "same content: no row call, no event");
    }

    @Test
    void keyedRowsFollowTheirKeyAndBlankOrRepeatedKeysAreListedNotDropped() throws Exception {
        Path book = dir.resolve("ben/Customers.xlsx");
        SampleWorkbooks.write(book, SheetSpec.of("Customers", List.of("Id", "Name", "Active"),
                List.of("C-1", "Adele", true), List.of("C-2", "Megan", false), List.of("C-3", "Alex", true)));
        String rows = "\"rows\":\"Customers\",\"rowKey\":\"Id\"";
        assertEquals(List.of("row.snapshot C-1 2", "row.snapshot C-2 3", "row.snapshot C-3 4"),
                sync("ben", rows).summary());

        SampleWorkbooks.setRows(book, "Customers", List.of(List.of("Id", "Name", "Active"),
                List.of("C-3", "Alex", true), List.of("C-1", "Adele", true), List.of("C-2", "Megan", true)));
        Batch reordered = sync("ben", rows);
        assertEquals(List.of("row.updated C-2 4"), reordered.summary(), "moving is no change; C-2's edit is");
        assertEquals("[\"Active\"]", reordered.data(0).get("changedColumns").toString());

        SampleWorkbooks.setRows(book, "Customers", List.of(List.of("Id", "Name", "Active"),
                List.of("C-3", "Alex", true), List.of("C-1", "Adele", true), List.of("C-2", "Megan", true),
                List.of("C-1", "Adele (copy)", true), Arrays.asList(null, "Nobody", false)));
        Batch problems = sync("ben", rows);
        assertEquals(List.of("row.created #1 5", "row.created #2 6"), problems.summary(),
                "the repeated and the blank key named by content");
        JsonNode listed = problems.status.get("rowKeyProblems").get(0);
        assertEquals(1, listed.get("blankKeys").asInt(), problems.status.toString());
        assertEquals(1, listed.get("duplicateKeys").asInt());
        assertEquals("Customers", listed.get("worksheet").asText());
        assertTrue(EventSchemas.validate("sync-status", problems.status).isEmpty(),
                EventSchemas.validate("sync-status", problems.status).toString());
    }

    @Test
    void rowsWithoutAKeyReorderedAreNoChangeAndARenamedHeaderComesFirst() throws Exception {
        Path book = dir.resolve("cat/Stock.xlsx");
        SampleWorkbooks.write(book, SheetSpec.of("Stock", List.of("Item", "Qty"),
                List.of("Bolts", 10), List.of("Nuts", 20), List.of("Screws", 30)));
        sync("cat", "\"rows\":\"all\"");

        SampleWorkbooks.setRows(book, "Stock", List.of(List.of("Item", "Qty"),
                List.of("Screws", 30), List.of("Bolts", 10), List.of("Nuts", 20)));
        assertEquals(List.of(), sync("cat", "\"rows\":\"all\"").summary(), "rows that only moved");

        SampleWorkbooks.editCell(book, "Stock", "B1", "Quantity");
        Batch renamed = sync("cat", "\"rows\":\"all\"");
        assertEquals(List.of("worksheet.columns-changed", "row.updated #3 2", "row.updated #1 3",
                "row.updated #2 4"), renamed.summary());
        JsonNode columns = renamed.data(0);
        assertEquals("[{\"from\":\"Qty\",\"to\":\"Quantity\"}]", columns.get("renamed").toString());
        assertEquals("[]", columns.get("added").toString());
        assertTrue(EventSchemas.validate("worksheet-columns-event", columns).isEmpty(),
                EventSchemas.validate("worksheet-columns-event", columns).toString());
        assertEquals("[\"Qty\",\"Quantity\"]", renamed.data(1).get("changedColumns").toString());
    }

    @Test
    void datesBooleansErrorsAndEmptyCellsAreTyped() throws Exception {
        Path book = dir.resolve("dan/Types.xlsx");
        SampleWorkbooks.write(book, SheetSpec.of("Types", List.of("Text", "Number", "Date", "When", "Flag", "Err",
                "Blank"), Arrays.asList("a", 1.5, LocalDate.of(2026, 7, 28), LocalDateTime.of(2026, 7, 28, 18, 0),
                true, new SampleWorkbooks.CellError("#N/A"), null)));
        Batch batch = sync("dan", "\"rows\":\"all\"");
        assertEquals("{\"Text\":\"a\",\"Number\":1.5,\"Date\":\"2026-07-28\",\"When\":\"2026-07-28T18:00:00\","
                + "\"Flag\":true,\"Err\":{\"error\":\"#N/A\"},\"Blank\":null}", batch.data(0).get("after").toString());
        batch.assertValid();
    }

    @Test
    void aBlockTooLargeForGraphIsReadInHalvesAndNoRowIsMissing() throws Exception {
        Path book = dir.resolve("eva/Big.xlsx");
        List<List<?>> rows = new ArrayList<>();
        rows.add(List.of("N", "Square", "Label"));
        for (int i = 1; i <= 300; i++) {
            rows.add(List.of(i, i * i, "row " + i));
        }
        SampleWorkbooks.write(book, SheetSpec.of("Big", rows.toArray(List<?>[]::new)));
        Batch batch = sync("eva", "\"rows\":\"all\"");
        assertEquals(300, batch.events.size());
        for (int i = 0; i < 300; i++) {
            assertEquals(i + 1, batch.data(i).get("after").get("N").asInt());
        }
        List<RecordedRequest> refused = fixture.nango.requests().stream()
                .filter(r -> r.pathAndQuery().contains("range(address=") && r.status() == 400).toList();
        assertTrue(!refused.isEmpty(), "200 rows × 3 cells is more than the emulator's " + CELL_LIMIT + " a range");
    }

    @Test
    void aRemovedSheetAndADeletedWorkbookDeleteTheirRows() throws Exception {
        Path book = dir.resolve("fin/Plan.xlsx");
        SampleWorkbooks.write(book, SheetSpec.of("Keep", List.of("K"), List.of("k1")),
                SheetSpec.of("Drop", List.of("D"), List.of("d1"), List.of("d2")));
        assertEquals(3, sync("fin", "\"rows\":\"all\"").events.size());

        SampleWorkbooks.removeSheet(book, "Drop");
        Batch removed = sync("fin", "\"rows\":\"all\"");
        assertEquals(List.of("row.deleted #1 2", "tombstone #1", "row.deleted #2 3", "tombstone #2"),
                removed.summary());

        Files.delete(book);
        Batch deleted = sync("fin", "\"rows\":\"all\"");
        assertEquals(List.of("row.deleted #1 2", "tombstone #1"), deleted.summary());
    }

    @Test
    void rowsAreReadInANonPersistentSessionCreatedAgainWhenItExpires() throws Exception {
        Path book = dir.resolve("gus/Log.xlsx");
        List<List<?>> rows = new ArrayList<>();
        rows.add(List.of("Seq", "Event"));
        for (int i = 1; i <= 700; i++) {
            rows.add(List.of(i, "event " + i));
        }
        SampleWorkbooks.write(book, SheetSpec.of("Log", rows.toArray(List<?>[]::new)));
        var nango = fixture.nango;
        int before = nango.workbookSessions().size();
        nango.expireWorkbookSessionsAfter(4); // used range, header, two blocks: the third block finds it expired
        Batch batch;
        try {
            batch = sync("gus", "\"rows\":\"all\"");
        } finally {
            nango.expireWorkbookSessionsAfter(0);
        }
        assertEquals(700, batch.events.size(), "each row once");
        for (int i = 0; i < 700; i++) {
            assertEquals(i + 1, batch.data(i).get("after").get("Seq").asInt());
        }
        List<List<Object>> sessions = nango.workbookSessions().subList(before, nango.workbookSessions().size());
        assertEquals(2, sessions.size(), "created again after it expired: " + sessions);
        assertTrue(sessions.stream().allMatch(s -> Boolean.FALSE.equals(s.get(1))), "non-persistent: " + sessions);
        assertEquals(1, sessions.stream().filter(s -> Boolean.TRUE.equals(s.get(2))).count(),
                "the live one closed at the end: " + sessions);
        assertTrue(nango.requests().stream().filter(r -> r.pathAndQuery().contains("range(address="))
                .allMatch(r -> r.header("nango-proxy-workbook-session-id") != null),
                "every range read carries the session, through Nango's forwarding prefix");
    }

    @Test
    void aSessionGraphCreatesInTheBackgroundIsPolledUntilReadyThenUsed() throws Exception {
        SampleWorkbooks.write(dir.resolve("gus/Small.xlsx"), SheetSpec.of("Data", List.of("a"), List.of(1)));
        fixture.nango.clearRequests();
        assertEquals(List.of("row.snapshot #1 2"), sync("gus", "\"rows\":\"all\"").summary());
        List<RecordedRequest> calls = fixture.nango.requests();
        RecordedRequest create = calls.stream().filter(r -> r.pathAndQuery().endsWith("/createSession")).findFirst()
                .orElseThrow();
        assertEquals("respond-async", create.header("nango-proxy-prefer"), "asked for the long-running form");
        List<String> polls = calls.stream().map(RecordedRequest::pathAndQuery)
                .filter(p -> p.contains("/workbook/operations/") || p.contains("sessionInfoResource")).toList();
        assertEquals(3, polls.size(), "running, succeeded, then the session itself: " + polls);
        assertTrue(calls.stream().filter(r -> r.pathAndQuery().contains("range(address="))
                .allMatch(r -> r.header("nango-proxy-workbook-session-id") != null), "reads in that session");
    }

    @Test
    void excelTablesPublishTheirRowsUnderTheTableWithTheirOwnHeader() throws Exception {
        Path book = dir.resolve("hal/Stock.xlsx");
        SampleWorkbooks.write(book, SheetSpec.of("Stock", List.of("Stock report"), List.of(),
                List.of("SKU", "Item", "Qty"), List.of("A-1", "Bolts", 10), List.of("A-2", "Nuts", 20),
                List.of(), List.of("not in the table", 99)));
        SampleWorkbooks.addTable(book, "Stock", "Inventory", "A3:C5");
        String tables = "\"tables\":\"inventory\",\"rowKey\":\"SKU\"";
        Batch first = sync("hal", tables);
        assertEquals(List.of("row.snapshot A-1 4", "row.snapshot A-2 5"), first.summary(),
                "the table's rows only, keyed by its own header");
        JsonNode bolts = first.data(0);
        assertEquals("{\"SKU\":\"A-1\",\"Item\":\"Bolts\",\"Qty\":10}", bolts.get("after").toString());
        assertEquals("Inventory", bolts.get("table").asText());
        assertEquals("Stock", bolts.get("worksheet").asText());
        String tableId = bolts.get("tableId").asText();
        assertTrue(first.events.get(0).key().endsWith("/" + tableId + "/A-1"), first.events.get(0).key());
        first.assertValid();

        SampleWorkbooks.editCell(book, "Stock", "C5", 25);
        SampleWorkbooks.editCell(book, "Stock", "B7", 100); // outside the table: no event
        Batch edit = sync("hal", tables);
        assertEquals(List.of("row.updated A-2 5"), edit.summary());
        assertEquals("[\"Qty\"]", edit.data(0).get("changedColumns").toString());

        SampleWorkbooks.renameTable(book, "Inventory", "Stock list");
        Batch renamed = sync("hal", tables);
        assertEquals(List.of("row.deleted A-1 4", "tombstone A-1", "row.deleted A-2 5", "tombstone A-2"),
                renamed.summary(), "a table no longer selected by name has its rows deleted");
        assertEquals("Stock list", renamed.data(0).get("table").asText());
    }

    @Test
    void aTablesTotalsRowIsNoRowAndATableWithoutHeaderNamesItsColumnsByLetter() throws Exception {
        Path book = dir.resolve("kim/Books.xlsx");
        SampleWorkbooks.write(book, SheetSpec.of("Sales", List.of("Item", "Qty"), List.of("Bolts", 10),
                List.of("Nuts", 20)), SheetSpec.of("Costs", List.of("Item", "Amount"), List.of("Rent", 900)));
        SampleWorkbooks.addTable(book, "Sales", "SalesTable", "A1:B3");
        SampleWorkbooks.addTable(book, "Costs", "CostTable", "A1:B2");
        try (InputStream in = Files.newInputStream(book); XSSFWorkbook workbook = new XSSFWorkbook(in)) {
            // Excel's "Total Row": one more row below the data
            XSSFTable sales = workbook.getSheet("Sales").getTables().get(0);
            sales.getCTTable().setTotalsRowCount(1);
            sales.getCTTable().setRef("A1:B4");
            workbook.getSheet("Sales").createRow(3).createCell(0).setCellValue("Total");
            workbook.getSheet("Sales").getRow(3).createCell(1).setCellValue(30);
            // "Header Row" unticked: the header leaves the table
            XSSFTable costs = workbook.getSheet("Costs").getTables().get(0);
            costs.getCTTable().setHeaderRowCount(0);
            costs.getCTTable().unsetAutoFilter();
            costs.getCTTable().setRef("A2:B2");
            try (OutputStream out = Files.newOutputStream(book.resolveSibling("Books.tmp"))) {
                workbook.write(out);
            }
        }
        Files.move(book.resolveSibling("Books.tmp"), book, StandardCopyOption.REPLACE_EXISTING);

        Batch batch = sync("kim", "\"tables\":\"all\"");
        assertEquals(List.of("row.snapshot #1 2", "row.snapshot #2 3", "row.snapshot #1 2"), batch.summary(),
                "no totals row; the headerless table's one row");
        assertEquals("{\"Item\":\"Nuts\",\"Qty\":20}", batch.data(1).get("after").toString());
        assertEquals("{\"A\":\"Rent\",\"B\":900}", batch.data(2).get("after").toString());
        assertEquals("CostTable", batch.data(2).get("table").asText());
    }

    @Test
    void aWorkbookTheWorkbookApiRefusesIsReadFromItsFileAndBothPathsAgree() throws Exception {
        Path book = dir.resolve("ivy/Refused.xlsx");
        SampleWorkbooks.write(book, SheetSpec.of("Ledger", List.of("Entry", "Booked", "Amount", "Paid"),
                List.of("rent", LocalDate.of(2026, 1, 31), 1200.5, true),
                List.of("power", LocalDate.of(2026, 2, 28), 87.25, false),
                Arrays.asList("misc", null, 3, SampleWorkbooks.CellError.NA)),
                SheetSpec.of("Dues", List.of("Notes above the table"), List.of("Tenant", "Due", "Late"),
                        List.of("Adele", LocalDate.of(2026, 3, 1), false), List.of("Megan", LocalDate.of(2026, 3, 5),
                                true)));
        SampleWorkbooks.addTable(book, "Dues", "DueDates", "A2:C4");
        String fields = "\"rows\":\"Ledger\",\"tables\":\"all\"";
        fixture.nango.clearRequests();
        // Excel cannot open the file (graph-samples: the nested cause of a 500); 400 so it is not retried
        fixture.nango.faults().failNext("usedRange", 1, 400, Map.of(), "{\"error\":{\"code\":\"badRequest\","
                + "\"message\":\"The workbook cannot be opened.\",\"innerError\":{\"code\":"
                + "\"badRequestUncategorized\",\"message\":\"The workbook cannot be opened.\",\"innerError\":{"
                + "\"code\":\"GenericFileOpenError\",\"message\":\"The workbook cannot be opened.\"}}}}");
        Batch first = sync("ivy", fields);
        assertEquals(List.of("row.snapshot #1 2", "row.snapshot #2 3", "row.snapshot #3 4", "row.snapshot #1 3",
                "row.snapshot #2 4"), first.summary(), "the sheet's rows, then the table's, both from the file");
        assertEquals("{\"Tenant\":\"Megan\",\"Due\":\"2026-03-05\",\"Late\":true}",
                first.data(4).get("after").toString());
        assertEquals("DueDates", first.data(4).get("table").asText());
        assertEquals("{\"Entry\":\"rent\",\"Booked\":\"2026-01-31\",\"Amount\":1200.5,\"Paid\":true}",
                first.data(0).get("after").toString());
        assertEquals("{\"Entry\":\"misc\",\"Booked\":null,\"Amount\":3,\"Paid\":{\"error\":\"#N/A\"}}",
                first.data(2).get("after").toString());
        assertTrue(fixture.nango.requests().stream().anyMatch(r -> r.pathAndQuery().endsWith("/content")),
                "read from the downloaded file");

        fixture.nango.clearRequests();
        SampleWorkbooks.editCell(book, "Ledger", "C3", 90);
        Batch edit = sync("ivy", fields);
        assertEquals(List.of("row.updated #2 3"), edit.summary(),
                "read through the workbook API now: every other row, the table's too, hashes as the file gave it");
        assertTrue(fixture.nango.requests().stream().noneMatch(r -> r.pathAndQuery().endsWith("/content")));
    }

    @Test
    void aDownloadThatIsNoWorkbookSkipsItsWorkbookAndTheNextSyncReadsIt() throws Exception {
        Path book = dir.resolve("jon/Signed out.xlsx");
        SampleWorkbooks.write(book, SheetSpec.of("Data", List.of("a", "b"), List.of(1, 2)));
        fixture.nango.faults().failNext("usedRange", 1, 400, Map.of(), "{\"error\":{\"code\":\"badRequest\","
                + "\"message\":\"The workbook cannot be opened.\",\"innerError\":{\"code\":\"unsupportedWorkbook\","
                + "\"message\":\"The workbook cannot be opened.\"}}}");
        // what a careless gateway answers instead of the file: a 200 with a sign-in page
        fixture.nango.faults().failNext("/content", 1, 200, Map.of("Content-Type", "text/html"),
                "<html><body>Sign in to your account</body></html>");
        Batch skipped = sync("jon", "\"rows\":\"all\"");
        assertEquals(List.of(), skipped.summary(), "no row from a file that is no workbook");
        JsonNode entry = skipped.status().get("skipped").get(0);
        assertEquals("unreadableWorkbook", entry.get("code").asText(), skipped.status().toString());
        assertTrue(entry.get("reason").asText().contains("not an .xlsx"), entry.toString());
        assertEquals(1, skipped.status().get("skippedCount").asInt());

        Batch next = sync("jon", "\"rows\":\"all\"");
        assertEquals(List.of("row.created #1 2"), next.summary(),
                "read again, through the workbook API: new to the topic, so created");
    }

    /** The row (and columns-changed) events one sync published, and its status. */
    record Batch(List<ConsumedEvent> events, JsonNode status) {

        List<String> summary() {
            return events.stream().map(e -> {
                String type = e.isTombstone() ? "tombstone" : e.ceType().substring("dev.workbookrelay.".length());
                String key = e.key().substring(e.key().lastIndexOf('/') + 1);
                if (type.equals("worksheet.columns-changed")) {
                    return type;
                }
                return e.isTombstone() ? type + " " + key : type + " " + key + " " + data(e).get("position").asInt();
            }).toList();
        }

        JsonNode data(int index) {
            return data(events.get(index));
        }

        void assertValid() {
            for (ConsumedEvent e : events) {
                if (!e.isTombstone() && e.topic().equals(ROWS)) {
                    assertTrue(EventSchemas.validate("row-event", data(e)).isEmpty(),
                            EventSchemas.validate("row-event", data(e)) + " in " + e.value());
                }
            }
        }

        private static JsonNode data(ConsumedEvent e) {
            try {
                return JSON.readTree(e.value());
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }
    }

    /**
     * Syncs the connection's drive with these request fields: the columns-changed events it published, then its row
     * events in order (single-partition topics in these tests).
     */
    private static Batch sync(String connection, String fields) throws Exception {
        int rowsBefore = events(connection, ROWS).size();
        int columnsBefore = events(connection, WORKSHEETS).size();
        String requestId = connection + "-" + UUID.randomUUID();
        fixture.relay.requestSync("{\"connectionId\":\"" + connection + "\",\"requestId\":\"" + requestId + "\","
                + fields + "}");
        JsonNode status = SyncStatuses.await(fixture.kafka.bootstrapServers(), requestId);
        assertEquals("succeeded", status.get("outcome").asText(), status.toString());
        List<ConsumedEvent> columns = events(connection, WORKSHEETS);
        List<ConsumedEvent> rows = events(connection, ROWS);
        List<ConsumedEvent> batch = new ArrayList<>(columns.subList(columnsBefore, columns.size()));
        batch.addAll(rows.subList(rowsBefore, rows.size()));
        return new Batch(batch, status);
    }

    /** The connection's row events, or its columns-changed events, in publishing order. */
    private static List<ConsumedEvent> events(String connection, String topic) {
        try (TopicReader reader = new TopicReader(fixture.kafka.bootstrapServers(), topic)) {
            return reader.readQuiet(Duration.ofMillis(500), Duration.ofSeconds(20)).stream()
                    .filter(e -> e.key() != null && e.key().startsWith(connection + "/"))
                    .filter(e -> topic.equals(ROWS) || "dev.workbookrelay.worksheet.columns-changed".equals(e.ceType()))
                    .toList();
        }
    }
}

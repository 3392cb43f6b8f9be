package dev.workbookrelay.rows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.workbookrelay.graph.GraphGet;
import dev.workbookrelay.graph.RangeAddress;
import dev.workbookrelay.rows.SheetReader.SheetRows;
import dev.workbookrelay.sandbox.NangoGraphEmulator;
import dev.workbookrelay.sandbox.ProxyClient;
import dev.workbookrelay.sandbox.SampleWorkbooks;
import dev.workbookrelay.sandbox.SampleWorkbooks.CellError;
import dev.workbookrelay.sandbox.SampleWorkbooks.SheetSpec;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.xssf.usermodel.XSSFFont;
import org.apache.poi.xssf.usermodel.XSSFRichTextString;
import org.apache.poi.xssf.usermodel.XSSFSheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two ways of reading a sheet's rows — Excel's workbook API (over real HTTP, from the emulator serving the .xlsx)
 * and the downloaded file parsed as a stream — give the same columns, rows, values, hashes and keys.
 */
class ReadPathsTest {


    @TempDir
    Path drive;

    @TempDir
    Path scratchRoot;

    private NangoGraphEmulator emulator;
    private ScratchDirectory scratch;

    @BeforeEach
    void scratch() {
        scratch = ScratchDirectory.open(scratchRoot);
    }

    @AfterEach
    void stop() {
        if (emulator != null) {
            emulator.close();
        }
        scratch.close();
    }

    @Test
    void everyKindOfCellReadsTheSameThroughTheWorkbookApiAndFromTheFile() throws Exception {
        SampleWorkbooks.write(drive.resolve("Kinds.xlsx"), SheetSpec.of("Data",
                List.of("Id", "Name", "Qty", "Price", "Booked", "At", "Paid", "Check", "Total", "Note"),
                Arrays.asList(1, "Bolts", 10, 0.25, LocalDate.of(2026, 7, 28), LocalDateTime.of(2026, 7, 28, 10, 15),
                        true, CellError.NA, "=C2*D2", ""),
                Arrays.asList(2, "Nuts", -3, 1e-7, LocalDate.of(1900, 1, 1), LocalDateTime.of(1999, 12, 31, 23, 59, 59),
                        false, CellError.REF, "=C3*D3", null),
                Arrays.asList(null, null, null, null, null, null, null, null, null, null),
                Arrays.asList(3, "  spaced  ", 123456789012L, 1.5, null, null, null, CellError.DIV0, "=C5*D5",
                        "ünïcødé ✓ \"quoted\"")));
        String item = itemId("Kinds.xlsx");
        for (RowOptions options : List.of(RowOptions.parse("all", null, null, null),
                RowOptions.parse("all", null, "Id", null), RowOptions.parse("all", null, "Name", "2"))) {
            SheetRows api = new SheetReader(2, scratch).read(graph(), worksheet(item, 0), options);
            SheetRows file;
            try (XlsxWorkbook book = XlsxWorkbook.open(drive.resolve("Kinds.xlsx"), scratch)) {
                file = book.read("Data", options);
            }
            assertSame(api, file);
        }
        SheetRows rows = new SheetReader(5000, scratch).read(graph(), worksheet(item, 0),
                RowOptions.parse("all", null, null, null));
        assertEquals(3, rows(rows).size(), "the blank line is no row");
        assertEquals("{\"Id\":1,\"Name\":\"Bolts\",\"Qty\":10,\"Price\":0.25,\"Booked\":\"2026-07-28\","
                + "\"At\":\"2026-07-28T10:15:00\",\"Paid\":true,\"Check\":{\"error\":\"#N/A\"},\"Total\":2.5,"
                + "\"Note\":\"\"}", rows.values(rows(rows).get(0)));
        assertEquals(5, rows(rows).get(2).position());
    }

    @Test
    void anOffsetSheetWithBlankAndRepeatedHeadersReadsTheSameBothWays() throws Exception {
        SampleWorkbooks.write(drive.resolve("Offset.xlsx"), SheetSpec.of("First", List.of("x")),
                SheetSpec.of("Second sheet", List.of(), List.of(),
                        Arrays.asList(null, "Name", null, "Name", "Qty"),
                        Arrays.asList(null, "a", 1, 2, 3),
                        Arrays.asList(null, "b", null, null, null, null, 9)));
        String item = itemId("Offset.xlsx");
        RowOptions options = RowOptions.parse("all", null, null, null);
        SheetRows api = new SheetReader(5000, scratch).read(graph(), worksheet(item, 1), options);
        try (XlsxWorkbook book = XlsxWorkbook.open(drive.resolve("Offset.xlsx"), scratch)) {
            assertSame(api, book.read("second SHEET", options));
            assertEquals(new RangeAddress(3, 2, 5, 7), book.usedRange("Second sheet"));
        }
        assertEquals(List.of("Name", "C", "Name_2", "Qty", "F", "G"), api.columns());
    }

    @Test
    void anAreaWithoutAHeaderIsNamedByColumnLettersBothWays() throws Exception {
        SampleWorkbooks.write(drive.resolve("Area.xlsx"), SheetSpec.of("Data", List.of("h1", "h2", "h3"),
                List.of(1, 2, 3), List.of(4, 5, 6), List.of(7, 8, 9)));
        String item = itemId("Area.xlsx");
        RangeAddress area = RangeAddress.parse("Data!B2:C3");
        SheetRows api = new SheetReader(1, scratch).read(graph(), worksheet(item, 0), area, 0, null);
        try (XlsxWorkbook book = XlsxWorkbook.open(drive.resolve("Area.xlsx"), scratch)) {
            assertSame(api, book.read("Data", area, 0, null));
        }
        assertEquals(List.of("B", "C"), api.columns());
        assertEquals(List.of("{\"B\":2,\"C\":3}", "{\"B\":5,\"C\":6}"),
                rows(api).stream().map(api::values).toList());
    }

    @Test
    void builtInNumberFormatsAndRichTextReadTheSameBothWays() throws Exception {
        Path file = drive.resolve("Formats.xlsx");
        List<String> header = List.of("Date", "DateTime", "Time", "AmPm", "Elapsed", "Fixed", "Label");
        // Excel's built-in formats, by id: 14 short date, 22 date-time, 20 h:mm, 18 h:mm AM/PM, 46 [h]:mm:ss, 2 0.00
        List<Integer> formats = List.of(14, 22, 20, 18, 46, 2);
        try (XSSFWorkbook book = new XSSFWorkbook()) {
            XSSFSheet sheet = book.createSheet("Data");
            Row top = sheet.createRow(0);
            for (int c = 0; c < header.size(); c++) {
                top.createCell(c).setCellValue(header.get(c));
            }
            Row row = sheet.createRow(1);
            double[] values = {46231, 46231.5, 0.25, 0.75, 1.5, 3};
            for (int c = 0; c < values.length; c++) {
                CellStyle style = book.createCellStyle();
                style.setDataFormat(formats.get(c).shortValue());
                row.createCell(c).setCellValue(values[c]);
                row.getCell(c).setCellStyle(style);
            }
            XSSFRichTextString rich = new XSSFRichTextString("bold and plain");
            XSSFFont bold = book.createFont();
            bold.setBold(true);
            rich.applyFont(0, 4, bold);
            row.createCell(6).setCellValue(rich);
            try (OutputStream out = Files.newOutputStream(file)) {
                book.write(out);
            }
        }
        RowOptions options = RowOptions.parse("all", null, null, null);
        SheetRows api = new SheetReader(5000, scratch).read(graph(), worksheet(itemId("Formats.xlsx"), 0), options);
        try (XlsxWorkbook book = XlsxWorkbook.open(file, scratch)) {
            assertSame(api, book.read("Data", options));
        }
        assertEquals("{\"Date\":\"2026-07-28\",\"DateTime\":\"2026-07-28T12:00:00\",\"Time\":\"06:00:00\","
                + "\"AmPm\":\"18:00:00\",\"Elapsed\":1.5,\"Fixed\":3,\"Label\":\"bold and plain\"}",
                api.values(rows(api).get(0)));
    }

    @Test
    void aFileThatIsNoWorkbookIsRefusedWithItsReason() throws Exception {
        Path notZip = drive.resolve("fake.xlsx");
        Files.writeString(notZip, "<html>Sign in</html>");
        XlsxWorkbook.UnreadableWorkbookException e = assertThrows(XlsxWorkbook.UnreadableWorkbookException.class,
                () -> XlsxWorkbook.open(notZip, scratch));
        assertTrue(e.getMessage().contains("not an .xlsx"), e.getMessage());

        SampleWorkbooks.write(drive.resolve("Real.xlsx"), SheetSpec.of("Data", List.of("a")));
        try (XlsxWorkbook book = XlsxWorkbook.open(drive.resolve("Real.xlsx"), scratch)) {
            XlsxWorkbook.UnreadableWorkbookException missing = assertThrows(
                    XlsxWorkbook.UnreadableWorkbookException.class, () -> book.usedRange("Nope"));
            assertTrue(missing.getMessage().contains("no worksheet named Nope"), missing.getMessage());
        }
    }

    @Test
    void sharedTextBeyondWhatTheReaderHoldsRefusesTheFile() throws Exception {
        Path file = drive.resolve("Bomb.xlsx");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            zip.putNextEntry(new ZipEntry("xl/workbook.xml"));
            zip.write("<workbook><sheets/></workbook>".getBytes(StandardCharsets.UTF_8));
            zip.putNextEntry(new ZipEntry("xl/_rels/workbook.xml.rels"));
            zip.write(("<Relationships><Relationship Id=\"rId1\" Target=\"sharedStrings.xml\" Type=\"http://schemas."
                    + "openxmlformats.org/officeDocument/2006/relationships/sharedStrings\"/></Relationships>")
                    .getBytes(StandardCharsets.UTF_8));
            zip.putNextEntry(new ZipEntry("xl/sharedStrings.xml"));
            zip.write("<sst>".getBytes(StandardCharsets.UTF_8));
            byte[] item = ("<si><t>" + "x".repeat(1_000_000) + "</t></si>").getBytes(StandardCharsets.UTF_8);
            for (long written = 0; written <= XlsxWorkbook.MAX_SHARED_TEXT; written += 1_000_000) {
                zip.write(item); // compresses to almost nothing: the size is only seen once inflated
            }
            zip.write("</sst>".getBytes(StandardCharsets.UTF_8));
        }
        XlsxWorkbook.UnreadableWorkbookException e = assertThrows(XlsxWorkbook.UnreadableWorkbookException.class,
                () -> XlsxWorkbook.open(file, scratch));
        assertTrue(e.getMessage().contains("shared strings hold more than 32000000 characters"), e.getMessage());
        try (var left = Files.list(scratch.folder())) {
            assertEquals(List.of(".lock"), left.map(f -> f.getFileName().toString()).toList(),
                    "the strings written so far are deleted with the refusal");
        }
    }

    /** A sheet's rows read back from its spool. */
    private static List<ReadRow> rows(SheetRows sheet) {
        List<ReadRow> rows = new ArrayList<>();
        sheet.rows().forEach(rows::add);
        return rows;
    }

    private static void assertSame(SheetRows api, SheetRows file) {
        assertEquals(api.columns(), file.columns());
        assertEquals(api.problems(), file.problems());
        assertEquals(rows(api), rows(file)); // position, hash, spool place and key of every row
        assertEquals(rows(api).stream().map(api::values).toList(), rows(file).stream().map(file::values).toList());
    }

    /** Graph through the emulator's proxy, over HTTP. */
    private GraphGet graph() {
        return path -> {
            try {
                return new ProxyClient(emulator).ok("/proxy" + path);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
    }

    private String worksheet(String item, int index) {
        JsonNode sheets = graph().get("/v1.0/me/drive/items/" + item + "/workbook/worksheets");
        return "/v1.0/me/drive/items/" + item + "/workbook/worksheets/"
                + URLEncoder.encode(sheets.get("value").get(index).get("id").asText(), StandardCharsets.UTF_8);
    }

    private String itemId(String fileName) throws Exception {
        if (emulator == null) {
            emulator = NangoGraphEmulator.builder().secretKey(ProxyClient.KEY).connection("one-drive", "alice", drive)
                    .build().start();
        }
        return new ProxyClient(emulator).itemId(fileName);
    }
}

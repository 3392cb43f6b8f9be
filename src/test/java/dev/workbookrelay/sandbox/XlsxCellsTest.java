package dev.workbookrelay.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The streaming cell reader on what Excel writes and POI does not: shared formulas, rich text, hidden rows. */
class XlsxCellsTest {

    private static final String MAIN = "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"";
    private static final String RELS = "xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"";
    private static final String TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/";

    @TempDir
    Path dir;

    @Test
    void readsAnExcelStyleSheetWithSharedStringsStylesAndSharedFormulas() throws IOException {
        SheetCells cells = XlsxCells.read(excelStyleWorkbook(), 3);

        int[] row1 = cells.grid(CellRange.parse("A1:C1"));
        assertEquals("plain", cells.text(row1[0]));
        assertEquals("rich text", cells.text(row1[1]), "runs joined, the phonetic guide left out");
        assertEquals("inline", cells.text(row1[2]));

        int[] row2 = cells.grid(CellRange.parse("A2:C2"));
        assertEquals(46231, cells.number(row2[0]));
        assertEquals("m/d/yyyy", cells.format(row2[0]), "built-in 14 as Excel names it");
        assertEquals("0.00%", cells.format(row2[1]), "styles counted in cellXfs, not cellStyleXfs");
        assertEquals(46231.75, cells.number(row2[2]), "t=\"d\" ISO text read as a serial number");

        int[] column2 = cells.grid(CellRange.parse("B3:B5"));
        assertEquals("$A$2+A2*2", cells.formula(column2[0]));
        assertEquals("$A$2+A3*2", cells.formula(column2[1]), "a shared formula shifted to its cell");
        assertEquals("$A$2+A4*2", cells.formula(column2[2]));
        assertEquals(SheetCells.Kind.NUMBER, cells.kind(column2[2]));

        assertEquals("A1:C5", cells.usedRange(true).a1());
        assertEquals("A1:E7", cells.usedRange(false).a1(), "the formatted E7 counts with formatting");
        assertTrue(cells.rowsHidden(CellRange.parse("A2:C2")));
        assertFalse(cells.rowsHidden(CellRange.parse("A2:C3")));
        assertTrue(cells.columnsHidden(CellRange.parse("C1:C9")));
        assertFalse(cells.columnsHidden(CellRange.parse("B1:C1")));
        assertEquals(-1, cells.grid(CellRange.parse("D1"))[0], "no cell");
    }

    @Test
    void writeLargeStoresStringsInASharedStringsTableAsExcelDoes() throws IOException {
        Path file = dir.resolve("Large.xlsx");
        SampleWorkbooks.writeLarge(file, "Rows", java.util.List.of("Name", "Qty"), 3,
                i -> java.util.List.of("item " + (i % 2), i));
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(file.toFile())) {
            String strings = new String(zip.getInputStream(zip.getEntry("xl/sharedStrings.xml")).readAllBytes(),
                    StandardCharsets.UTF_8);
            assertTrue(strings.contains("<t>item 0</t>") && strings.contains("<t>Name</t>"), strings);
            String sheet = new String(zip.getInputStream(zip.getEntry("xl/worksheets/sheet1.xml")).readAllBytes(),
                    StandardCharsets.UTF_8);
            assertFalse(sheet.contains("inlineStr"), "no inline strings");
            assertTrue(sheet.contains("t=\"s\""), sheet);
        }
        SheetCells cells = XlsxCells.read(file, 1);
        int[] grid = cells.grid(CellRange.parse("A1:A4"));
        assertEquals("Name", cells.text(grid[0]));
        assertEquals("item 0", cells.text(grid[1]));
        assertEquals("item 0", cells.text(grid[3]), "one shared string, used twice");
    }

    @Test
    void formulaReferencesShiftAndReadAsR1C1() {
        assertEquals("SUM(Q1!RC:R[2]C)", FormulaRefs.toR1C1("SUM(Q1!B2:B4)", 1, 1));
        assertEquals("R1C1+'My B2'!RC&\"B2\"", FormulaRefs.toR1C1("$A$1+'My B2'!C3&\"B2\"", 2, 2),
                "quoted names and text stay as they are");
        assertEquals("LOG10(R[-2]C[-2])", FormulaRefs.toR1C1("LOG10(A1)", 2, 2), "a function name is not a reference");
        assertEquals("B$1+$B3+C4", FormulaRefs.shift("A$1+$B2+B3", 1, 1));
        assertEquals("#REF!+1", FormulaRefs.shift("A1+1", -1, 0));
    }

    @Test
    void addressesParseAsExcelReadsThem() {
        assertEquals(new CellRange(1, 1, 2, 2), CellRange.parse("$b$2:C3"));
        assertEquals(new CellRange(1, 1, 2, 2), CellRange.parse("C3:B2"));
        assertEquals("XFD1048576", CellRange.parse("xfd1048576").a1());
        assertNull(CellRange.parse("XFE1"));
        assertNull(CellRange.parse("A1:"));
        assertEquals(17_179_869_184L, CellRange.parse("A1:XFD1048576").cellCount());
    }

    /** Sheet "Data" (sheetId 3) as Excel writes it, parts in a folder layout POI does not use. */
    private Path excelStyleWorkbook() throws IOException {
        Map<String, String> parts = new LinkedHashMap<>();
        parts.put("_rels/.rels", "<Relationships " + RELS + "><Relationship Id=\"rId1\" Type=\"" + TYPE
                + "officeDocument\" Target=\"/xl/workbook.xml\"/></Relationships>");
        parts.put("xl/workbook.xml", "<workbook " + MAIN + " xmlns:r=\"" + TYPE.substring(0, TYPE.length() - 1) + "\">"
                + "<sheets><sheet name=\"Data\" sheetId=\"3\" r:id=\"rId7\"/></sheets></workbook>");
        parts.put("xl/_rels/workbook.xml.rels", "<Relationships " + RELS + ">"
                + "<Relationship Id=\"rId7\" Type=\"" + TYPE + "worksheet\" Target=\"sheets/data.xml\"/>"
                + "<Relationship Id=\"rId8\" Type=\"" + TYPE + "sharedStrings\" Target=\"/xl/strings.xml\"/>"
                + "<Relationship Id=\"rId9\" Type=\"" + TYPE + "styles\" Target=\"../xl/styles.xml\"/></Relationships>");
        parts.put("xl/strings.xml", "<sst " + MAIN + "><si><t>plain</t></si><si><r><t xml:space=\"preserve\">rich </t></r>"
                + "<r><rPr><b/></rPr><t>text</t></r><rPh sb=\"0\" eb=\"1\"><t>ri</t></rPh></si></sst>");
        parts.put("xl/styles.xml", "<styleSheet " + MAIN + "><numFmts count=\"1\"><numFmt numFmtId=\"164\" "
                + "formatCode=\"0.00%\"/></numFmts><cellStyleXfs count=\"2\"><xf numFmtId=\"0\"/><xf numFmtId=\"3\"/>"
                + "</cellStyleXfs><cellXfs count=\"3\"><xf numFmtId=\"0\" xfId=\"0\"/><xf numFmtId=\"14\" xfId=\"0\"/>"
                + "<xf numFmtId=\"164\" xfId=\"0\"/></cellXfs></styleSheet>");
        parts.put("xl/sheets/data.xml", "<worksheet " + MAIN + "><cols><col min=\"3\" max=\"3\" hidden=\"1\"/></cols>"
                + "<sheetData>"
                + "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c>"
                + "<c r=\"C1\" t=\"inlineStr\"><is><r><t>in</t></r><r><t>line</t></r></is></c></row>"
                + "<row r=\"2\" hidden=\"1\"><c r=\"A2\" s=\"1\"><v>46231</v></c><c r=\"B2\" s=\"2\"><v>0.125</v></c>"
                + "<c r=\"C2\" t=\"d\"><v>2026-07-28T18:00:00</v></c></row>"
                + "<row r=\"3\"><c r=\"A3\"><f>A2+1</f><v>46232</v></c>"
                + "<c r=\"B3\"><f t=\"shared\" ref=\"B3:B5\" si=\"0\">$A$2+A2*2</f><v>92463</v></c></row>"
                + "<row r=\"4\"><c r=\"B4\"><f t=\"shared\" si=\"0\"/><v>92465</v></c></row>"
                + "<row r=\"5\"><c r=\"B5\"><f t=\"shared\" si=\"0\"/><v>92465</v></c></row>"
                + "<row r=\"7\"><c r=\"E7\" s=\"2\"/></row>"
                + "</sheetData></worksheet>");
        Path file = dir.resolve("excel.xlsx");
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, String> part : parts.entrySet()) {
                zip.putNextEntry(new ZipEntry(part.getKey()));
                zip.write(part.getValue().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        return file;
    }
}

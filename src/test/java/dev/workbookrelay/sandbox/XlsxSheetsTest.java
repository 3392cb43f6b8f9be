package dev.workbookrelay.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import dev.workbookrelay.sandbox.SampleWorkbooks.SheetSpec;
import dev.workbookrelay.sandbox.XlsxSheets.Sheet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class XlsxSheetsTest {

    @TempDir
    Path dir;

    @Test
    void readsNamesSheetIdsAndVisibilityInWorkbookOrder() throws IOException {
        Path file = dir.resolve("book.xlsx");
        SampleWorkbooks.write(file, SheetSpec.of("Summary", List.of("a", 1)),
                SheetSpec.of("Workings", List.of(2)).withVisibility(WorksheetVisibility.HIDDEN),
                SheetSpec.of("Keys", List.of(3)).withVisibility(WorksheetVisibility.VERY_HIDDEN));
        assertEquals(List.of(new Sheet("Summary", 1, WorksheetVisibility.VISIBLE, 0),
                new Sheet("Workings", 2, WorksheetVisibility.HIDDEN, 1),
                new Sheet("Keys", 3, WorksheetVisibility.VERY_HIDDEN, 2)), XlsxSheets.read(file));
    }

    @Test
    void sheetIdsSurviveRenameMoveAndRemovalWhileNewSheetsGetFreshOnes() throws IOException {
        Path file = dir.resolve("book.xlsx");
        SampleWorkbooks.write(file, SheetSpec.of("A", List.of(1)), SheetSpec.of("B", List.of(2)), SheetSpec.of("C", List.of(3)));
        SampleWorkbooks.renameSheet(file, "A", "Alpha");
        SampleWorkbooks.moveSheet(file, "Alpha", 2);
        SampleWorkbooks.removeSheet(file, "B");
        SampleWorkbooks.addSheet(file, SheetSpec.of("D", List.of(4)));
        SampleWorkbooks.hideSheet(file, "C");
        assertEquals(List.of(new Sheet("C", 3, WorksheetVisibility.HIDDEN, 0),
                new Sheet("Alpha", 1, WorksheetVisibility.VISIBLE, 1),
                new Sheet("D", 4, WorksheetVisibility.VISIBLE, 2)), XlsxSheets.read(file));
    }

    @Test
    void editsRewriteTheFileInPlaceAndMoveItsModificationTime() throws IOException {
        Path file = dir.resolve("book.xlsx");
        SampleWorkbooks.write(file, SheetSpec.of("Q1", List.of("Budget", 100)));
        BasicFileAttributes before = Files.readAttributes(file, BasicFileAttributes.class);
        SampleWorkbooks.editCell(file, "Q1", "B1", 250);
        BasicFileAttributes after = Files.readAttributes(file, BasicFileAttributes.class);
        assertEquals(before.fileKey(), after.fileKey(), "same inode, so the drive item keeps its id");
        assertTrue(after.lastModifiedTime().compareTo(before.lastModifiedTime()) > 0);
    }

    @Test
    void chartSheetsAreNotWorksheets() throws IOException {
        Path file = dir.resolve("chart.xlsx");
        zip(file, Map.of(
                "_rels/.rels", "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                        + "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>",
                "xl/workbook.xml", "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
                        + "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets>"
                        + "<sheet name=\"Data\" sheetId=\"1\" r:id=\"rId1\"/><sheet name=\"Chart1\" sheetId=\"2\" r:id=\"rId2\"/>"
                        + "<sheet name=\"Old\" sheetId=\"5\" state=\"hidden\" r:id=\"rId3\"/></sheets></workbook>",
                "xl/_rels/workbook.xml.rels", "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                        + "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
                        + "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/chartsheet\" Target=\"chartsheets/sheet1.xml\"/>"
                        + "<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet2.xml\"/>"
                        + "</Relationships>"));
        assertEquals(List.of(new Sheet("Data", 1, WorksheetVisibility.VISIBLE, 0),
                new Sheet("Old", 5, WorksheetVisibility.HIDDEN, 1)), XlsxSheets.read(file));
    }

    @Test
    void aFileThatIsNotAZipIsNotAnXlsx() throws IOException {
        Path file = dir.resolve("fake.xlsx");
        Files.writeString(file, "name,value\n");
        XlsxSheets.NotAnXlsxException e = assertThrows(XlsxSheets.NotAnXlsxException.class, () -> XlsxSheets.read(file));
        assertTrue(e.getMessage().contains("fake.xlsx is not a readable .xlsx workbook: not a zip archive"), e.getMessage());
    }

    @Test
    void aZipWithoutAWorkbookPartIsNotAnXlsx() throws IOException {
        Path file = dir.resolve("other.xlsx");
        zip(file, Map.of("readme.txt", "hello"));
        XlsxSheets.NotAnXlsxException e = assertThrows(XlsxSheets.NotAnXlsxException.class, () -> XlsxSheets.read(file));
        assertTrue(e.getMessage().contains("no workbook part xl/workbook.xml"), e.getMessage());
    }

    @Test
    void theShippedSampleDriveHasTheDocumentedFiles() throws IOException {
        Path shipped = Path.of("src/sandbox/drive");
        assertSampleDrive(shipped);
    }

    @Test
    void theSampleDriveCanBeRegenerated() throws IOException {
        SampleWorkbooks.createSampleDrive(dir);
        assertSampleDrive(dir);
    }

    private static void assertSampleDrive(Path root) throws IOException {
        assertEquals(List.of("Summary", "Q1", "Q2", "Q3", "Q4"), names(root.resolve("Finance/Budget 2026.xlsx")));
        List<Sheet> monthly = XlsxSheets.read(root.resolve("Finance/Reports/Monthly report.xlsx"));
        assertEquals(3, monthly.size());
        assertEquals(1, monthly.stream().filter(s -> s.visibility() == WorksheetVisibility.HIDDEN).count());
        assertEquals(2, XlsxSheets.read(root.resolve("Sales/Pipeline.xlsx")).size());
        assertEquals(1, XlsxSheets.read(root.resolve("Team roster.xlsx")).size());
        for (String skipped : List.of("notes.txt", "Sales/export.csv", "Legacy/old-format.xls")) {
            assertTrue(Files.isRegularFile(root.resolve(skipped)), skipped);
        }
        assertThrows(XlsxSheets.NotAnXlsxException.class, () -> XlsxSheets.read(root.resolve("Legacy/old-format.xls")));
    }

    private static List<String> names(Path file) throws IOException {
        return XlsxSheets.read(file).stream().map(Sheet::name).toList();
    }

    private static void zip(Path file, Map<String, String> entries) throws IOException {
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, String> entry : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(entry.getKey()));
                zip.write(entry.getValue().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
    }
}

package dev.workbookrelay.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reads the tables (Excel's ListObjects) of an .xlsx straight from its zip: each worksheet's {@code table} parts,
 * found through the worksheet's relationships, without reading the (possibly huge) worksheet itself.
 */
final class XlsxTables {

    /**
     * One table as the file stores it: {@code id} is the file's table id (unique in the workbook, kept on rename),
     * {@code name} its display name, {@code ref} the whole table including its header and totals rows.
     */
    record Table(int id, String name, int sheetId, CellRange ref, boolean showHeaders, boolean showTotals,
                 String style, boolean highlightFirstColumn, boolean highlightLastColumn, boolean showBandedColumns,
                 boolean showBandedRows, boolean showFilterButton) {
    }

    private XlsxTables() {
    }

    /** Every table of the workbook: worksheet by worksheet in workbook order, each sheet's in creation (id) order. */
    static List<Table> read(Path file) throws IOException {
        try (ZipFile zip = XlsxSheets.openZip(file)) {
            List<Table> tables = new ArrayList<>();
            for (Map.Entry<Integer, String> sheet : XlsxSheets.worksheetParts(zip, file).entrySet()) {
                List<Table> ofSheet = new ArrayList<>();
                for (String part : XlsxSheets.relatedParts(zip, file, sheet.getValue(), "/table")) {
                    ofSheet.add(table(zip, file, part, sheet.getKey()));
                }
                ofSheet.sort(Comparator.comparingInt(Table::id));
                tables.addAll(ofSheet);
            }
            return List.copyOf(tables);
        }
    }

    private static Table table(ZipFile zip, Path file, String part, int sheetId) throws IOException {
        ZipEntry entry = zip.getEntry(part);
        if (entry == null) {
            throw new XlsxSheets.NotAnXlsxException(file, "no table part " + part, null);
        }
        try (InputStream in = zip.getInputStream(entry)) {
            XMLStreamReader xml = XlsxSheets.xmlReader(in);
            int id = 0;
            String name = null;
            CellRange ref = null;
            boolean headers = true;
            boolean totals = false;
            boolean filterButton = false;
            String style = "";
            boolean[] stripes = new boolean[4]; // first column, last column, banded columns, banded rows
            while (xml.hasNext()) {
                if (xml.next() != XMLStreamConstants.START_ELEMENT) {
                    continue;
                }
                switch (xml.getLocalName()) {
                    case "table" -> {
                        id = Integer.parseInt(xml.getAttributeValue(null, "id"));
                        name = xml.getAttributeValue(null, "displayName");
                        ref = CellRange.parse(xml.getAttributeValue(null, "ref"));
                        // the schema's defaults: one header row, no totals row
                        headers = !"0".equals(xml.getAttributeValue(null, "headerRowCount"));
                        String totalsRows = xml.getAttributeValue(null, "totalsRowCount");
                        totals = totalsRows != null && Integer.parseInt(totalsRows) > 0;
                    }
                    // Excel drops the autoFilter when the filter button is turned off (or the header row hidden)
                    case "autoFilter" -> filterButton = true;
                    case "tableStyleInfo" -> {
                        String styleName = xml.getAttributeValue(null, "name");
                        style = styleName == null ? "" : styleName;
                        stripes[0] = isTrue(xml.getAttributeValue(null, "showFirstColumn"));
                        stripes[1] = isTrue(xml.getAttributeValue(null, "showLastColumn"));
                        stripes[2] = isTrue(xml.getAttributeValue(null, "showColumnStripes"));
                        stripes[3] = isTrue(xml.getAttributeValue(null, "showRowStripes"));
                    }
                    default -> {
                        // table columns, their formulas and filters: not table properties
                    }
                }
            }
            if (name == null || ref == null) {
                throw new XlsxSheets.NotAnXlsxException(file, part + " has no displayName or ref", null);
            }
            return new Table(id, name, sheetId, ref, headers, totals, style, stripes[0], stripes[1], stripes[2],
                    stripes[3], filterButton && headers);
        } catch (XMLStreamException | RuntimeException e) {
            throw new XlsxSheets.NotAnXlsxException(file, part + " cannot be read", e);
        }
    }

    private static boolean isTrue(String flag) {
        return "1".equals(flag) || "true".equals(flag);
    }
}

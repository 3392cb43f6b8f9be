package dev.workbookrelay.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.apache.poi.openxml4j.exceptions.OpenXML4JException;
import org.apache.poi.openxml4j.opc.OPCPackage;
import org.apache.poi.openxml4j.opc.PackageAccess;
import org.apache.poi.ss.util.CellReference;
import org.apache.poi.xssf.eventusermodel.XSSFReader;
import org.apache.poi.xssf.model.SharedStrings;
import org.apache.poi.xssf.model.StylesTable;
import org.apache.poi.xssf.usermodel.XSSFCellStyle;

/**
 * The cells of every worksheet of an .xlsx, read as a stream (POI's XSSFReader for the parts, StAX for the sheet
 * XML; never a whole workbook model), typed as Excel's range API reports them: text, numbers (dates are numbers
 * with a date format), booleans, errors, with each cell's number format and formula.
 */
final class XlsxCells {

    /** One cell: {@code value} a String, Double or Boolean; {@code type} one of Graph's valueTypes. */
    record Cell(Object value, String type, String format, String formula) {
    }

    /** A worksheet's non-empty cells by 1-based row, each row's cells by 0-based column (null where empty). */
    record Grid(TreeMap<Integer, Cell[]> rows, int columns) {

        Cell cell(int row, int column) {
            Cell[] cells = rows.get(row);
            return cells == null || column - 1 >= cells.length ? null : cells[column - 1];
        }
    }

    private XlsxCells() {
    }

    /** Every worksheet's grid, by sheet name. */
    static Map<String, Grid> read(Path file) throws IOException {
        try (OPCPackage pkg = OPCPackage.open(file.toFile(), PackageAccess.READ)) {
            XSSFReader reader = new XSSFReader(pkg);
            SharedStrings strings = reader.getSharedStringsTable();
            StylesTable styles = reader.getStylesTable();
            Map<String, Grid> grids = new HashMap<>();
            XSSFReader.SheetIterator sheets = (XSSFReader.SheetIterator) reader.getSheetsData();
            while (sheets.hasNext()) {
                try (InputStream in = sheets.next()) {
                    grids.put(sheets.getSheetName(), grid(in, strings, styles));
                }
            }
            return grids;
        } catch (OpenXML4JException | XMLStreamException | RuntimeException e) {
            throw new IOException(file + " cannot be read as an .xlsx: " + e.getMessage(), e);
        }
    }

    private static Grid grid(InputStream in, SharedStrings strings, StylesTable styles) throws XMLStreamException {
        XMLInputFactory factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        XMLStreamReader xml = factory.createXMLStreamReader(in);
        TreeMap<Integer, Cell[]> rows = new TreeMap<>();
        TreeMap<Integer, Cell> row = new TreeMap<>();
        int rowNumber = 0;
        int columns = 0;
        int column = 0;
        String type = null;
        String style = null;
        String value = null;
        String formula = null;
        StringBuilder text = new StringBuilder();
        while (xml.hasNext()) {
            int event = xml.next();
            if (event == XMLStreamConstants.START_ELEMENT) {
                switch (xml.getLocalName()) {
                    case "row" -> {
                        String r = xml.getAttributeValue(null, "r");
                        rowNumber = r == null ? rowNumber + 1 : Integer.parseInt(r);
                        row = new TreeMap<>();
                        column = 0;
                    }
                    case "c" -> {
                        String ref = xml.getAttributeValue(null, "r");
                        column = ref == null ? column + 1 : new CellReference(ref).getCol() + 1;
                        type = xml.getAttributeValue(null, "t");
                        style = xml.getAttributeValue(null, "s");
                        value = null;
                        formula = null;
                    }
                    case "v", "f", "t" -> text.setLength(0);
                    default -> { }
                }
            } else if (event == XMLStreamConstants.CHARACTERS || event == XMLStreamConstants.CDATA) {
                text.append(xml.getText());
            } else if (event == XMLStreamConstants.END_ELEMENT) {
                switch (xml.getLocalName()) {
                    case "v", "t" -> value = text.toString(); // <t> inside <is>: an inline string
                    case "f" -> formula = text.toString();
                    case "c" -> {
                        Cell cell = cell(type, value, formula, format(styles, style), strings);
                        if (cell != null) {
                            row.put(column, cell);
                            columns = Math.max(columns, column);
                        }
                    }
                    case "row" -> {
                        if (!row.isEmpty()) {
                            Cell[] cells = new Cell[row.lastKey()];
                            row.forEach((c, cell) -> cells[c - 1] = cell);
                            rows.put(rowNumber, cells);
                        }
                    }
                    default -> { }
                }
            }
        }
        return new Grid(rows, columns);
    }

    private static Cell cell(String type, String value, String formula, String format, SharedStrings strings) {
        if (value == null) {
            return null; // a styled but empty cell: no value
        }
        String f = formula == null || formula.isEmpty() ? null : "=" + formula;
        return switch (type == null ? "n" : type) {
            case "s" -> new Cell(strings.getItemAt(Integer.parseInt(value.trim())).getString(), "String", format, f);
            case "str", "inlineStr" -> new Cell(value, "String", format, f);
            case "b" -> new Cell("1".equals(value.trim()), "Boolean", format, f);
            case "e" -> new Cell(value, "Error", format, f);
            default -> new Cell(Double.parseDouble(value.trim()), "Double", format, f);
        };
    }

    private static String format(StylesTable styles, String style) {
        if (style == null || styles == null) {
            return "General";
        }
        XSSFCellStyle cellStyle = styles.getStyleAt(Integer.parseInt(style));
        String format = cellStyle == null ? null : cellStyle.getDataFormatString();
        return format == null || format.isEmpty() ? "General" : format;
    }
}

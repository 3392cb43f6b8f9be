package dev.workbookrelay.sandbox;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.poi.ss.usermodel.DataFormatter;
import org.apache.poi.ss.util.CellReference;

/**
 * Excel's range API over a real .xlsx: a worksheet's used range and any A1 range, in Graph's shape (every grid
 * property a 2-D array; dates as serial numbers with their number format). Each file version's cells are read once
 * and kept for the next calls (the last few files only). With a cell limit, a range whose grids would carry more
 * cells is refused as the service refuses too large a payload.
 */
final class WorkbookRanges {

    /** The grid properties of a range, the ones that make a payload large. */
    private static final List<String> GRIDS = List.of("formulas", "formulasLocal", "formulasR1C1", "numberFormat",
            "text", "values", "valueTypes");
    private static final Pattern A1 = Pattern.compile("\\$?([A-Za-z]{1,3})\\$?(\\d{1,7})(?::\\$?([A-Za-z]{1,3})\\$?(\\d{1,7}))?");
    private static final Pattern PLAIN_SHEET_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.]*");
    private static final int FILES_KEPT = 3;

    /** A rectangle of 1-based rows and columns. */
    record Area(int firstRow, int firstColumn, int lastRow, int lastColumn) {

        int cells() {
            return (lastRow - firstRow + 1) * (lastColumn - firstColumn + 1);
        }

        String a1() {
            String first = CellReference.convertNumToColString(firstColumn - 1) + firstRow;
            return cells() == 1 ? first : first + ":" + CellReference.convertNumToColString(lastColumn - 1) + lastRow;
        }
    }

    private record Version(Path file, long size, FileTime lastModified) {
    }

    private final int cellLimit;
    private final Map<Version, Map<String, XlsxCells.Grid>> files = new LinkedHashMap<>(4, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Version, Map<String, XlsxCells.Grid>> eldest) {
            return size() > FILES_KEPT;
        }
    };

    /** @param cellLimit the most cells a range answer may carry; 0 for no limit */
    WorkbookRanges(int cellLimit) {
        this.cellLimit = cellLimit;
    }

    /** The worksheet's cells (an empty grid for a sheet without any). */
    XlsxCells.Grid grid(Path file, long size, FileTime lastModified, String sheet) throws IOException {
        Version version = new Version(file, size, lastModified);
        Map<String, XlsxCells.Grid> grids;
        synchronized (files) {
            grids = files.get(version);
        }
        if (grids == null) {
            grids = XlsxCells.read(file);
            synchronized (files) {
                files.put(version, grids);
            }
        }
        XlsxCells.Grid grid = grids.get(sheet);
        return grid != null ? grid : new XlsxCells.Grid(new java.util.TreeMap<>(), 0);
    }

    /** The smallest area holding every cell with a value; a blank sheet's is A1. */
    static Area usedArea(XlsxCells.Grid grid) {
        if (grid.rows().isEmpty()) {
            return new Area(1, 1, 1, 1);
        }
        int firstColumn = Integer.MAX_VALUE;
        int lastColumn = 0;
        for (XlsxCells.Cell[] row : grid.rows().values()) {
            for (int c = 0; c < row.length; c++) {
                if (row[c] != null) {
                    firstColumn = Math.min(firstColumn, c + 1);
                    lastColumn = Math.max(lastColumn, c + 1);
                }
            }
        }
        return new Area(grid.rows().firstKey(), firstColumn, grid.rows().lastKey(), lastColumn);
    }

    /** An A1 address ({@code B2}, {@code A1:C3}, with or without {@code $}); null if it is not one. */
    static Area parse(String address) {
        Matcher m = A1.matcher(address == null ? "" : address.substring(address.lastIndexOf('!') + 1).trim());
        if (!m.matches()) {
            return null;
        }
        int firstColumn = CellReference.convertColStringToIndex(m.group(1).toUpperCase(Locale.ROOT)) + 1;
        int firstRow = Integer.parseInt(m.group(2));
        int lastColumn = m.group(3) == null ? firstColumn
                : CellReference.convertColStringToIndex(m.group(3).toUpperCase(Locale.ROOT)) + 1;
        int lastRow = m.group(4) == null ? firstRow : Integer.parseInt(m.group(4));
        if (firstRow < 1 || lastRow > 1_048_576 || lastColumn > 16_384) {
            return null;
        }
        return new Area(Math.min(firstRow, lastRow), Math.min(firstColumn, lastColumn), Math.max(firstRow, lastRow),
                Math.max(firstColumn, lastColumn));
    }

    /** Whether an answer with these properties over this area is more than the service would send. */
    boolean tooLarge(Area area, Selection select) {
        if (cellLimit <= 0 || area.cells() <= cellLimit) {
            return false;
        }
        ObjectNode probe = DriveItemJson.MAPPER.createObjectNode();
        GRIDS.forEach(name -> probe.put(name, 0));
        return !select.apply(probe).isEmpty();
    }

    /** The range's properties (without annotations), {@code $select} applied. */
    static ObjectNode range(XlsxCells.Grid grid, String sheet, Area area, Selection select) {
        ObjectNode json = DriveItemJson.MAPPER.createObjectNode();
        String address = sheetPrefix(sheet) + area.a1();
        json.put("address", address);
        json.put("addressLocal", address);
        json.put("cellCount", area.cells());
        json.put("columnCount", area.lastColumn() - area.firstColumn() + 1);
        json.put("columnHidden", false);
        json.put("columnIndex", area.firstColumn() - 1);
        ArrayNode formulas = json.putArray("formulas");
        ArrayNode formulasLocal = json.putArray("formulasLocal");
        ArrayNode formulasR1C1 = json.putArray("formulasR1C1");
        json.put("hidden", false);
        ArrayNode formats = json.putArray("numberFormat");
        json.put("rowCount", area.lastRow() - area.firstRow() + 1);
        json.put("rowHidden", false);
        json.put("rowIndex", area.firstRow() - 1);
        ArrayNode texts = json.putArray("text");
        ArrayNode values = json.putArray("values");
        ArrayNode types = json.putArray("valueTypes");
        DataFormatter formatter = new DataFormatter(Locale.US);
        for (int r = area.firstRow(); r <= area.lastRow(); r++) {
            ArrayNode formulaRow = formulas.addArray();
            ArrayNode formatRow = formats.addArray();
            ArrayNode textRow = texts.addArray();
            ArrayNode valueRow = values.addArray();
            ArrayNode typeRow = types.addArray();
            for (int c = area.firstColumn(); c <= area.lastColumn(); c++) {
                XlsxCells.Cell cell = grid.cell(r, c);
                if (cell == null) {
                    valueRow.add("");
                    textRow.add("");
                    formulaRow.add("");
                    formatRow.add("General");
                    typeRow.add("Empty");
                    continue;
                }
                Object value = cell.value();
                if (value instanceof Double number) {
                    if (number == Math.rint(number) && Math.abs(number) < 1e15) {
                        valueRow.add(number.longValue());
                    } else {
                        valueRow.add(number);
                    }
                    textRow.add(formatter.formatRawCellContents(number, -1, cell.format()));
                } else if (value instanceof Boolean flag) {
                    valueRow.add(flag);
                    textRow.add(flag ? "TRUE" : "FALSE");
                } else {
                    valueRow.add(value.toString());
                    textRow.add(value.toString());
                }
                if (cell.formula() != null) {
                    formulaRow.add(cell.formula());
                } else {
                    formulaRow.add(valueRow.get(valueRow.size() - 1));
                }
                formatRow.add(cell.format());
                typeRow.add(cell.type());
            }
        }
        formulasLocal.addAll(formulas.deepCopy());
        formulasR1C1.addAll(formulas.deepCopy());
        return select.apply(json);
    }

    /** {@code Sheet1!}, or {@code 'Open deals'!} for a name Excel quotes (an apostrophe in it doubled). */
    static String sheetPrefix(String sheet) {
        return PLAIN_SHEET_NAME.matcher(sheet).matches() ? sheet + "!" : "'" + sheet.replace("'", "''") + "'!";
    }
}

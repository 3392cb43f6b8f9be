package dev.workbookrelay.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

import org.apache.poi.ss.usermodel.BuiltinFormats;
import org.apache.poi.ss.usermodel.DateUtil;

/**
 * Reads every cell of one worksheet straight from the .xlsx zip with a streaming (StAX) parser, resolving shared
 * strings, inline strings, number formats (styles) and shared formulas, so a 1,000,000-cell sheet is read in about a
 * second without building a workbook in memory.
 */
final class XlsxCells {

    /** A shared formula's first cell: the others are its text shifted by their distance from it. */
    private record SharedFormula(String text, int row, int column) {
    }

    private XlsxCells() {
    }

    static SheetCells read(Path file, int sheetId) throws IOException {
        try (ZipFile zip = XlsxSheets.openZip(file)) {
            XlsxSheets.CellParts parts = XlsxSheets.cellParts(zip, file, sheetId);
            List<String> strings = parts.sharedStrings() == null ? List.of()
                    : sharedStrings(zip, parts.sharedStrings(), file);
            String[] formats = parts.styles() == null ? new String[0] : styleFormats(zip, parts.styles(), file);
            ZipEntry sheet = zip.getEntry(parts.worksheet());
            if (sheet == null) {
                throw new XlsxSheets.NotAnXlsxException(file, "no worksheet part " + parts.worksheet(), null);
            }
            try (InputStream in = zip.getInputStream(sheet)) {
                return cells(XlsxSheets.xmlReader(in), strings, formats);
            } catch (XMLStreamException | RuntimeException e) {
                throw new XlsxSheets.NotAnXlsxException(file, parts.worksheet() + " cannot be read", e);
            }
        }
    }

    private static SheetCells cells(XMLStreamReader xml, List<String> strings, String[] formats)
            throws XMLStreamException {
        SheetCells.Builder cells = new SheetCells.Builder();
        Map<String, SharedFormula> sharedFormulas = new HashMap<>();
        int row = -1;
        int column = -1;
        while (xml.hasNext()) {
            if (xml.next() != XMLStreamConstants.START_ELEMENT) {
                continue;
            }
            switch (xml.getLocalName()) {
                case "col" -> {
                    if (isTrue(xml.getAttributeValue(null, "hidden"))) {
                        cells.hideColumns(Integer.parseInt(xml.getAttributeValue(null, "min")) - 1,
                                Integer.parseInt(xml.getAttributeValue(null, "max")) - 1);
                    }
                }
                case "row" -> {
                    String r = xml.getAttributeValue(null, "r");
                    row = r != null ? Integer.parseInt(r) - 1 : row + 1; // r is optional: rows then follow each other
                    column = -1;
                    if (isTrue(xml.getAttributeValue(null, "hidden"))) {
                        cells.hideRow(row);
                    }
                }
                case "c" -> {
                    String r = xml.getAttributeValue(null, "r");
                    column = r != null ? column(r) : column + 1;
                    cell(xml, row, column, strings, formats, sharedFormulas, cells);
                }
                default -> {
                    // sheet properties, views, merged cells…: not part of a range's values
                }
            }
        }
        return cells.build();
    }

    /** One {@code <c>} element, read to its end. */
    private static void cell(XMLStreamReader xml, int row, int column, List<String> strings, String[] formats,
                             Map<String, SharedFormula> sharedFormulas, SheetCells.Builder cells)
            throws XMLStreamException {
        String type = xml.getAttributeValue(null, "t");
        String s = xml.getAttributeValue(null, "s");
        int style = s == null ? 0 : Integer.parseInt(s);
        String value = null;
        String formula = null;
        while (true) {
            int event = xml.next();
            if (event == XMLStreamConstants.END_ELEMENT && xml.getLocalName().equals("c")) {
                break;
            }
            if (event != XMLStreamConstants.START_ELEMENT) {
                continue;
            }
            switch (xml.getLocalName()) {
                case "v" -> value = xml.getElementText();
                case "is" -> value = richText(xml, "is");
                case "f" -> {
                    boolean shared = "shared".equals(xml.getAttributeValue(null, "t"));
                    String index = xml.getAttributeValue(null, "si");
                    String text = xml.getElementText();
                    if (shared && text.isEmpty()) {
                        SharedFormula first = sharedFormulas.get(index);
                        formula = first == null ? null
                                : FormulaRefs.shift(first.text(), row - first.row(), column - first.column());
                    } else {
                        formula = text.isEmpty() ? null : text;
                        if (shared) {
                            sharedFormulas.put(index, new SharedFormula(text, row, column));
                        }
                    }
                }
                default -> {
                    // extensions: nothing a range shows
                }
            }
        }
        SheetCells.Kind kind;
        double number = 0;
        String text = null;
        switch (type == null ? "n" : type) {
            case "s" -> {
                kind = SheetCells.Kind.STRING;
                text = value == null ? "" : strings.get(Integer.parseInt(value.trim()));
            }
            case "inlineStr", "str" -> {
                kind = SheetCells.Kind.STRING;
                text = value == null ? "" : value;
            }
            case "b" -> {
                kind = SheetCells.Kind.BOOLEAN;
                number = "1".equals(value) || "true".equals(value) ? 1 : 0;
            }
            case "e" -> {
                kind = SheetCells.Kind.ERROR;
                text = value;
            }
            case "d" -> {
                kind = value == null ? SheetCells.Kind.EMPTY : SheetCells.Kind.NUMBER;
                number = value == null ? 0 : isoDateSerial(value);
            }
            default -> {
                kind = value == null || value.isEmpty() ? SheetCells.Kind.EMPTY : SheetCells.Kind.NUMBER;
                number = kind == SheetCells.Kind.NUMBER ? Double.parseDouble(value) : 0;
            }
        }
        String format = style < formats.length ? formats[style] : null;
        cells.add(row, column, kind, number, text, format, formula, style != 0);
    }

    /** Zero-based column of an A1 reference, read without a regex: this runs once per cell. */
    private static int column(String reference) {
        int n = 0;
        for (int i = 0; i < reference.length(); i++) {
            char c = reference.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                n = n * 26 + (c - 'A' + 1);
            } else if (c >= 'a' && c <= 'z') {
                n = n * 26 + (c - 'a' + 1);
            } else if (c != '$') {
                break;
            }
        }
        return n - 1;
    }

    /** {@code t="d"} cells hold ISO 8601 text; Excel shows them as serial numbers like any date. */
    private static double isoDateSerial(String value) {
        try {
            return DateUtil.getExcelDate(value.contains("T") ? LocalDateTime.parse(value)
                    : LocalDate.parse(value).atStartOfDay());
        } catch (DateTimeParseException e) {
            return 0;
        }
    }

    /** The text of {@code <si>} or {@code <is>}: its runs' {@code <t>} joined, phonetic guides left out. */
    private static String richText(XMLStreamReader xml, String element) throws XMLStreamException {
        StringBuilder text = new StringBuilder();
        boolean phonetic = false;
        while (true) {
            int event = xml.next();
            if (event == XMLStreamConstants.START_ELEMENT) {
                switch (xml.getLocalName()) {
                    case "rPh" -> phonetic = true;
                    case "t" -> {
                        String t = xml.getElementText();
                        if (!phonetic) {
                            text.append(t);
                        }
                    }
                    default -> {
                        // run properties
                    }
                }
            } else if (event == XMLStreamConstants.END_ELEMENT) {
                if (xml.getLocalName().equals("rPh")) {
                    phonetic = false;
                } else if (xml.getLocalName().equals(element)) {
                    return text.toString();
                }
            }
        }
    }

    private static List<String> sharedStrings(ZipFile zip, String part, Path file) throws IOException {
        List<String> strings = new ArrayList<>();
        ZipEntry entry = zip.getEntry(part);
        if (entry == null) {
            return strings;
        }
        try (InputStream in = zip.getInputStream(entry)) {
            XMLStreamReader xml = XlsxSheets.xmlReader(in);
            while (xml.hasNext()) {
                if (xml.next() == XMLStreamConstants.START_ELEMENT && xml.getLocalName().equals("si")) {
                    strings.add(richText(xml, "si"));
                }
            }
        } catch (XMLStreamException e) {
            throw new XlsxSheets.NotAnXlsxException(file, part + " is not well-formed XML", e);
        }
        return strings;
    }

    /** The number format code of each cell style ({@code <cellXfs>}), by style index. */
    private static String[] styleFormats(ZipFile zip, String part, Path file) throws IOException {
        Map<Integer, String> custom = new HashMap<>();
        List<Integer> styleFormatIds = new ArrayList<>();
        ZipEntry entry = zip.getEntry(part);
        if (entry == null) {
            return new String[0];
        }
        try (InputStream in = zip.getInputStream(entry)) {
            XMLStreamReader xml = XlsxSheets.xmlReader(in);
            boolean inCellXfs = false;
            while (xml.hasNext()) {
                int event = xml.next();
                if (event == XMLStreamConstants.END_ELEMENT && xml.getLocalName().equals("cellXfs")) {
                    inCellXfs = false;
                }
                if (event != XMLStreamConstants.START_ELEMENT) {
                    continue;
                }
                switch (xml.getLocalName()) {
                    case "numFmt" -> custom.put(Integer.parseInt(xml.getAttributeValue(null, "numFmtId")),
                            xml.getAttributeValue(null, "formatCode"));
                    case "cellXfs" -> inCellXfs = true;
                    case "xf" -> {
                        if (inCellXfs) { // cellStyleXfs has <xf> elements too: the named styles, not the cells'
                            String id = xml.getAttributeValue(null, "numFmtId");
                            styleFormatIds.add(id == null ? 0 : Integer.parseInt(id));
                        }
                    }
                    default -> {
                        // fonts, fills, borders
                    }
                }
            }
        } catch (XMLStreamException | NumberFormatException e) {
            throw new XlsxSheets.NotAnXlsxException(file, part + " cannot be read", e);
        }
        String[] formats = new String[styleFormatIds.size()];
        for (int i = 0; i < formats.length; i++) {
            int id = styleFormatIds.get(i);
            formats[i] = custom.containsKey(id) ? custom.get(id) : builtinFormat(id);
        }
        return formats;
    }

    /**
     * A built-in format as Excel (en-US) names it: the short date is {@code m/d/yyyy} there, where POI's table keeps
     * the older {@code m/d/yy}; formats it does not know read as General.
     */
    private static String builtinFormat(int id) {
        return switch (id) {
            case 14 -> "m/d/yyyy";
            case 22 -> "m/d/yyyy h:mm";
            default -> {
                String format = BuiltinFormats.getBuiltinFormat(id);
                yield format == null ? "General" : format;
            }
        };
    }

    private static boolean isTrue(String flag) {
        return "1".equals(flag) || "true".equals(flag);
    }
}

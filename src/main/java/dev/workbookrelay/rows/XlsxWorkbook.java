package dev.workbookrelay.rows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.workbookrelay.graph.RangeAddress;
import dev.workbookrelay.rows.SheetReader.SheetRows;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * A downloaded .xlsx read the way Excel's workbook API would answer it, for workbooks too big for that API or refused
 * by it. The sheet XML is streamed (StAX), twice: once for the used range (cells with values), once for the rows; no
 * sheet is ever held as a document. The shared strings are read once per workbook into a table on disk
 * ({@link SharedStrings}: a sheet of many distinct texts does not fill the heap), the styles' number formats into
 * memory (a few hundred at most).
 * Cells go through {@link CellValues} with the type and number format the workbook API would report, so a cell gives
 * the same JSON whichever path read it.
 */
public final class XlsxWorkbook implements AutoCloseable {

    /**
     * The file is not a workbook this reader understands (not a zip, a part missing, XML it cannot read, more shared
     * text than it accepts): its workbook is skipped, and read again next sync.
     */
    public static final class UnreadableWorkbookException extends RuntimeException {

        /** The code a skipped workbook is listed with in the sync's status. */
        public static final String CODE = "unreadableWorkbook";

        UnreadableWorkbookException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static final XMLInputFactory XML = XMLInputFactory.newFactory();
    /**
     * The shared strings are written to the scratch folder while the workbook is read: past this many characters, or
     * this many strings (a zip bomb, or a workbook far beyond Excel's own limits), the file is refused rather than the
     * disk filled.
     */
    static final long MAX_SHARED_TEXT = 32_000_000;

    static {
        // a workbook is untrusted input: no DTDs, no external entities
        XML.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        XML.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        XML.setProperty(XMLInputFactory.IS_COALESCING, true);
    }

    private final ZipFile zip;
    /** Worksheet name (lower case) → its part in the zip. */
    private final Map<String, String> sheetParts;
    private final SharedStrings sharedStrings;
    /** Cell style index → the number format Excel would report for it. */
    private final String[] styleFormats;
    private final ScratchDirectory scratch;

    private XlsxWorkbook(ZipFile zip, Map<String, String> sheetParts, SharedStrings sharedStrings,
            String[] styleFormats, ScratchDirectory scratch) {
        this.zip = zip;
        this.sheetParts = sheetParts;
        this.sharedStrings = sharedStrings;
        this.styleFormats = styleFormats;
        this.scratch = scratch;
    }

    /** @param scratch where a sheet's rows are spooled while it is aligned */
    public static XlsxWorkbook open(Path file, ScratchDirectory scratch) {
        ZipFile zip;
        try {
            zip = new ZipFile(file.toFile());
        } catch (IOException e) {
            throw new UnreadableWorkbookException("the downloaded file is not an .xlsx (not a zip): " + e.getMessage(),
                    e);
        }
        try {
            String root = "_rels/.rels";
            String workbookPart = Objects.requireNonNullElse(zip.getEntry(root) == null ? null
                    : byType(relationships(zip, root, ""), "/officeDocument"), "xl/workbook.xml");
            List<Relationship> parts = relationships(zip, folder(workbookPart) + "_rels/"
                    + workbookPart.substring(workbookPart.lastIndexOf('/') + 1) + ".rels", folder(workbookPart));
            Map<String, String> sheets = sheets(zip, workbookPart, parts);
            String stringsPart = byType(parts, "/sharedStrings");
            String stylesPart = byType(parts, "/styles");
            String[] formats = stylesPart == null ? new String[0] : styleFormats(zip, stylesPart);
            return new XlsxWorkbook(zip, sheets, sharedStrings(zip, stringsPart, scratch), formats, scratch);
        } catch (RuntimeException e) {
            closeQuietly(zip);
            throw e;
        }
    }

    /** The used range of a worksheet, as {@code usedRange(valuesOnly=true)} answers it ({@code A1} when blank). */
    public RangeAddress usedRange(String sheetName) {
        int[] bounds = {Integer.MAX_VALUE, Integer.MAX_VALUE, 0, 0};
        forEachCell(part(sheetName), (row, column, value) -> {
            bounds[0] = Math.min(bounds[0], row);
            bounds[1] = Math.min(bounds[1], column);
            bounds[2] = Math.max(bounds[2], row);
            bounds[3] = Math.max(bounds[3], column);
        }, Integer.MAX_VALUE);
        return bounds[2] == 0 ? new RangeAddress(1, 1, 1, 1)
                : new RangeAddress(bounds[0], bounds[1], bounds[2], bounds[3]);
    }

    /** A worksheet's rows, as {@link SheetReader#read(dev.workbookrelay.graph.GraphGet, String, RowOptions)}. */
    public SheetRows read(String sheetName, RowOptions options) {
        RangeAddress used = usedRange(sheetName);
        return read(sheetName, used, options.headerRow() != null ? options.headerRow() : used.firstRow(),
                options.rowKey());
    }

    /**
     * The rows of an area of a worksheet, as {@link SheetReader#read(dev.workbookrelay.graph.GraphGet, String,
     * RangeAddress, int, String)}.
     *
     * @param headerRow the sheet row holding the header; 0: the area has none
     */
    public SheetRows read(String sheetName, RangeAddress area, int headerRow, String rowKey) {
        AreaRows rows = new AreaRows(area, headerRow, rowKey, scratch);
        try {
            forEachCell(part(sheetName), rows, area.lastRow());
            return rows.finish();
        } catch (RuntimeException e) {
            rows.abandon();
            throw e;
        }
    }

    /** An area's cells gathered row by row, each row handed on whole once the next begins. */
    private static final class AreaRows implements CellVisitor {

        private final RangeAddress area;
        private final int headerRow;
        private final int firstRow;
        private final String rowKey;
        private final JsonNode[] header;
        private final ScratchDirectory scratch;
        private SheetRowsBuilder rows;
        private JsonNode[] current;
        private int currentRow;

        AreaRows(RangeAddress area, int headerRow, String rowKey, ScratchDirectory scratch) {
            this.area = area;
            this.headerRow = headerRow;
            this.firstRow = Math.max(headerRow + 1, area.firstRow());
            this.rowKey = rowKey;
            this.header = new JsonNode[area.columnCount()];
            this.scratch = scratch;
        }

        @Override
        public void cell(int row, int column, JsonNode value) {
            if (column < area.firstColumn() || column > area.lastColumn()) {
                return;
            }
            if (row == headerRow) {
                header[column - area.firstColumn()] = value;
            } else if (row >= firstRow && row <= area.lastRow()) {
                if (row != currentRow) {
                    endRow();
                    currentRow = row;
                    current = new JsonNode[area.columnCount()];
                }
                current[column - area.firstColumn()] = value;
            }
        }

        SheetRows finish() {
            endRow();
            return rows().build();
        }

        void abandon() {
            if (rows != null) {
                rows.abandon();
            }
        }

        private void endRow() {
            if (current != null) {
                rows().row(currentRow, Arrays.asList(current));
                current = null;
            }
        }

        /** Made at the first row below the header: the header row comes first in the sheet's XML. */
        private SheetRowsBuilder rows() {
            if (rows == null) {
                rows = new SheetRowsBuilder(Arrays.asList(header), area.firstColumn(), rowKey, scratch);
            }
            return rows;
        }
    }

    @Override
    public void close() {
        sharedStrings.close();
        closeQuietly(zip);
    }

    private interface CellVisitor {
        /** A cell with a value (1-based row and column), as users mean it. */
        void cell(int row, int column, JsonNode value);
    }

    private String part(String sheetName) {
        String part = sheetName == null ? null : sheetParts.get(sheetName.toLowerCase(Locale.ROOT));
        if (part == null) {
            throw new UnreadableWorkbookException("the downloaded file has no worksheet named " + sheetName, null);
        }
        return part;
    }

    /** Streams a worksheet's cells with values, in sheet order, up to row {@code lastRow}. */
    private void forEachCell(String part, CellVisitor visitor, int lastRow) {
        try (InputStream in = entry(zip, part)) {
            XMLStreamReader xml = XML.createXMLStreamReader(in);
            int row = 0;
            int column = 0;
            String type = null;
            int style = 0;
            String value = null;
            StringBuilder inline = null;
            cells:
            while (xml.hasNext()) {
                int event = xml.next();
                if (event == XMLStreamConstants.START_ELEMENT) {
                    switch (xml.getLocalName()) {
                        case "row" -> {
                            String r = xml.getAttributeValue(null, "r");
                            row = r == null ? row + 1 : Integer.parseInt(r);
                            column = 0;
                            if (row > lastRow) {
                                break cells;
                            }
                        }
                        case "c" -> {
                            String ref = xml.getAttributeValue(null, "r");
                            column = ref == null ? column + 1 : RangeAddress.column(letters(ref));
                            type = xml.getAttributeValue(null, "t");
                            String s = xml.getAttributeValue(null, "s");
                            style = s == null ? 0 : Integer.parseInt(s);
                            value = null;
                            inline = null;
                        }
                        case "v" -> value = xml.getElementText();
                        case "is" -> inline = new StringBuilder();
                        case "t" -> {
                            if (inline != null) {
                                inline.append(xml.getElementText());
                            }
                        }
                        case "rPh" -> skip(xml); // phonetic guide text is not the cell's value
                        case "f" -> xml.getElementText();
                        default -> {
                        }
                    }
                } else if (event == XMLStreamConstants.END_ELEMENT && xml.getLocalName().equals("c")) {
                    JsonNode cell = cell(type, value, inline, style);
                    if (cell != null) {
                        visitor.cell(row, column, cell);
                    }
                    inline = null;
                } else if (event == XMLStreamConstants.END_ELEMENT && xml.getLocalName().equals("sheetData")) {
                    break;
                }
            }
            xml.close();
        } catch (IOException | XMLStreamException | RuntimeException e) {
            throw unreadable("worksheet " + part, e);
        }
    }

    /** A cell as the workbook API would give it: raw value, value type and number format, then as users mean it. */
    private JsonNode cell(String type, String v, StringBuilder inline, int style) {
        String format = style < styleFormats.length ? styleFormats[style] : "General";
        String t = type == null ? "n" : type;
        return switch (t) {
            case "s" -> v == null ? null : CellValues.value(TextNode.valueOf(sharedString(v)), "String", format);
            case "inlineStr" -> inline == null ? null
                    : CellValues.value(TextNode.valueOf(inline.toString()), "String", format);
            case "str" -> v == null ? null : CellValues.value(TextNode.valueOf(v), "String", format);
            case "b" -> v == null ? null : CellValues.value(BooleanNode.valueOf("1".equals(v.trim())
                    || "true".equalsIgnoreCase(v.trim())), "Boolean", format);
            case "e" -> v == null ? null : CellValues.value(TextNode.valueOf(v), "Error", format);
            case "d" -> v == null ? null : CellValues.value(DoubleNode.valueOf(serial(v)), "Double", format);
            default -> v == null || v.isBlank() ? null
                    : CellValues.value(DoubleNode.valueOf(Double.parseDouble(v.trim())), "Double", format);
        };
    }

    private String sharedString(String index) {
        int i = Integer.parseInt(index.trim());
        if (i < 0 || i >= sharedStrings.size()) {
            throw new UnreadableWorkbookException("a cell names shared string " + i + " of " + sharedStrings.size(),
                    null);
        }
        return sharedStrings.get(i);
    }

    /** An ISO-8601 cell ({@code t="d"}, rare) as the serial number Excel keeps for it. */
    private static double serial(String iso) {
        try {
            LocalDateTime at = iso.contains("T") ? LocalDateTime.parse(iso.trim().replace("Z", ""))
                    : iso.contains(":") && !iso.contains("-") ? LocalDateTime.of(LocalDate.of(1899, 12, 30),
                            LocalTime.parse(iso.trim()))
                    : LocalDate.parse(iso.trim()).atStartOfDay();
            double days = Duration.between(LocalDate.of(1899, 12, 30).atStartOfDay(), at).toMillis() / 86_400_000.0;
            return days < 61 ? days - 1 : days;
        } catch (DateTimeParseException e) {
            throw new UnreadableWorkbookException("a date cell holds " + iso, e);
        }
    }

    private static String letters(String ref) {
        int end = 0;
        while (end < ref.length() && Character.isLetter(ref.charAt(end))) {
            end++;
        }
        return ref.substring(0, end);
    }

    // ---- the workbook's parts

    private static Map<String, String> sheets(ZipFile zip, String workbookPart, List<Relationship> parts) {
        Map<String, String> relTargets = new HashMap<>();
        parts.forEach(r -> relTargets.put(r.id(), r.target()));
        Map<String, String> sheets = new HashMap<>();
        read(zip, workbookPart, xml -> {
            if (xml.getLocalName().equals("sheet")) {
                String name = xml.getAttributeValue(null, "name");
                String target = relTargets.get(relationshipId(xml));
                if (name != null && target != null) {
                    sheets.put(name.toLowerCase(Locale.ROOT), target);
                }
            }
        });
        return sheets;
    }

    /** The {@code r:id} attribute, whatever the relationships namespace (transitional or strict). */
    private static String relationshipId(XMLStreamReader xml) {
        for (int i = 0; i < xml.getAttributeCount(); i++) {
            if (xml.getAttributeLocalName(i).equals("id") && xml.getAttributeNamespace(i) != null) {
                return xml.getAttributeValue(i);
            }
        }
        return null;
    }

    /** One relationship of a part: its id, type and target (resolved to a part name). */
    private record Relationship(String id, String type, String target) {
    }

    /** The relationships a {@code .rels} part lists, read once. */
    private static List<Relationship> relationships(ZipFile zip, String relsPart, String base) {
        List<Relationship> relationships = new ArrayList<>();
        read(zip, relsPart, xml -> {
            if (xml.getLocalName().equals("Relationship")) {
                relationships.add(new Relationship(xml.getAttributeValue(null, "Id"),
                        xml.getAttributeValue(null, "Type"), resolve(base, xml.getAttributeValue(null, "Target"))));
            }
        });
        return relationships;
    }

    /** The target of the first relationship whose type ends with {@code typeSuffix}; null when there is none. */
    private static String byType(List<Relationship> relationships, String typeSuffix) {
        return relationships.stream().filter(r -> r.type() != null && r.type().endsWith(typeSuffix))
                .map(Relationship::target).findFirst().orElse(null);
    }

    /** The shared strings part (none: an empty table), written to the scratch folder as it is read. */
    private static SharedStrings sharedStrings(ZipFile zip, String part, ScratchDirectory scratch) {
        SharedStrings strings = SharedStrings.create(scratch);
        try {
            if (part != null) {
                readSharedStrings(zip, part, strings);
            }
            return strings.seal();
        } catch (RuntimeException e) {
            strings.close();
            throw e;
        }
    }

    private static void readSharedStrings(ZipFile zip, String part, SharedStrings strings) {
        StringBuilder[] item = {null};
        long[] text = {0};
        read(zip, part, xml -> {
            switch (xml.getLocalName()) {
                case "si" -> {
                    if (item[0] != null) {
                        strings.add(item[0].toString());
                    }
                    if (strings.size() >= MAX_SHARED_TEXT) {
                        throw new UnreadableWorkbookException("the downloaded file holds more than "
                                + MAX_SHARED_TEXT + " shared strings", null);
                    }
                    item[0] = new StringBuilder();
                }
                case "rPh" -> skip(xml);
                case "t" -> {
                    if (item[0] != null) {
                        String run = xml.getElementText();
                        item[0].append(run);
                        text[0] += run.length();
                        if (text[0] > MAX_SHARED_TEXT) {
                            throw new UnreadableWorkbookException("the downloaded file's shared strings hold more"
                                    + " than " + MAX_SHARED_TEXT + " characters", null);
                        }
                    }
                }
                default -> {
                }
            }
        });
        if (item[0] != null) {
            strings.add(item[0].toString());
        }
    }

    private static String[] styleFormats(ZipFile zip, String part) {
        Map<Integer, String> custom = new HashMap<>();
        List<String> formats = new ArrayList<>();
        boolean[] inCellXfs = {false};
        read(zip, part, xml -> {
            switch (xml.getLocalName()) {
                case "numFmt" -> custom.put(Integer.valueOf(xml.getAttributeValue(null, "numFmtId")),
                        xml.getAttributeValue(null, "formatCode"));
                case "cellXfs" -> inCellXfs[0] = true;
                case "cellStyles", "dxfs", "cellStyleXfs" -> inCellXfs[0] = false;
                case "xf" -> {
                    if (inCellXfs[0]) {
                        String id = xml.getAttributeValue(null, "numFmtId");
                        int n = id == null ? 0 : Integer.parseInt(id);
                        formats.add(custom.containsKey(n) ? custom.get(n) : builtinFormat(n));
                    }
                }
                default -> {
                }
            }
        });
        return formats.toArray(String[]::new);
    }

    /**
     * Excel's built-in number formats as its en-US workbook API names them. Only whether a format shows a date, a
     * time or a number matters here; the East Asian date formats (27–36, 50–58) read as dates.
     */
    static String builtinFormat(int id) {
        return switch (id) {
            case 1 -> "0";
            case 2 -> "0.00";
            case 3 -> "#,##0";
            case 4 -> "#,##0.00";
            case 9 -> "0%";
            case 10 -> "0.00%";
            case 11 -> "0.00E+00";
            case 12 -> "# ?/?";
            case 13 -> "# ??/??";
            case 14 -> "m/d/yyyy";
            case 15 -> "d-mmm-yy";
            case 16 -> "d-mmm";
            case 17 -> "mmm-yy";
            case 18 -> "h:mm AM/PM";
            case 19 -> "h:mm:ss AM/PM";
            case 20 -> "h:mm";
            case 21 -> "h:mm:ss";
            case 22 -> "m/d/yyyy h:mm";
            case 27, 28, 29, 30, 31, 34, 35, 36, 50, 51, 52, 53, 54, 57, 58 -> "yyyy/m/d";
            case 32, 33, 55, 56 -> "h:mm:ss";
            case 45 -> "mm:ss";
            case 46 -> "[h]:mm:ss";
            case 47 -> "mm:ss.0";
            case 49 -> "@";
            default -> "General";
        };
    }

    private interface StartElement {
        void at(XMLStreamReader xml) throws XMLStreamException;
    }

    /** Streams a small part (workbook, relationships, styles, shared strings), calling back at each element. */
    private static void read(ZipFile zip, String part, StartElement onStart) {
        try (InputStream in = entry(zip, part)) {
            XMLStreamReader xml = XML.createXMLStreamReader(in);
            while (xml.hasNext()) {
                if (xml.next() == XMLStreamConstants.START_ELEMENT) {
                    onStart.at(xml);
                }
            }
            xml.close();
        } catch (IOException | XMLStreamException | RuntimeException e) {
            throw unreadable("part " + part, e);
        }
    }

    /** Why a part could not be read, said once whatever failed (this reader's own refusals pass unchanged). */
    private static UnreadableWorkbookException unreadable(String what, Exception e) {
        return e instanceof UnreadableWorkbookException u ? u
                : new UnreadableWorkbookException("the downloaded file's " + what + " cannot be read: "
                        + e.getMessage(), e);
    }

    private static InputStream entry(ZipFile zip, String part) throws IOException {
        ZipEntry entry = zip.getEntry(part);
        if (entry == null) {
            throw new UnreadableWorkbookException("the downloaded file has no part " + part, null);
        }
        return zip.getInputStream(entry);
    }

    /** Skips the element the reader is at, children included. */
    private static void skip(XMLStreamReader xml) throws XMLStreamException {
        for (int depth = 1; depth > 0; ) {
            int event = xml.next();
            depth += event == XMLStreamConstants.START_ELEMENT ? 1 : event == XMLStreamConstants.END_ELEMENT ? -1 : 0;
        }
    }

    /** {@code xl/} + {@code worksheets/sheet1.xml}, or an absolute {@code /xl/worksheets/sheet1.xml}. */
    private static String resolve(String base, String target) {
        if (target == null) {
            return null;
        }
        String path = target.startsWith("/") ? target.substring(1) : base + target;
        List<String> parts = new ArrayList<>();
        for (String segment : path.split("/")) {
            if (segment.equals("..")) {
                if (!parts.isEmpty()) {
                    parts.remove(parts.size() - 1);
                }
            } else if (!segment.isEmpty() && !segment.equals(".")) {
                parts.add(segment);
            }
        }
        return String.join("/", parts);
    }

    private static String folder(String part) {
        int slash = part.lastIndexOf('/');
        return slash < 0 ? "" : part.substring(0, slash + 1);
    }

    private static void closeQuietly(ZipFile zip) {
        try {
            zip.close();
        } catch (IOException ignored) {
            // nothing was written
        }
    }
}

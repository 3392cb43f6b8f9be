package dev.workbookrelay.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reads the worksheet list of an .xlsx straight from its zip: the workbook part named by the package
 * relationships, its {@code <sheet>} elements in order, and the workbook relationships to leave chart and
 * dialog sheets out (Excel's worksheets collection holds worksheets only).
 */
public final class XlsxSheets {

    /** One worksheet: {@code position} is its zero-based place among the worksheets, in workbook order. */
    public record Sheet(String name, int sheetId, WorksheetVisibility visibility, int position) {
    }

    /** The file is not a readable Office Open XML workbook. */
    public static final class NotAnXlsxException extends IOException {
        NotAnXlsxException(Path file, String reason, Throwable cause) {
            super(file + " is not a readable .xlsx workbook: " + reason, cause);
        }
    }

    private static final String RELATIONSHIPS_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    private static final String STRICT_RELATIONSHIPS_NS = "http://purl.oclc.org/ooxml/officeDocument/relationships";
    private static final String DEFAULT_WORKBOOK = "xl/workbook.xml";

    /**
     * Where a worksheet's cells and what they refer to are stored: zip entry names of the sheet part, and of the shared
     * strings and styles parts (null when the workbook has none).
     */
    record CellParts(String worksheet, String sharedStrings, String styles) {
    }

    private XlsxSheets() {
    }

    public static List<Sheet> read(Path file) throws IOException {
        try (ZipFile zip = openZip(file)) {
            String workbookPart = workbookPart(zip, file);
            ZipEntry workbook = zip.getEntry(workbookPart);
            if (workbook == null) {
                throw new NotAnXlsxException(file, "no workbook part " + workbookPart, null);
            }
            Map<String, String> relationTypes = relationships(zip, relationshipsPartOf(workbookPart), file);
            return sheets(zip, workbook, relationTypes, file);
        }
    }

    /** The parts of the worksheet with this {@code sheetId}; {@link NotAnXlsxException} when it has none. */
    static CellParts cellParts(ZipFile zip, Path file, int sheetId) throws IOException {
        String workbookPart = workbookPart(zip, file);
        Map<String, String> targets = new HashMap<>();
        Map<String, String> types = relationships(zip, relationshipsPartOf(workbookPart), file, targets);
        String sharedStrings = null;
        String styles = null;
        for (Map.Entry<String, String> relation : types.entrySet()) {
            if (relation.getValue().endsWith("/sharedStrings")) {
                sharedStrings = resolve(workbookPart, targets.get(relation.getKey()));
            } else if (relation.getValue().endsWith("/styles")) {
                styles = resolve(workbookPart, targets.get(relation.getKey()));
            }
        }
        ZipEntry workbook = zip.getEntry(workbookPart);
        if (workbook == null) {
            throw new NotAnXlsxException(file, "no workbook part " + workbookPart, null);
        }
        try (InputStream in = zip.getInputStream(workbook)) {
            XMLStreamReader xml = xmlReader(in);
            while (xml.hasNext()) {
                if (xml.next() == XMLStreamConstants.START_ELEMENT && xml.getLocalName().equals("sheet")
                        && String.valueOf(sheetId).equals(xml.getAttributeValue(null, "sheetId"))) {
                    String target = targets.get(relationId(xml));
                    if (target == null) {
                        break;
                    }
                    return new CellParts(resolve(workbookPart, target), sharedStrings, styles);
                }
            }
        } catch (XMLStreamException e) {
            throw new NotAnXlsxException(file, workbookPart + " is not well-formed XML", e);
        }
        throw new NotAnXlsxException(file, "no worksheet part for sheetId " + sheetId, null);
    }

    /**
     * The part of each worksheet (chart and dialog sheets left out) by {@code sheetId}, in workbook order; for readers
     * of what hangs off a worksheet, such as its tables.
     */
    static Map<Integer, String> worksheetParts(ZipFile zip, Path file) throws IOException {
        String workbookPart = workbookPart(zip, file);
        Map<String, String> targets = new HashMap<>();
        Map<String, String> types = relationships(zip, relationshipsPartOf(workbookPart), file, targets);
        ZipEntry workbook = zip.getEntry(workbookPart);
        if (workbook == null) {
            throw new NotAnXlsxException(file, "no workbook part " + workbookPart, null);
        }
        Map<Integer, String> parts = new java.util.LinkedHashMap<>();
        try (InputStream in = zip.getInputStream(workbook)) {
            XMLStreamReader xml = xmlReader(in);
            while (xml.hasNext()) {
                if (xml.next() != XMLStreamConstants.START_ELEMENT || !xml.getLocalName().equals("sheet")) {
                    continue;
                }
                String id = relationId(xml);
                if (String.valueOf(types.get(id)).endsWith("/worksheet") && targets.get(id) != null) {
                    parts.put(parseSheetId(xml.getAttributeValue(null, "sheetId"), file),
                            resolve(workbookPart, targets.get(id)));
                }
            }
        } catch (XMLStreamException e) {
            throw new NotAnXlsxException(file, workbookPart + " is not well-formed XML", e);
        }
        return parts;
    }

    /** The targets of a part's relationships of a type ending in {@code typeSuffix}, as zip entry names, in order. */
    static List<String> relatedParts(ZipFile zip, Path file, String part, String typeSuffix) throws IOException {
        Map<String, String> targets = new java.util.LinkedHashMap<>();
        Map<String, String> types = relationships(zip, relationshipsPartOf(part), file, targets);
        List<String> related = new ArrayList<>();
        targets.forEach((id, target) -> {
            if (types.get(id).endsWith(typeSuffix)) {
                related.add(resolve(part, target));
            }
        });
        return related;
    }

    /** A relationship target as a zip entry name: absolute ({@code /xl/…}) or relative to the source part's folder. */
    private static String resolve(String sourcePart, String target) {
        if (target.startsWith("/")) {
            return target.substring(1);
        }
        String folder = sourcePart.substring(0, sourcePart.lastIndexOf('/') + 1);
        String resolved = folder + target;
        for (String before = null; !resolved.equals(before); ) {
            before = resolved;
            resolved = resolved.replaceFirst("[^/]+/\\.\\./", ""); // folder/../ → nothing
        }
        return resolved;
    }

    static ZipFile openZip(Path file) throws IOException {
        try {
            return new ZipFile(file.toFile());
        } catch (ZipException e) {
            throw new NotAnXlsxException(file, "not a zip archive", e);
        }
    }

    /** The target of the package's officeDocument relationship; transitional and strict files both use it. */
    private static String workbookPart(ZipFile zip, Path file) throws IOException {
        Map<String, String> targets = new HashMap<>();
        Map<String, String> types = relationships(zip, "_rels/.rels", file, targets);
        for (Map.Entry<String, String> relation : types.entrySet()) {
            if (relation.getValue().endsWith("/officeDocument")) {
                String target = targets.get(relation.getKey());
                return target.startsWith("/") ? target.substring(1) : target;
            }
        }
        return DEFAULT_WORKBOOK;
    }

    private static String relationshipsPartOf(String part) {
        int slash = part.lastIndexOf('/');
        String folder = slash < 0 ? "" : part.substring(0, slash + 1);
        return folder + "_rels/" + part.substring(slash + 1) + ".rels";
    }

    private static Map<String, String> relationships(ZipFile zip, String part, Path file) throws IOException {
        return relationships(zip, part, file, new HashMap<>());
    }

    /** Relationship id → type; fills {@code targets} with id → target. A missing part means no relationships. */
    private static Map<String, String> relationships(ZipFile zip, String part, Path file, Map<String, String> targets)
            throws IOException {
        Map<String, String> types = new HashMap<>();
        ZipEntry entry = zip.getEntry(part);
        if (entry == null) {
            return types;
        }
        try (InputStream in = zip.getInputStream(entry)) {
            XMLStreamReader xml = xmlReader(in);
            while (xml.hasNext()) {
                if (xml.next() == XMLStreamConstants.START_ELEMENT && xml.getLocalName().equals("Relationship")) {
                    String id = xml.getAttributeValue(null, "Id");
                    types.put(id, String.valueOf(xml.getAttributeValue(null, "Type")));
                    targets.put(id, String.valueOf(xml.getAttributeValue(null, "Target")));
                }
            }
        } catch (XMLStreamException e) {
            throw new NotAnXlsxException(file, part + " is not well-formed XML", e);
        }
        return types;
    }

    private static List<Sheet> sheets(ZipFile zip, ZipEntry workbook, Map<String, String> relationTypes, Path file)
            throws IOException {
        List<Sheet> sheets = new ArrayList<>();
        try (InputStream in = zip.getInputStream(workbook)) {
            XMLStreamReader xml = xmlReader(in);
            while (xml.hasNext()) {
                if (xml.next() != XMLStreamConstants.START_ELEMENT || !xml.getLocalName().equals("sheet")) {
                    continue;
                }
                String relationType = relationTypes.get(relationId(xml));
                if (relationType != null && !relationType.endsWith("/worksheet")) {
                    continue;
                }
                String name = xml.getAttributeValue(null, "name");
                int sheetId = parseSheetId(xml.getAttributeValue(null, "sheetId"), file);
                WorksheetVisibility visibility = WorksheetVisibility.fromState(xml.getAttributeValue(null, "state"));
                sheets.add(new Sheet(name, sheetId, visibility, sheets.size()));
            }
        } catch (XMLStreamException e) {
            throw new NotAnXlsxException(file, workbook.getName() + " is not well-formed XML", e);
        }
        return List.copyOf(sheets);
    }

    private static String relationId(XMLStreamReader xml) {
        String id = xml.getAttributeValue(RELATIONSHIPS_NS, "id");
        return id != null ? id : xml.getAttributeValue(STRICT_RELATIONSHIPS_NS, "id");
    }

    private static int parseSheetId(String value, Path file) throws NotAnXlsxException {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new NotAnXlsxException(file, "sheet without a numeric sheetId", e);
        }
    }

    static XMLStreamReader xmlReader(InputStream in) throws XMLStreamException {
        XMLInputFactory factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        return factory.createXMLStreamReader(in);
    }
}

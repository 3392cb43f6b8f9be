package dev.workbookrelay.graph;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The parts of a Graph driveItem the relay uses. Built from raw JSON and tolerant by design: driveItem is an
 * open type, documentation samples omit ids, delta omits {@code path}, OneDrive for Business tombstones omit
 * {@code name} and {@code cTag}, and the mime type is sometimes missing.
 */
public record DriveItem(
        String id,
        String name,
        Long size,
        String webUrl,
        String eTag,
        String cTag,
        String createdDateTime,
        String lastModifiedDateTime,
        Identity lastModifiedBy,
        String driveId,
        String parentId,
        String parentPath,
        String mimeType,
        boolean file,
        boolean folder,
        boolean deleted,
        boolean root) {

    public static final String XLSX_MIME_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public static DriveItem from(JsonNode item) {
        JsonNode parent = item.get("parentReference");
        JsonNode fileFacet = item.get("file");
        return new DriveItem(
                text(item, "id"),
                text(item, "name"),
                item.hasNonNull("size") ? item.get("size").asLong() : null,
                text(item, "webUrl"),
                text(item, "eTag"),
                text(item, "cTag"),
                text(item, "createdDateTime"),
                text(item, "lastModifiedDateTime"),
                Identity.from(item.get("lastModifiedBy")),
                text(parent, "driveId"),
                text(parent, "id"),
                folderPath(text(parent, "path")),
                text(fileFacet, "mimeType"),
                fileFacet != null && !fileFacet.isNull(),
                item.hasNonNull("folder"),
                item.hasNonNull("deleted"),
                item.hasNonNull("root"));
    }

    /**
     * An Excel workbook the workbook API can open: a live file that is {@code .xlsx} by mime type, or by name
     * where Graph gave no mime type. {@code .xls}, {@code .xlsm}, CSV and folders are not.
     */
    public boolean isWorkbook() {
        if (deleted || folder || root || id == null) {
            return false;
        }
        if (mimeType != null) {
            return XLSX_MIME_TYPE.equalsIgnoreCase(mimeType);
        }
        return name != null && name.toLowerCase(Locale.ROOT).endsWith(".xlsx");
    }

    /**
     * {@code /drive/root:/Finance/Reports} or {@code /drives/b!x/root:/Finance} → {@code /Finance/Reports},
     * {@code /Finance}; the root folder itself → {@code /}. Null when Graph did not send a path.
     */
    static String folderPath(String graphPath) {
        if (graphPath == null) {
            return null;
        }
        int root = graphPath.indexOf("root:");
        String rest = root < 0 ? graphPath : graphPath.substring(root + "root:".length());
        rest = URLDecoder.decode(rest.replace("+", "%2B"), StandardCharsets.UTF_8);
        if (rest.isEmpty() || rest.equals("/")) {
            return "/";
        }
        return rest.startsWith("/") ? rest : "/" + rest;
    }

    private static String text(JsonNode node, String field) {
        if (node == null) {
            return null;
        }
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}

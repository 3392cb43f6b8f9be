package dev.workbookrelay.sandbox;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * driveItem JSON in the shape OneDrive for Business / SharePoint sends it: brace-GUID eTag and cTag (no cTag on
 * folders), {@code file} with mimeType and quickXorHash, {@code folder} with childCount, second-precision UTC
 * dates, and tombstones without name or cTag.
 */
final class DriveItemJson {

    static final ObjectMapper MAPPER = new ObjectMapper();
    static final String DRIVE_TYPE = "business";

    private static final Map<String, String> MIME_TYPES = Map.of(
            "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsm", "application/vnd.ms-excel.sheet.macroEnabled.12",
            "xls", "application/vnd.ms-excel",
            "csv", "text/csv",
            "txt", "text/plain");

    private DriveItemJson() {
    }

    /**
     * @param pathPrefix {@code /drive/root:} or {@code /drives/{id}/root:} to include {@code parentReference.path};
     *                   null to leave it out (delta items, per the docs)
     */
    static ObjectNode item(EmulatedDrive drive, DriveEntry entry, String pathPrefix, Selection select) {
        String guid = ItemIds.itemGuid(entry.id());
        ObjectNode json = MAPPER.createObjectNode();
        json.put("@odata.type", "#microsoft.graph.driveItem");
        json.put("createdDateTime", date(entry.created()));
        json.put("eTag", "\"{" + guid + "}," + entry.eTagVersion() + "\"");
        json.put("id", entry.id());
        json.put("lastModifiedDateTime", date(entry.lastModified()));
        json.put("name", entry.name());
        json.put("webUrl", entry.root() ? drive.webUrl : drive.webUrl + "/" + encodePath(entry.relPath()));
        if (!entry.folder()) {
            json.put("cTag", "\"c:{" + guid + "}," + entry.cTagVersion() + "\"");
        }
        json.put("size", entry.size());
        json.set("createdBy", identity(drive));
        json.set("lastModifiedBy", identity(drive));
        ObjectNode parent = json.putObject("parentReference");
        parent.put("driveType", DRIVE_TYPE);
        parent.put("driveId", drive.driveId);
        if (!entry.root()) {
            parent.put("id", entry.parentId());
            if (pathPrefix != null) {
                String folder = entry.parentRelPath();
                parent.put("path", folder.isEmpty() ? pathPrefix : pathPrefix + "/" + folder);
            }
        }
        if (entry.folder()) {
            json.putObject("folder").put("childCount", entry.childCount());
        } else {
            ObjectNode file = json.putObject("file");
            file.put("mimeType", mimeType(entry.name()));
            file.putObject("hashes").put("quickXorHash", entry.quickXorHash());
        }
        ObjectNode fileSystemInfo = json.putObject("fileSystemInfo");
        fileSystemInfo.put("createdDateTime", date(entry.created()));
        fileSystemInfo.put("lastModifiedDateTime", date(entry.lastModified()));
        if (entry.root()) {
            json.putObject("root");
        }
        return select.apply(json);
    }

    /** OneDrive for Business tombstone: no name, no cTag, size 0, an empty file (or folder) facet. */
    static ObjectNode tombstone(EmulatedDrive drive, Tombstone tombstone, Selection select) {
        ObjectNode json = MAPPER.createObjectNode();
        json.put("@odata.type", "#microsoft.graph.driveItem");
        json.put("id", tombstone.id());
        json.putObject("deleted").put("state", "deleted");
        ObjectNode parent = json.putObject("parentReference");
        parent.put("driveId", drive.driveId);
        parent.put("id", tombstone.parentId());
        json.put("size", 0);
        json.putObject(tombstone.folder() ? "folder" : "file");
        return select.apply(json);
    }

    static ObjectNode identity(EmulatedDrive drive) {
        ObjectNode identity = MAPPER.createObjectNode();
        ObjectNode user = identity.putObject("user");
        user.put("email", drive.owner.email());
        user.put("id", drive.owner.id());
        user.put("displayName", drive.owner.displayName());
        return identity;
    }

    static String mimeType(String name) {
        int dot = name.lastIndexOf('.');
        String extension = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
        return MIME_TYPES.getOrDefault(extension, "application/octet-stream");
    }

    static String date(Instant instant) {
        return instant.toString();
    }

    private static String encodePath(String relPath) {
        StringBuilder out = new StringBuilder();
        for (String segment : relPath.split("/")) {
            if (out.length() > 0) {
                out.append('/');
            }
            out.append(UrlText.encodeSegment(segment));
        }
        return out.toString();
    }
}

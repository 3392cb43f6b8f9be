package dev.workbookrelay.trigger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workbookrelay.graph.DriveRef;
import dev.workbookrelay.nango.NangoConnection;
import dev.workbookrelay.rows.RowOptions;
import dev.workbookrelay.sync.SyncRequest;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Reads sync requests: JSON from the sync-requests topic, or the parameters of a scheduled source. Every way a
 * request can be wrong ends in {@link InvalidSyncRequestException} with a reason a person can act on.
 */
public final class SyncRequestParser {

    private static final Set<String> FIELDS = Set.of("source", "connectionId", "providerConfigKey", "drive", "folder",
            "workbookId", "requestId", "mode", "start", "trigger", "rows", "tables", "rowKey", "headerRow");
    /** Graph's drive item ids: letters, digits, {@code !} (personal drives), {@code _} and {@code -}; never a path. */
    private static final Pattern WORKBOOK_ID = Pattern.compile("[A-Za-z0-9!_-]{1,128}");
    /** What fits the state's key (1000 characters with the connection's names) and a status event. */
    private static final int MAX_DRIVE = 200;
    private static final int MAX_FOLDER = 250;
    private static final int MAX_REQUEST_ID = 200;
    private static final int MAX_SOURCE = 200;
    /** Nango's own rules for these names (nango-proxy.md §1.2), checked here so a typo fails before any call. */
    private static final Pattern PROVIDER_CONFIG_KEY = Pattern.compile("[a-zA-Z0-9~:.@ _-]{1,255}");
    private static final Pattern CONNECTION_ID = Pattern.compile("[a-zA-Z0-9,.;:=+~\\[\\]|@${}\"'\\\\/_ -]{1,255}");

    private final ObjectMapper json;
    private final String defaultProviderConfigKey;
    private final int maxBytes;

    public SyncRequestParser(ObjectMapper json, String defaultProviderConfigKey, int maxBytes) {
        this.json = json;
        this.defaultProviderConfigKey = defaultProviderConfigKey;
        this.maxBytes = maxBytes;
    }

    /** A request message from Kafka. */
    public SyncRequest fromMessage(byte[] message) {
        if (message == null || message.length == 0) {
            throw new InvalidSyncRequestException("empty message: expected a JSON object with at least connectionId");
        }
        if (message.length > maxBytes) {
            throw new InvalidSyncRequestException("message of " + message.length + " bytes exceeds the limit of "
                    + maxBytes + " bytes");
        }
        JsonNode node;
        try {
            node = json.readTree(message);
        } catch (JsonProcessingException e) {
            throw new InvalidSyncRequestException("not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidSyncRequestException("unreadable message: " + e.getMessage());
        }
        if (node == null || !node.isObject()) {
            throw new InvalidSyncRequestException("expected a JSON object, got " + (node == null ? "nothing"
                    : node.getNodeType().toString().toLowerCase(java.util.Locale.ROOT)));
        }
        for (String field : FIELDS) {
            JsonNode value = node.get(field);
            if (value != null && !value.isNull() && !value.isTextual()) {
                throw new InvalidSyncRequestException("field '" + field + "' must be a string, got "
                        + value.getNodeType().toString().toLowerCase(java.util.Locale.ROOT));
            }
        }
        String mode = text(node, "mode");
        if (mode != null && !mode.equals("full") && !mode.equals("incremental")) {
            throw new InvalidSyncRequestException("mode must be 'incremental' (the default) or 'full', got: "
                    + abbreviate(mode));
        }
        String trigger = text(node, "trigger");
        if (trigger != null && !trigger.equals(SyncRequest.REQUEST) && !trigger.equals(SyncRequest.SCHEDULE)) {
            throw new InvalidSyncRequestException("trigger must be 'request' (the default) or 'schedule', got: "
                    + abbreviate(trigger));
        }
        return build(text(node, "source"), text(node, "connectionId"), text(node, "providerConfigKey"),
                text(node, "drive"), text(node, "folder"), text(node, "workbookId"), text(node, "requestId"),
                trigger == null ? SyncRequest.REQUEST : trigger, "full".equals(mode), startsFromLatest(text(node,
                        "start")), rows(text(node, "rows"), text(node, "tables"), text(node, "rowKey"),
                        text(node, "headerRow")));
    }

    /** A scheduled source's parameters (from its route template). */
    public SyncRequest fromSchedule(Map<String, Object> params) {
        return build(str(params.get("source")), str(params.get("connectionId")),
                str(params.get("providerConfigKey")), str(params.get("drive")), str(params.get("folder")), null,
                str(params.get("requestId")), SyncRequest.SCHEDULE, false, startsFromLatest(str(params.get("start"))),
                rows(str(params.get("rows")), str(params.get("tables")), str(params.get("rowKey")),
                        str(params.get("headerRow"))));
    }

    private static RowOptions rows(String rows, String tables, String rowKey, String headerRow) {
        try {
            return RowOptions.parse(rows, tables, rowKey, headerRow);
        } catch (IllegalArgumentException e) {
            throw new InvalidSyncRequestException(e.getMessage());
        }
    }

    private static boolean startsFromLatest(String start) {
        if (start != null && !start.equals("beginning") && !start.equals("latest")) {
            throw new InvalidSyncRequestException("start must be 'beginning' or 'latest', got: " + abbreviate(start));
        }
        return "latest".equals(start);
    }

    private SyncRequest build(String source, String connectionId, String providerConfigKey, String drive,
            String folder, String workbookId, String requestId, String trigger, boolean full, boolean latest,
            RowOptions rows) {
        if (connectionId == null) {
            throw new InvalidSyncRequestException("connectionId is missing");
        }
        if (!CONNECTION_ID.matcher(connectionId).matches()) {
            throw new InvalidSyncRequestException("connectionId has characters Nango does not accept: "
                    + abbreviate(connectionId));
        }
        String key = providerConfigKey == null ? defaultProviderConfigKey : providerConfigKey;
        if (!PROVIDER_CONFIG_KEY.matcher(key).matches()) {
            throw new InvalidSyncRequestException("providerConfigKey has characters Nango does not accept: "
                    + abbreviate(key));
        }
        DriveRef driveRef;
        try {
            driveRef = DriveRef.parse(drive);
        } catch (IllegalArgumentException e) {
            throw new InvalidSyncRequestException(e.getMessage());
        }
        if (workbookId != null && !WORKBOOK_ID.matcher(workbookId).matches()) {
            throw new InvalidSyncRequestException("workbookId is not a drive item id: " + abbreviate(workbookId));
        }
        longest("drive", drive, MAX_DRIVE);
        longest("folder", folder, MAX_FOLDER);
        longest("requestId", requestId, MAX_REQUEST_ID);
        longest("source", source, MAX_SOURCE);
        return new SyncRequest(source == null ? connectionId : source, new NangoConnection(key, connectionId),
                driveRef, normaliseFolder(folder), workbookId, requestId == null ? UUID.randomUUID().toString()
                        : requestId, trigger, full, latest, List.of(), rows);
    }

    /** The request as a message for the sync-requests topic (what a schedule's tick publishes). */
    public byte[] toMessage(SyncRequest request) {
        var node = json.createObjectNode();
        node.put("source", request.source());
        node.put("connectionId", request.connection().connectionId());
        node.put("providerConfigKey", request.connection().providerConfigKey());
        node.put("drive", request.drive().name());
        if (request.folder() != null) {
            node.put("folder", request.folder());
        }
        if (request.workbookId() != null) {
            node.put("workbookId", request.workbookId());
        }
        node.put("requestId", request.requestId());
        node.put("mode", request.full() ? "full" : "incremental");
        node.put("trigger", request.trigger());
        if (request.startFromLatest()) {
            node.put("start", "latest");
        }
        if (request.rows().enabled()) {
            node.put("rows", request.rows().rowsParameter());
            node.put("tables", request.rows().tablesParameter());
            if (request.rows().rowKey() != null) {
                node.put("rowKey", request.rows().rowKey());
            }
            if (request.rows().headerRow() != null) {
                node.put("headerRow", request.rows().headerRow().toString());
            }
        }
        try {
            return json.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void longest(String field, String value, int max) {
        if (value != null && value.length() > max) {
            throw new InvalidSyncRequestException(field + " is longer than " + max + " characters: "
                    + abbreviate(value));
        }
    }

    /** {@code Finance/Reports/} → {@code /Finance/Reports}; blank or {@code /} → no filter. */
    static String normaliseFolder(String folder) {
        if (folder == null) {
            return null;
        }
        String f = folder.trim().replace('\\', '/');
        while (f.endsWith("/")) {
            f = f.substring(0, f.length() - 1);
        }
        if (f.isEmpty()) {
            return null;
        }
        return f.startsWith("/") ? f : "/" + f;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        String s = v.asText().trim();
        return s.isEmpty() ? null : s;
    }

    private static String str(Object value) {
        if (value == null) {
            return null;
        }
        String s = value.toString().trim();
        return s.isEmpty() ? null : s;
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "…";
    }
}

package dev.workbookrelay.sandbox;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * createSession's long-running form (graph-api.md §3.6): with {@code Prefer: respond-async} it answers 202 and a
 * {@code Location} naming a workbook operation, which reads {@code running} for a set number of polls and then
 * {@code succeeded} with a {@code resourceLocation} ({@code sessionInfoResource(key='…')}) that gives the session,
 * or {@code failed} with the error of Microsoft's sample. Off unless the emulator is built with it.
 */
final class WorkbookOperations {

    /** How operations go: {@code runningPolls} polls answer running before the end; negative turns the form off. */
    record Settings(int runningPolls, boolean fails) {
        static final Settings OFF = new Settings(-1, false);

        boolean enabled() {
            return runningPolls >= 0;
        }
    }

    /** One createSession in progress; {@code sessionKey} is set once it succeeded. */
    private static final class Operation {
        final String itemId;
        final boolean persistChanges;
        int polls;
        String sessionKey;

        Operation(String itemId, boolean persistChanges) {
            this.itemId = itemId;
            this.persistChanges = persistChanges;
        }
    }

    private record SessionInfo(String itemId, String sessionId, boolean persistChanges) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String NOT_FOUND = "The requested resource doesn't exist.";

    private final Settings settings;
    private final WorkbookSessions sessions;
    private final Map<String, Operation> operations = new HashMap<>();
    private final Map<String, SessionInfo> sessionInfos = new HashMap<>();

    WorkbookOperations(Settings settings, WorkbookSessions sessions) {
        this.settings = settings;
        this.sessions = sessions;
    }

    /** Whether this createSession is to run as an operation: the form is on and the client asked for it. */
    boolean runsAsync(GraphRequest request) {
        String prefer = request.headers().get("prefer");
        if (!settings.enabled() || prefer == null) {
            return false;
        }
        for (String preference : prefer.split(",")) {
            if (preference.trim().toLowerCase(Locale.ROOT).equals("respond-async")) {
                return true;
            }
        }
        return false;
    }

    /** 202, {@code Location: {workbookLink}/operations/{id}}, body {@code {}}, as the documented sample. */
    synchronized HttpReply start(GraphCall call, String workbookLink, String itemId, boolean persistChanges) {
        String id = opaqueId();
        operations.put(id, new Operation(itemId, persistChanges));
        HttpReply accepted = call.json(202, DriveItemJson.MAPPER.createObjectNode());
        accepted.headers().put("location", workbookLink + "/operations/" + id);
        return accepted;
    }

    /** {@code GET …/workbook/operations/{id}}: running, then succeeded (the session now exists) or failed. */
    synchronized HttpReply poll(GraphCall call, String workbookLink, String itemId, String operationId) {
        Operation operation = operations.get(operationId);
        if (operation == null || !operation.itemId.equals(itemId)) {
            return call.excelError(404, "ItemNotFound", "itemNotFound", NOT_FOUND);
        }
        ObjectNode body = DriveItemJson.MAPPER.createObjectNode();
        body.put("id", operationId);
        if (operation.polls++ < settings.runningPolls()) {
            body.put("status", "running");
        } else if (settings.fails()) {
            body.put("status", "failed");
            body.set("error", sampleFailure());
        } else {
            if (operation.sessionKey == null) {
                WorkbookSessions.Session session = sessions.create(itemId, operation.persistChanges);
                operation.sessionKey = opaqueId();
                sessionInfos.put(operation.sessionKey, new SessionInfo(itemId, session.id(), session.persistChanges()));
            }
            body.put("status", "succeeded");
            body.put("resourceLocation", workbookLink + "/sessionInfoResource(key='" + operation.sessionKey + "')");
        }
        return call.json(200, body);
    }

    /** {@code GET …/workbook/sessionInfoResource(key='…')}: the session an operation created. */
    synchronized HttpReply sessionInfo(GraphCall call, String itemId, String key) {
        SessionInfo info = sessionInfos.get(key);
        if (info == null || !info.itemId().equals(itemId)) {
            return call.excelError(404, "ItemNotFound", "itemNotFound", NOT_FOUND);
        }
        ObjectNode body = DriveItemJson.MAPPER.createObjectNode();
        body.put("@odata.context", GraphRequest.GRAPH_ORIGIN + "/v1.0/$metadata#microsoft.graph.workbookSessionInfo");
        body.put("id", info.sessionId());
        body.put("persistChanges", info.persistChanges());
        return call.json(200, body);
    }

    /** The error of workbookoperation-get.md's failed sample, its doubled quote fixed. */
    private static ObjectNode sampleFailure() {
        ObjectNode error = DriveItemJson.MAPPER.createObjectNode();
        error.put("code", "internalServerError");
        error.put("message", "An internal server error occurred while processing the request.");
        GraphApi.fileOpenCause(error);
        return error;
    }

    /** URL-safe, so the ids pass through paths and OData literals unescaped. */
    private static String opaqueId() {
        byte[] bytes = new byte[18];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}

package dev.workbookrelay.nango;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * A webhook from Nango, as far as the relay acts on it: auth webhooks ({@code type: auth}) tell of a connection
 * created, overridden (re-authorised) or whose token refresh failed. Other types (sync, forward) are accepted and
 * ignored.
 */
public record NangoWebhook(String type, String operation, String connectionId, String providerConfigKey,
        boolean success, String environment, String errorType, String errorDescription) {

    /** A connection that can be synced now: created, or authorised again. */
    public boolean connectionReady() {
        return "auth".equals(type) && success && ("creation".equals(operation) || "override".equals(operation));
    }

    /** A connection whose token refresh failed: its syncs will fail until the user reconnects. */
    public boolean refreshFailed() {
        return "auth".equals(type) && "refresh".equals(operation) && !success;
    }

    /** Reads a webhook body; {@link IllegalArgumentException} with the reason when it is not one. */
    public static NangoWebhook read(ObjectMapper json, byte[] body) {
        JsonNode node;
        try {
            node = body == null || body.length == 0 ? null : json.readTree(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("expected a JSON object");
        }
        String type = text(node, "type");
        if (type == null) {
            throw new IllegalArgumentException("no 'type'");
        }
        String connectionId = text(node, "connectionId");
        String providerConfigKey = text(node, "providerConfigKey");
        if ("auth".equals(type) && (connectionId == null || providerConfigKey == null
                || text(node, "operation") == null || !node.path("success").isBoolean())) {
            throw new IllegalArgumentException("an auth webhook needs connectionId, providerConfigKey, operation and"
                    + " success");
        }
        JsonNode error = node.get("error");
        return new NangoWebhook(type, text(node, "operation"), connectionId, providerConfigKey,
                node.path("success").asBoolean(false), text(node, "environment"), text(error, "type"),
                text(error, "description"));
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v == null || !v.isTextual() ? null : v.asText();
    }
}

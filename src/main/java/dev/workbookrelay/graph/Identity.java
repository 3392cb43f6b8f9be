package dev.workbookrelay.graph;

import com.fasterxml.jackson.databind.JsonNode;

/** Who did something, from a Graph identitySet: the user if there is one, else the application or device. */
public record Identity(String displayName, String email, String id) {

    static Identity from(JsonNode identitySet) {
        if (identitySet == null || !identitySet.isObject()) {
            return null;
        }
        for (String kind : new String[] {"user", "application", "device", "group"}) {
            JsonNode who = identitySet.get(kind);
            if (who != null && who.isObject()) {
                return new Identity(text(who, "displayName"), text(who, "email"), text(who, "id"));
            }
        }
        return null;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}

package dev.workbookrelay.graph;

import com.fasterxml.jackson.databind.JsonNode;

/** A workbookWorksheet: its id (a brace GUID, stable across renames and moves), name, position and visibility. */
public record Worksheet(String id, String name, int position, String visibility) {

    public static Worksheet from(JsonNode node) {
        JsonNode id = node.get("id");
        if (id == null || id.isNull() || id.asText().isEmpty()) {
            throw new IllegalArgumentException("worksheet without id: " + node);
        }
        JsonNode name = node.get("name");
        JsonNode position = node.get("position");
        JsonNode visibility = node.get("visibility");
        return new Worksheet(id.asText(), name == null || name.isNull() ? null : name.asText(),
                position == null || position.isNull() ? -1 : position.asInt(),
                visibility == null || visibility.isNull() ? null : visibility.asText());
    }
}

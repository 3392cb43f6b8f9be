package dev.workbookrelay.nango;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Nango's connections API ({@code GET /connections}): one integration's connections, a page at a time. Nango gives
 * no total and no next link: a page with fewer than {@code limit} connections is the last.
 */
public final class NangoConnections {

    /** A connection as listed; {@code refreshFailing} when Nango reports its token refresh failing. */
    public record Listed(String connectionId, String providerConfigKey, boolean refreshFailing) {
    }

    /** Nango's largest page. */
    public static final int MAX_LIMIT = 2000;

    private NangoConnections() {
    }

    /** {@code /connections?integrationId=…&limit=…&page=…}, pages counted from 0. */
    public static String path(String integrationId, int limit, int page) {
        return "/connections?integrationId=" + URLEncoder.encode(integrationId, StandardCharsets.UTF_8) + "&limit="
                + limit + "&page=" + page;
    }

    /** The connections of one page of the answer. */
    public static List<Listed> page(JsonNode body) {
        JsonNode connections = body == null ? null : body.get("connections");
        if (connections == null || !connections.isArray()) {
            throw new IllegalArgumentException("Nango's connection list has no 'connections' array");
        }
        List<Listed> listed = new ArrayList<>();
        for (JsonNode c : connections) {
            JsonNode id = c.get("connection_id");
            JsonNode key = c.get("provider_config_key");
            if (id == null || !id.isTextual() || key == null || !key.isTextual()) {
                throw new IllegalArgumentException("a listed connection has no connection_id or provider_config_key: "
                        + c);
            }
            boolean refreshFailing = false;
            JsonNode errors = c.get("errors");
            if (errors != null && errors.isArray()) {
                for (JsonNode e : errors) {
                    refreshFailing |= "auth".equals(e.path("type").asText());
                }
            }
            listed.add(new Listed(id.asText(), key.asText(), refreshFailing));
        }
        return listed;
    }
}

package dev.workbookrelay.sandbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Nango's {@code GET /connections} (nango-proxy.md §3.4): the environment's connections, filtered by integration,
 * a page at a time ({@code limit} 1–2000, {@code page} from 0), newest first, with no total and no next link.
 * Unknown query parameters and bad values get Nango's {@code invalid_query_params}. The connections are the
 * emulator's own, added and removed as tests go.
 */
final class ConnectionsApi {

    private static final Set<String> PARAMETERS = Set.of("connectionId", "search", "endUserId",
            "endUserOrganizationId", "integrationId", "tags", "limit", "page");

    /** A connection as Nango lists it: its numeric id (creation order), when, and whether its refresh fails. */
    record Listed(int id, String connectionId, String providerConfigKey, Instant created, boolean refreshFailing) {
    }

    private final AtomicInteger ids = new AtomicInteger();
    private final Map<String, Listed> connections = new LinkedHashMap<>();

    synchronized void added(String providerConfigKey, String connectionId) {
        connections.put(providerConfigKey + "\n" + connectionId, new Listed(ids.incrementAndGet(), connectionId,
                providerConfigKey, Instant.now(), false));
    }

    synchronized void removed(String providerConfigKey, String connectionId) {
        connections.remove(providerConfigKey + "\n" + connectionId);
    }

    synchronized void refreshFailing(String providerConfigKey, String connectionId, boolean failing) {
        connections.computeIfPresent(providerConfigKey + "\n" + connectionId, (k, c) -> new Listed(c.id(),
                c.connectionId(), c.providerConfigKey(), c.created(), failing));
    }

    HttpReply list(String query) {
        Map<String, String> parameters = new LinkedHashMap<>();
        ArrayNode issues = DriveItemJson.MAPPER.createArrayNode();
        for (String pair : query == null || query.isEmpty() ? new String[0] : query.split("&")) {
            String[] kv = pair.split("=", 2);
            String name = URLDecoder.decode(kv[0], StandardCharsets.UTF_8);
            String value = kv.length < 2 ? "" : URLDecoder.decode(kv[1], StandardCharsets.UTF_8);
            if (!PARAMETERS.contains(name)) {
                issue(issues, "unrecognized_keys", "Unrecognized key: \"" + name + "\"", List.of());
            }
            parameters.put(name, value);
        }
        int limit = number(parameters, "limit", 100, 1, 2000, issues);
        int page = number(parameters, "page", 0, 0, Integer.MAX_VALUE, issues);
        if (!issues.isEmpty()) {
            return HttpReply.nangoInvalid("invalid_query_params", issues);
        }
        List<String> integrations = parameters.containsKey("integrationId")
                ? Arrays.asList(parameters.get("integrationId").split(",")) : null;
        String connectionId = parameters.get("connectionId");
        List<Listed> matching = new ArrayList<>();
        synchronized (this) {
            for (Listed c : connections.values()) {
                if ((integrations == null || integrations.contains(c.providerConfigKey()))
                        && (connectionId == null || connectionId.equals(c.connectionId()))) {
                    matching.add(c);
                }
            }
        }
        matching.sort((a, b) -> Integer.compare(b.id(), a.id()));
        ObjectNode body = DriveItemJson.MAPPER.createObjectNode();
        ArrayNode list = body.putArray("connections");
        long from = (long) page * limit;
        for (int i = (int) Math.min(from, matching.size()); i < Math.min(from + limit, matching.size()); i++) {
            Listed c = matching.get(i);
            ObjectNode node = list.addObject();
            node.put("id", c.id());
            node.put("connection_id", c.connectionId());
            node.put("provider", c.providerConfigKey());
            node.put("provider_config_key", c.providerConfigKey());
            node.put("created", c.created().toString());
            node.putNull("metadata");
            node.putObject("tags");
            node.putNull("end_user");
            ArrayNode errors = node.putArray("errors");
            if (c.refreshFailing()) {
                errors.addObject().put("type", "auth").put("log_id", "log-" + c.id());
            }
        }
        return new HttpReply(200, new LinkedHashMap<>(Map.of("content-type", "application/json; charset=utf-8")),
                write(body).getBytes(StandardCharsets.UTF_8));
    }

    /** {@code z.coerce.number().int().min(min).max(max)}, or the default when absent. */
    private static int number(Map<String, String> parameters, String name, int absent, int min, int max,
            ArrayNode issues) {
        String value = parameters.get(name);
        if (value == null) {
            return absent;
        }
        try {
            long n = Long.parseLong(value.trim());
            if (n < min) {
                issue(issues, "too_small", "Too small: expected number to be >=" + min, List.of(name));
            } else if (n > max) {
                issue(issues, "too_big", "Too big: expected number to be <=" + max, List.of(name));
            } else {
                return (int) n;
            }
        } catch (NumberFormatException e) {
            issue(issues, "invalid_type", "Invalid input: expected number, received NaN", List.of(name));
        }
        return absent;
    }

    private static void issue(ArrayNode issues, String code, String message, List<String> path) {
        ObjectNode issue = issues.addObject();
        issue.put("code", code);
        issue.put("message", message);
        ArrayNode p = issue.putArray("path");
        path.forEach(p::add);
    }

    private static String write(ObjectNode body) {
        try {
            return DriveItemJson.MAPPER.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

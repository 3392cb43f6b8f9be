package dev.workbookrelay.nango;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Turns a proxy response into parsed JSON or into the right exception. Nango passes Graph's errors through
 * unchanged and answers its own errors in a similar {@code {"error":{"code","message"}}} shape, so the two are
 * told apart by what only Graph sends: an {@code innerError} object or a {@code request-id} header.
 */
public final class ProxyResponses {

    /** Codes Nango's proxy and auth middleware produce themselves (nango-proxy.md §1.4). */
    private static final Set<String> NANGO_CODES = Set.of("missing_auth_header", "invalid_secret_key_format",
            "unknown_account", "malformed_auth_header", "forbidden", "too_many_request", "invalid_headers",
            "unknown_provider_config", "server_error", "connection_refresh_backoff", "plan_limit",
            "base_url_override_disabled", "base_url_override_not_allowed", "missing_api_url", "unsupported_provider",
            "invalid_query_params", "generic_error_support");

    private final ObjectMapper json;
    private final UnaryOperator<String> scrub;

    /** {@code scrub}: what every text of an answer goes through before it is kept (secrets out). */
    public ProxyResponses(ObjectMapper json, UnaryOperator<String> scrub) {
        this.json = json;
        this.scrub = scrub;
    }

    /**
     * @param header response header lookup, case-insensitive
     * @return the parsed body of a 2xx response
     * @throws GraphCallException for any other status, and for a 2xx whose body is not JSON
     */
    public JsonNode read(int status, byte[] body, Function<String, String> header) {
        if (status == 204) {
            return json.createObjectNode(); // an action that answers nothing (closeSession)
        }
        if (status >= 200 && status < 300) {
            try {
                JsonNode node = json.readTree(body);
                if (node == null || node.isMissingNode()) {
                    throw new GraphApiException(status, "emptyResponse", "empty body on a " + status + " response",
                            null, null, null);
                }
                return node;
            } catch (IOException e) {
                throw new GraphApiException(status, "invalidResponse",
                        "response body is not valid JSON (" + body.length + " bytes): " + e.getMessage().lines()
                                .findFirst().orElse(""),
                        null, null, null);
            }
        }
        JsonNode error = parseError(body);
        String code = scrub.apply(text(error, "code"));
        String message = scrub.apply(text(error, "message"));
        JsonNode inner = error == null ? null : first(error, "innerError", "innererror");
        boolean fromGraph = inner != null || header.apply("request-id") != null;
        if (!fromGraph && (code == null ? status == 401 || status == 403 : NANGO_CODES.contains(code))) {
            throw new NangoProxyException(status, code == null ? "http" + status : code,
                    message == null ? scrub.apply(snippet(body)) : message, header.apply("Retry-After"));
        }
        JsonNode deepest = inner;
        for (JsonNode next = inner == null ? null : first(inner, "innerError", "innererror"); next != null;
                next = first(next, "innerError", "innererror")) {
            deepest = next;
        }
        throw new GraphApiException(status, code == null ? "http" + status : code,
                message == null ? scrub.apply(snippet(body)) : message, scrub.apply(text(inner, "code")),
                deepest == inner ? null : scrub.apply(text(deepest, "code")), header.apply("Retry-After"),
                header.apply("Location"));
    }

    private JsonNode parseError(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            JsonNode node = json.readTree(body);
            JsonNode error = node == null ? null : node.get("error");
            return error != null && error.isObject() ? error : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static JsonNode first(JsonNode node, String... names) {
        for (String name : names) {
            JsonNode value = node.get(name);
            if (value != null && value.isObject()) {
                return value;
            }
        }
        return null;
    }

    private static String text(JsonNode node, String field) {
        if (node == null) {
            return null;
        }
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static String snippet(byte[] body) {
        if (body == null || body.length == 0) {
            return "";
        }
        String s = new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8);
        return s.replaceAll("\\s+", " ").trim();
    }
}

package dev.workbookrelay.sandbox;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What Nango checks before it proxies anything, in its order and with its exact error bodies: the secret key
 * (auth middleware), then the proxy headers (zod schema of {@code allProxy.ts}), then the integration and the
 * connection.
 */
final class NangoGate {

    /** A request that passed: the connection's drive and the proxy options that matter here. */
    record Admitted(EmulatedDrive drive, int retries, Set<Integer> retryOn) {
    }

    static final String MISSING_AUTH_HEADER = "{\"error\":{\"message\":\"Authentication failed. The request is missing "
            + "the Authorization header.\",\"payload\":{},\"code\":\"missing_auth_header\"}}";
    static final String INVALID_SECRET_KEY_FORMAT = "{\"error\":{\"message\":\"Authentication failed. The provided secret "
            + "key is not a UUID v4.\",\"payload\":{},\"code\":\"invalid_secret_key_format\"}}";
    static final String UNKNOWN_ACCOUNT = "{\"error\":{\"message\":\"Authentication failed. The provided authorization "
            + "header does not match any account.\",\"payload\":{},\"code\":\"unknown_account\"}}";
    static final String UNKNOWN_PROVIDER_CONFIG = "{\"error\":{\"code\":\"unknown_provider_config\",\"message\":\"Provider "
            + "config not found for the given provider config key. Please make sure the provider config exists in the "
            + "Nango dashboard.\"}}";
    static final String CONNECTION_NOT_FOUND = "{\"error\":{\"code\":\"server_error\",\"message\":\"Failed to get connection\"}}";
    static final String NOT_FOUND = "{\"error\":{\"code\":\"not_found\"}}";

    static final Pattern UUID_V4 =
            Pattern.compile("^[0-9A-F]{8}-[0-9A-F]{4}-[4][0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$", Pattern.CASE_INSENSITIVE);

    /** The patterns of Nango's validation helpers, with the JavaScript source zod quotes in its messages. */
    private record Format(Pattern pattern, String source) {
    }

    private static final Format PROVIDER_CONFIG_KEY = new Format(Pattern.compile("^[a-zA-Z0-9~:.@ _-]+$"),
            "/^[a-zA-Z0-9~:.@ _-]+$/");
    private static final Format CONNECTION_ID = new Format(Pattern.compile("^[a-zA-Z0-9,.;:=+~\\[\\]|@${}\"'\\\\/_ -]+$"),
            "/^[a-zA-Z0-9,.;:=+~[\\]|@${}\"'\\\\/_ -]+$/");
    private static final Format RETRY_ON = new Format(Pattern.compile("^\\d+(,\\d+)*$"), "/^\\d+(,\\d+)*$/");
    private static final int MAX_LENGTH = 255;

    private final String secretKey;
    private final Map<String, Map<String, EmulatedDrive>> connections;

    NangoGate(String secretKey, Map<String, Map<String, EmulatedDrive>> connections) {
        this.secretKey = secretKey;
        this.connections = connections;
    }

    /** Nango's auth middleware, in front of every API route: Nango's error reply, or null when the key is right. */
    HttpReply authenticate(Map<String, List<String>> headers) {
        String authorization = first(headers, "authorization");
        if (authorization == null || authorization.isEmpty()) {
            return HttpReply.nango(401, MISSING_AUTH_HEADER);
        }
        // Nango takes what follows the last "Bearer " (split(...).pop()), the whole header when there is none
        int bearer = authorization.lastIndexOf("Bearer ");
        String key = bearer < 0 ? authorization : authorization.substring(bearer + "Bearer ".length());
        if (!UUID_V4.matcher(key).matches()) {
            return HttpReply.nango(401, INVALID_SECRET_KEY_FORMAT);
        }
        if (!key.equals(secretKey)) {
            return HttpReply.nango(401, UNKNOWN_ACCOUNT);
        }
        return null;
    }

    /** Either the admitted request or Nango's error reply. */
    Object check(Map<String, List<String>> headers) {
        HttpReply refused = authenticate(headers);
        if (refused != null) {
            return refused;
        }

        String providerConfigKey = first(headers, "provider-config-key");
        String connectionId = first(headers, "connection-id");
        ArrayNode issues = DriveItemJson.MAPPER.createArrayNode();
        validateString(issues, "provider-config-key", providerConfigKey, PROVIDER_CONFIG_KEY);
        validateString(issues, "connection-id", connectionId, CONNECTION_ID);
        String retries = first(headers, "retries");
        double retryCount = retries == null ? 0 : coerceNumber(retries);
        if (Double.isNaN(retryCount)) {
            issue(issues, "invalid_type", "Invalid input: expected number, received NaN", "retries");
        }
        validateBoolean(issues, "decompress", first(headers, "decompress"));
        String retryOn = first(headers, "retry-on");
        if (retryOn != null && !RETRY_ON.pattern().matcher(retryOn).matches()) {
            issue(issues, "invalid_format", "Invalid string: must match pattern " + RETRY_ON.source(), "retry-on");
        }
        validateBoolean(issues, "forward-headers-on-redirect", first(headers, "forward-headers-on-redirect"));
        if (!issues.isEmpty()) {
            return HttpReply.nangoInvalid("invalid_headers", issues);
        }

        Map<String, EmulatedDrive> integration = connections.get(providerConfigKey);
        if (integration == null) {
            return HttpReply.nango(404, UNKNOWN_PROVIDER_CONFIG);
        }
        EmulatedDrive drive = integration.get(connectionId);
        if (drive == null) {
            return HttpReply.nango(400, CONNECTION_NOT_FOUND);
        }
        return new Admitted(drive, (int) Math.max(0, Math.min(Integer.MAX_VALUE, retryCount)), statuses(retryOn));
    }

    /** {@code z.string().regex(...).max(255)}: zod reports every failed check of a present value. */
    private static void validateString(ArrayNode issues, String name, String value, Format format) {
        if (value == null) {
            issue(issues, "invalid_type", "Invalid input: expected string, received undefined", name);
            return;
        }
        if (!format.pattern().matcher(value).matches()) {
            issue(issues, "invalid_format", "Invalid string: must match pattern " + format.source(), name);
        }
        if (value.length() > MAX_LENGTH) {
            issue(issues, "too_big", "Too big: expected string to have <=" + MAX_LENGTH + " characters", name);
        }
    }

    private static void validateBoolean(ArrayNode issues, String name, String value) {
        if (value != null && !value.equals("true") && !value.equals("false")) {
            issue(issues, "invalid_value", "Invalid option: expected one of \"true\"|\"false\"", name);
        }
    }

    /** JavaScript's {@code Number(text)}, as {@code z.coerce.number()} applies it. */
    private static double coerceNumber(String text) {
        String trimmed = text.trim();
        if (trimmed.isEmpty()) {
            return 0;
        }
        try {
            double value = Double.parseDouble(trimmed);
            return Double.isInfinite(value) || trimmed.matches(".*[dDfF]$") ? Double.NaN : value;
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static Set<Integer> statuses(String retryOn) {
        Set<Integer> statuses = new LinkedHashSet<>();
        if (retryOn != null) {
            for (String status : retryOn.split(",")) {
                try {
                    statuses.add(Integer.parseInt(status));
                } catch (NumberFormatException e) {
                    // digits too many to be a status: it can never match one
                }
            }
        }
        return statuses;
    }

    private static void issue(ArrayNode issues, String code, String message, String path) {
        ObjectNode issue = issues.addObject();
        issue.put("code", code);
        issue.put("message", message);
        issue.putArray("path").add(path);
    }

    private static String first(Map<String, List<String>> headers, String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}

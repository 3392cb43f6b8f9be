package dev.workbookrelay.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Sends webhooks as Nango does (nango-proxy.md §6): the body stable-stringified (keys sorted, compact), POSTed with
 * {@code X-Nango-Hmac-Sha256} (hex HMAC-SHA256 of the body, keyed with the environment's webhook signing key), the
 * legacy {@code X-Nango-Signature} (hex SHA-256 of key + body), JSON content type and Nango's user agent.
 */
public final class NangoWebhookSender {

    private static final ObjectMapper SORTED = new ObjectMapper()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final String signingKey;

    public NangoWebhookSender(String signingKey) {
        this.signingKey = signingKey;
    }

    /** An auth webhook of {@code operation} (creation, override, refresh) for one connection; the status answered. */
    public int auth(URI target, String operation, String providerConfigKey, String connectionId, boolean success)
            throws Exception {
        Map<String, Object> body = new TreeMap<>();
        body.put("from", "nango");
        body.put("type", "auth");
        body.put("connectionId", connectionId);
        body.put("providerConfigKey", providerConfigKey);
        body.put("authMode", "OAUTH2");
        body.put("provider", providerConfigKey);
        body.put("environment", "prod");
        body.put("operation", operation);
        body.put("success", success);
        if (!success) {
            body.put("error", Map.of("type", "refresh_token_external_error",
                    "description", "The external API returned an error when trying to refresh the access token."));
        }
        byte[] bytes = body(body);
        return send(target, bytes, signature(bytes));
    }

    /** The body Nango would send for {@code fields}: keys sorted, compact. */
    public static byte[] body(Map<String, Object> fields) throws Exception {
        return SORTED.writeValueAsBytes(new TreeMap<>(fields));
    }

    /** {@code X-Nango-Hmac-Sha256} of a body. */
    public String signature(byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(signingKey.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(body));
    }

    /** POSTs a body with the given signature header ({@code null}: none); the status answered. */
    public int send(URI target, byte[] body, String hmacSignature) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(target)
                .header("content-type", "application/json")
                .header("user-agent", "nango/0.0.0 (linux/6; node.js/20)")
                .header("X-Nango-Signature", HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                        .digest((signingKey + new String(body, StandardCharsets.UTF_8))
                                .getBytes(StandardCharsets.UTF_8))))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (hmacSignature != null) {
            request.header("X-Nango-Hmac-Sha256", hmacSignature);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}

package dev.workbookrelay.nango;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Nango proxy as seen from here: {@code {baseUrl}/proxy/v1.0/...} plus the three headers Nango reads.
 * <p>
 * Nango forwards only headers prefixed {@code Nango-Proxy-} to Graph (it strips the prefix and drops every
 * other client header), so anything meant for Graph itself must go through {@link #forGraph(String)}.
 * Graph's {@code @odata.nextLink}, {@code @odata.deltaLink} and {@code Location} values are absolute
 * {@code https://graph.microsoft.com/v1.0/...} URLs: their origin is replaced by the proxy's.
 */
public final class NangoProxyEndpoint {

    public static final String AUTHORIZATION = "Authorization";
    public static final String PROVIDER_CONFIG_KEY = "Provider-Config-Key";
    public static final String CONNECTION_ID = "Connection-Id";
    /** Nango's proxy retries only when asked; we own retries, so we say 0 explicitly. */
    public static final String RETRIES = "Retries";
    public static final String FORWARD_PREFIX = "Nango-Proxy-";
    private static final java.util.regex.Pattern BEARER = java.util.regex.Pattern.compile(
            "(?i)bearer\\s+[^\\s\"',;]+");

    private final String baseUrl;
    private final String secretKey;

    public NangoProxyEndpoint(String baseUrl, String secretKey) {
        if (baseUrl == null || !(baseUrl.startsWith("http://") || baseUrl.startsWith("https://"))) {
            throw new IllegalArgumentException("Nango base URL must be an http(s) URL, got: " + baseUrl
                    + " (set NANGO_BASE_URL)");
        }
        if (secretKey == null || secretKey.isBlank()) {
            throw new IllegalArgumentException("the Nango secret key is not set (set NANGO_SECRET_KEY)");
        }
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.secretKey = secretKey;
    }

    public String baseUrl() {
        return baseUrl;
    }

    /**
     * The proxy URL for a Graph path ({@code /v1.0/me/drive/root/delta?...}) or for an absolute Graph link.
     */
    public String url(String graphPathOrLink) {
        return baseUrl + "/proxy" + GraphLinks.pathAndQuery(graphPathOrLink);
    }

    /** A URL of Nango's own API ({@code /connections?...}). */
    public String apiUrl(String path) {
        return baseUrl + (path.startsWith("/") ? path : "/" + path);
    }

    /** The header a call of Nango's own API carries: the secret key. */
    public Map<String, String> apiHeaders() {
        return Map.of(AUTHORIZATION, "Bearer " + secretKey);
    }

    /** The headers every proxied call carries. The bearer is Nango's secret key, never the user's token. */
    public Map<String, String> headers(NangoConnection connection) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(AUTHORIZATION, "Bearer " + secretKey);
        headers.put(PROVIDER_CONFIG_KEY, connection.providerConfigKey());
        headers.put(CONNECTION_ID, connection.connectionId());
        headers.put(RETRIES, "0");
        return headers;
    }

    /** The name under which a header reaches Graph through Nango, e.g. {@code Prefer} → {@code Nango-Proxy-Prefer}. */
    public static String forGraph(String graphHeader) {
        return FORWARD_PREFIX + graphHeader;
    }

    /**
     * {@code text} (an error text a service sent back) without the secret key or any bearer token in it: a proxy
     * that echoes the request it got would otherwise put the key into status events, dead letters and logs.
     */
    public String scrub(String text) {
        if (text == null) {
            return null;
        }
        return BEARER.matcher(text.replace(secretKey, "****")).replaceAll("Bearer ****");
    }

    @Override
    public String toString() {
        return "NangoProxyEndpoint[" + baseUrl + ", secretKey=****]";
    }

    /** Graph links → path and query, percent-encoding what Graph leaves literal in its links. */
    static final class GraphLinks {

        private GraphLinks() {
        }

        static String pathAndQuery(String pathOrLink) {
            if (pathOrLink == null || pathOrLink.isBlank()) {
                throw new IllegalArgumentException("empty Graph path");
            }
            String rest = pathOrLink.trim();
            int scheme = rest.indexOf("://");
            if (scheme > 0 && scheme < 6) {
                int slash = rest.indexOf('/', scheme + 3);
                rest = slash < 0 ? "/" : rest.substring(slash);
            }
            if (!rest.startsWith("/")) {
                rest = "/" + rest;
            }
            String encoded = encodeIllegal(rest);
            URI.create(encoded); // fail here, with the link in the message, rather than deep in the HTTP client
            return encoded;
        }

        /**
         * Encodes characters that are not legal in a URI (spaces, braces of worksheet ids, quotes in some
         * documentation links) and leaves existing escapes and legal characters such as {@code $ ' ( ) ,} alone.
         */
        private static String encodeIllegal(String s) {
            StringBuilder out = new StringBuilder(s.length() + 16);
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '%' && i + 2 < s.length() && isHex(s.charAt(i + 1)) && isHex(s.charAt(i + 2))) {
                    out.append(c);
                } else if (isLegal(c)) {
                    out.append(c);
                } else {
                    for (byte b : String.valueOf(c).getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
                        out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xF, 16)))
                                .append(Character.toUpperCase(Character.forDigit(b & 0xF, 16)));
                    }
                }
            }
            return out.toString();
        }

        private static boolean isLegal(char c) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "-._~:/?#[]@!$&'()*+,;=".indexOf(c) >= 0;
        }

        private static boolean isHex(char c) {
            return Character.digit(c, 16) >= 0;
        }
    }
}

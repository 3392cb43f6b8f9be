package dev.workbookrelay.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A relay's view of the emulator in tests: calls through {@code /proxy} with Nango's headers, JSON and error checks. */
public final class ProxyClient {

    public static final String KEY = "6f1c2a9e-3b7d-4e21-9a5f-0c8d7e6b5a41";
    static final String PCK = "one-drive";
    static final String CONNECTION = "alice";
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final NangoGraphEmulator emulator;

    public ProxyClient(NangoGraphEmulator emulator) {
        this.emulator = emulator;
    }

    /** {@code path} below the emulator's base URL, e.g. {@code /proxy/v1.0/me/drive}; Nango's three headers added. */
    <T> HttpResponse<T> send(String method, String path, String body, Map<String, String> headers,
                             HttpResponse.BodyHandler<T> handler) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(emulator.baseUrl() + path))
                .header("Authorization", "Bearer " + KEY).header("Provider-Config-Key", PCK)
                .header("Connection-Id", CONNECTION)
                .method(method, body.isEmpty() ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return HTTP.send(request.build(), handler);
    }

    HttpResponse<String> send(String method, String path, String body, Map<String, String> headers)
            throws IOException, InterruptedException {
        return send(method, path, body, headers, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send("GET", path, "", Map.of());
    }

    public JsonNode ok(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = get(path);
        assertEquals(200, response.statusCode(), path + ": " + response.body());
        return json(response);
    }

    /** A plain GET of a whole URL, without any header of Nango's: what a pre-authenticated URL is for. */
    static HttpResponse<byte[]> plainGet(String url) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** The proxy path of a Graph link: {@code https://graph.microsoft.com/v1.0/…} → {@code /proxy/v1.0/…}. */
    static String proxyPath(String graphLink) {
        assertTrue(graphLink.startsWith("https://graph.microsoft.com/v1.0/"), graphLink);
        return "/proxy" + graphLink.substring("https://graph.microsoft.com".length());
    }

    /** The id of an item at the top of the drive, by name. */
    public String itemId(String fileName) throws IOException, InterruptedException {
        for (JsonNode item : ok("/proxy/v1.0/me/drive/root/delta?$top=1000").get("value")) {
            if (fileName.equals(item.path("name").asText())) {
                return item.get("id").asText();
            }
        }
        throw new AssertionError(fileName + " is not in the drive");
    }

    /** Graph's plain error: {@code {"error":{"code","message","innerError":{"date","request-id","client-request-id"}}}}. */
    static void assertGraphError(HttpResponse<String> response, int status, String code, String message)
            throws IOException {
        assertEquals(status, response.statusCode(), response.body());
        JsonNode error = json(response).get("error");
        assertEquals(List.of("code", "message", "innerError"), fieldNames(error));
        assertEquals(code, error.get("code").asText());
        assertEquals(message, error.get("message").asText());
        assertEquals(List.of("date", "request-id", "client-request-id"), fieldNames(error.get("innerError")));
        assertEquals(response.headers().firstValue("request-id").orElseThrow(),
                error.get("innerError").get("request-id").asText());
    }

    /** Excel's error: the code and message repeated in a first innerError that also holds date and request ids. */
    static void assertExcelError(HttpResponse<String> response, int status, String code, String innerCode,
                                 String message) throws IOException {
        assertEquals(status, response.statusCode(), response.body());
        JsonNode error = json(response).get("error");
        assertEquals(List.of("code", "message", "innerError"), fieldNames(error));
        assertEquals(code, error.get("code").asText());
        assertEquals(message, error.get("message").asText());
        JsonNode inner = error.get("innerError");
        assertEquals(List.of("code", "message", "date", "request-id", "client-request-id"), fieldNames(inner));
        assertEquals(innerCode, inner.get("code").asText());
        assertEquals(message, inner.get("message").asText());
        assertTrue(inner.get("date").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d"),
                inner.toString());
        assertEquals(response.headers().firstValue("request-id").orElseThrow(), inner.get("request-id").asText());
        assertEquals(response.headers().firstValue("client-request-id").orElseThrow(),
                inner.get("client-request-id").asText());
    }

    static String sampleText(String name) throws IOException {
        try (InputStream in = ProxyClient.class.getResourceAsStream("/graph-samples/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    static JsonNode json(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body());
    }
}

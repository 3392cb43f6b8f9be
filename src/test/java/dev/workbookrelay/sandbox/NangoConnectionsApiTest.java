package dev.workbookrelay.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The emulator's Nango connections API (§3.4) and its webhooks signed as Nango signs them (§6), over HTTP. */
class NangoConnectionsApiTest {

    private static final String KEY = "6f1c2a9e-3b7d-4e21-9a5f-0c8d7e6b5a41";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void connectionsAreListedNewestFirstAPageAtATimeFilteredByIntegration() throws Exception {
        Path drive = Files.createDirectories(dir.resolve("drive"));
        try (NangoGraphEmulator nango = NangoGraphEmulator.builder().secretKey(KEY)
                .connection("microsoft-excel", "c1", drive).connection("microsoft-excel", "c2", drive)
                .connection("one-drive", "o1", drive).build().start()) {
            nango.addConnection("microsoft-excel", "c3", drive);
            nango.addConnection("microsoft-excel", "c4", drive);
            nango.addConnection("microsoft-excel", "c5", drive);
            nango.refreshFailing("microsoft-excel", "c4", true);

            List<String> seen = new java.util.ArrayList<>();
            for (int page = 0; page < 3; page++) {
                JsonNode body = JSON.readTree(get(nango, "/connections?integrationId=microsoft-excel&limit=2&page="
                        + page).body());
                assertEquals(page < 2 ? 2 : 1, body.get("connections").size(), "page " + page);
                body.get("connections").forEach(c -> seen.add(c.get("connection_id").asText()));
            }
            assertEquals(List.of("c5", "c4", "c3", "c2", "c1"), seen, "newest first, no total, short last page");

            JsonNode c4 = JSON.readTree(get(nango, "/connections?connectionId=c4").body()).get("connections").get(0);
            assertEquals("microsoft-excel", c4.get("provider_config_key").asText());
            assertTrue(c4.get("id").isInt() && c4.get("metadata").isNull() && c4.get("end_user").isNull());
            assertEquals("auth", c4.get("errors").get(0).get("type").asText(), "a failing refresh shows");

            nango.removeConnection("microsoft-excel", "c3");
            JsonNode all = JSON.readTree(get(nango, "/connections?integrationId=microsoft-excel,one-drive").body());
            assertEquals(5, all.get("connections").size(), "both integrations, without the removed one");
        }
    }

    @Test
    void badQueriesAndKeysGetNangosErrors() throws Exception {
        Path drive = Files.createDirectories(dir.resolve("drive"));
        try (NangoGraphEmulator nango = NangoGraphEmulator.builder().secretKey(KEY)
                .connection("microsoft-excel", "c1", drive).build().start()) {
            HttpResponse<String> unknown = get(nango, "/connections?integration=microsoft-excel");
            assertEquals(400, unknown.statusCode());
            assertEquals("invalid_query_params", JSON.readTree(unknown.body()).get("error").get("code").asText());
            assertEquals(400, get(nango, "/connections?limit=2001").statusCode());
            assertEquals(400, get(nango, "/connections?page=-1").statusCode());

            HttpResponse<String> noKey = HTTP.send(HttpRequest.newBuilder(URI.create(nango.baseUrl()
                    + "/connections")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(401, noKey.statusCode());
            assertEquals("missing_auth_header", JSON.readTree(noKey.body()).get("error").get("code").asText());
        }
    }

    @Test
    void webhooksAreSignedAsNangoSignsThem() throws Exception {
        AtomicReference<Map<String, String>> received = new AtomicReference<>();
        AtomicReference<byte[]> body = new AtomicReference<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            body.set(exchange.getRequestBody().readAllBytes());
            received.set(Map.of("hmac", exchange.getRequestHeaders().getFirst("X-Nango-Hmac-Sha256"),
                    "legacy", exchange.getRequestHeaders().getFirst("X-Nango-Signature"),
                    "type", exchange.getRequestHeaders().getFirst("content-type")));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        try {
            int status = new NangoWebhookSender("signing-key").auth(URI.create("http://127.0.0.1:"
                    + server.getAddress().getPort() + "/hook"), "creation", "microsoft-excel", "c9", true);

            assertEquals(204, status);
            String text = new String(body.get(), StandardCharsets.UTF_8);
            assertTrue(text.startsWith("{\"authMode\":\"OAUTH2\",\"connectionId\":\"c9\",\"environment\""), text);
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec("signing-key".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            assertEquals(HexFormat.of().formatHex(mac.doFinal(body.get())), received.get().get("hmac"));
            assertEquals(HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(("signing-key" + text).getBytes(StandardCharsets.UTF_8))), received.get().get("legacy"));
            assertEquals("application/json", received.get().get("type"));
        } finally {
            server.stop(0);
        }
    }

    private static HttpResponse<String> get(NangoGraphEmulator nango, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(nango.baseUrl() + path))
                .header("Authorization", "Bearer " + KEY).build(), HttpResponse.BodyHandlers.ofString());
    }
}

package dev.workbookrelay.sandbox;

import static dev.workbookrelay.sandbox.ProxyClient.assertGraphError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import dev.workbookrelay.sandbox.SampleWorkbooks.SheetSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET …/items/{id}/content}: Graph redirects to a pre-authenticated download URL, and the Nango proxy follows
 * the redirect without its headers, so the caller gets the file itself.
 */
class FileDownloadTest {

    private static final String XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    private static final List<String> PROXY_HEADERS = List.of("authorization", "provider-config-key", "connection-id");

    @TempDir
    Path drive;

    private NangoGraphEmulator emulator;
    private ProxyClient client;
    private HttpServer loop;

    @BeforeEach
    void start() throws IOException {
        SampleWorkbooks.write(drive.resolve("Budget 2026.xlsx"), SheetSpec.of("Summary", List.of("Quarter", "Budget"),
                List.of("Q1", 120000)));
        emulator = NangoGraphEmulator.builder().secretKey(ProxyClient.KEY)
                .connection(ProxyClient.PCK, ProxyClient.CONNECTION, drive).build().start();
        client = new ProxyClient(emulator);
    }

    @AfterEach
    void stop() {
        emulator.close();
        if (loop != null) {
            loop.stop(0);
        }
    }

    @Test
    void contentThroughTheProxyIsTheFilesExactBytes() throws Exception {
        String item = client.itemId("Budget 2026.xlsx");
        String driveId = emulator.driveId(ProxyClient.PCK, ProxyClient.CONNECTION);
        byte[] file = Files.readAllBytes(drive.resolve("Budget 2026.xlsx"));
        for (String path : List.of("/proxy/v1.0/drives/" + driveId + "/items/" + item + "/content",
                "/proxy/v1.0/me/drive/items/" + item + "/content")) {
            int graphCallsBefore = emulator.graphCalls();
            HttpResponse<byte[]> response = download(path, Map.of());

            assertEquals(200, response.statusCode(), path);
            assertEquals(XLSX, response.headers().firstValue("content-type").orElseThrow(), path);
            assertEquals(String.valueOf(file.length), response.headers().firstValue("content-length").orElseThrow());
            assertArrayEquals(file, response.body(), path);
            assertEquals("attachment; filename*=UTF-8''Budget%202026.xlsx",
                    response.headers().firstValue("content-disposition").orElseThrow());
            assertTrue(response.headers().firstValue("x-ratelimit-remaining").isPresent(), "Nango's own headers");
            assertEquals(graphCallsBefore + 1, emulator.graphCalls(), "the download itself is no Graph call");
        }
    }

    @Test
    void theRedirectIsFollowedToADownloadUrlWithoutAnyOfTheProxysHeaders() throws Exception {
        String item = client.itemId("Budget 2026.xlsx");
        emulator.clearRequests();
        assertEquals(200, download("/proxy/v1.0/me/drive/items/" + item + "/content",
                Map.of("Nango-Proxy-client-request-id", "relay-42")).statusCode());

        List<RecordedRequest> requests = emulator.requests();
        assertEquals(2, requests.size(), "the proxy call and, inside it, the download: " + requests);
        RecordedRequest followed = requests.get(0);
        String guid = ItemIds.itemGuid(item).toLowerCase(java.util.Locale.ROOT);
        assertTrue(followed.pathAndQuery().matches("/personal/alice_contoso_onmicrosoft_com/_layouts/15/download\\.aspx"
                + "\\?UniqueId=" + guid + "&Translate=false&tempauth=eyJ[\\w-]+\\.[\\w-]+\\.[\\w-]+&ApiVersion=2\\.0"),
                followed.pathAndQuery());
        assertEquals("GET", followed.method());
        for (String name : followed.headers().keySet()) {
            assertFalse(PROXY_HEADERS.contains(name) || name.startsWith("nango-proxy-")
                    || name.equals("client-request-id"), "not re-sent on the redirect: " + name);
        }
        assertTrue(requests.get(1).pathAndQuery().endsWith("/content"));
    }

    @Test
    void theDownloadUrlNeedsNoHeaderButRefusesAnExpiredOrUnknownToken() throws Exception {
        String item = client.itemId("Budget 2026.xlsx");
        emulator.clearRequests();
        download("/proxy/v1.0/me/drive/items/" + item + "/content", Map.of());
        String url = emulator.baseUrl() + emulator.requests().get(0).pathAndQuery();

        HttpResponse<byte[]> direct = ProxyClient.plainGet(url);
        assertEquals(200, direct.statusCode());
        assertArrayEquals(Files.readAllBytes(drive.resolve("Budget 2026.xlsx")), direct.body());

        assertEquals(401, ProxyClient.plainGet(url.replaceFirst("tempauth=eyJ", "tempauth=xyJ")).statusCode());
        assertEquals(401, ProxyClient.plainGet(url.replaceFirst("&tempauth=[^&]*", "")).statusCode());
        emulator.expireDownloadUrls();
        HttpResponse<byte[]> expired = ProxyClient.plainGet(url);
        assertEquals(401, expired.statusCode());
        assertTrue(expired.headers().firstValue("www-authenticate").orElseThrow().startsWith("Bearer realm="));
        assertEquals(200, download("/proxy/v1.0/me/drive/items/" + item + "/content", Map.of()).statusCode(),
                "a new /content call gets a new URL");
    }

    @Test
    void aDownloadOfAMissingItemIsGraphsItemNotFound() throws Exception {
        client.itemId("Budget 2026.xlsx");
        emulator.clearRequests();
        assertGraphError(client.get("/proxy/v1.0/me/drive/items/01NOSUCHITEM000000000000000000000/content"), 404,
                "itemNotFound", "Item not found");
        assertEquals(1, emulator.requests().size(), "no redirect, nothing downloaded");
    }

    @Test
    void faultsOnContentActOnTheGraphCall() throws Exception {
        String path = "/proxy/v1.0/me/drive/items/" + client.itemId("Budget 2026.xlsx") + "/content";
        emulator.faults().failNext("/content$", 1, 503, Map.of("Retry-After", "2"), null);
        HttpResponse<String> failed = client.get(path);
        assertGraphError(failed, 503, "serviceNotAvailable", "Service unavailable");
        assertEquals("2", failed.headers().firstValue("retry-after").orElseThrow());

        emulator.faults().slowNext("/content$", 1, Duration.ofMillis(400));
        long started = System.nanoTime();
        assertEquals(200, download(path, Map.of()).statusCode());
        assertTrue(System.nanoTime() - started >= Duration.ofMillis(400).toNanos(), "slowed");

        emulator.faults().resetMidBody("/content$", 1);
        assertThrows(IOException.class, () -> download(path, Map.of()), "the file's body is cut");
        assertEquals(200, download(path, Map.of()).statusCode());
        assertTrue(emulator.faults().exhausted());
    }

    @Test
    void theProxyFollowsAtMostFiveRedirects() throws Exception {
        List<Headers> hops = startRedirectLoop();
        String redirect = "http://127.0.0.1:" + loop.getAddress().getPort() + "/again";
        String path = "/proxy/v1.0/me/drive/items/" + client.itemId("Budget 2026.xlsx") + "/content";
        emulator.faults().failNext("/content$", 1, 302, Map.of("Location", redirect), "");

        HttpResponse<String> response = client.send("GET", path, "", Map.of("Nango-Proxy-client-request-id", "r1"));

        assertEquals(500, response.statusCode());
        assertEquals("{\"message\":\"Maximum number of redirects exceeded\",\"code\":\"ERR_FR_TOO_MANY_REDIRECTS\","
                + "\"method\":\"GET\"}", response.body());
        assertEquals(ProxyRedirects.MAX_REDIRECTS, hops.size());
        hops.forEach(headers -> assertFalse(headers.containsKey("Client-request-id") || headers.containsKey(
                "Authorization") || headers.containsKey("Connection-id"), headers.keySet().toString()));

        hops.clear();
        emulator.faults().failNext("/content$", 1, 302, Map.of("Location", redirect), "");
        client.send("GET", path, "", Map.of("Nango-Proxy-client-request-id", "r2",
                "Forward-Headers-On-Redirect", "true"));
        assertEquals("r2", hops.get(0).getFirst("client-request-id"), "re-sent only when asked");
    }

    /** A server that redirects every request to itself, keeping each request's headers. */
    private List<Headers> startRedirectLoop() throws IOException {
        List<Headers> hops = new CopyOnWriteArrayList<>();
        loop = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        loop.createContext("/", exchange -> {
            hops.add(exchange.getRequestHeaders());
            exchange.getResponseHeaders().add("Location", "/again");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        loop.start();
        return hops;
    }

    private HttpResponse<byte[]> download(String path, Map<String, String> headers) throws Exception {
        return client.send("GET", path, "", headers, HttpResponse.BodyHandlers.ofByteArray());
    }
}

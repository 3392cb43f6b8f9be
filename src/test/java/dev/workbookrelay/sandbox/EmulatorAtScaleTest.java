package dev.workbookrelay.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workbookrelay.sandbox.SampleWorkbooks.SheetSpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the benchmark relies on: synthetic drives, Graph's rate limit, item lookups that stay faithful without rescans. */
class EmulatorAtScaleTest {

    static final String KEY = UUID.randomUUID().toString();
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void syntheticDriveHasItsWorkbooksInFoldersAndIsReused() throws Exception {
        Path drive = SyntheticDrive.ensure(dir.resolve("d"), 250, 3);
        try (NangoGraphEmulator nango = emulator(drive, null)) {
            int items = 0;
            int workbooks = 0;
            String next = "/v1.0/me/drive/root/delta";
            while (next != null) {
                JsonNode page = JSON.readTree(get(nango, next).body());
                for (JsonNode item : page.get("value")) {
                    items++;
                    workbooks += item.has("file") ? 1 : 0;
                }
                next = page.has("@odata.nextLink")
                        ? page.get("@odata.nextLink").asText().substring("https://graph.microsoft.com".length()) : null;
            }
            assertEquals(250, workbooks);
            assertEquals(SyntheticDrive.items(250), items, "root + 1 parent + 3 folders + 250 files");
            JsonNode anyItem = JSON.readTree(get(nango, "/v1.0/me/drive/root/delta").body()).get("value").get(3);
            JsonNode sheets = JSON.readTree(get(nango, "/v1.0/me/drive/items/" + anyItem.get("id").asText()
                    + "/workbook/worksheets").body());
            assertEquals(3, sheets.get("value").size());
        }
        long modified = Files.getLastModifiedTime(drive.resolve("b000/f0/Workbook 0000000.xlsx")).toMillis();
        SyntheticDrive.ensure(dir.resolve("d"), 250, 3);
        assertEquals(modified, Files.getLastModifiedTime(drive.resolve("b000/f0/Workbook 0000000.xlsx")).toMillis(),
                "the same drive is reused, not rewritten");
    }

    @Test
    void callsBeyondTheBudgetGet429WithRetryAfter() throws Exception {
        Files.createDirectories(dir.resolve("d"));
        try (NangoGraphEmulator nango = emulator(dir.resolve("d"), Duration.ofSeconds(30))) {
            for (int i = 0; i < 3; i++) {
                assertEquals(200, get(nango, "/v1.0/me/drive").statusCode());
            }
            HttpResponse<String> throttled = get(nango, "/v1.0/me/drive");
            assertEquals(429, throttled.statusCode());
            double retryAfter = Double.parseDouble(throttled.headers().firstValue("retry-after").orElseThrow());
            assertTrue(retryAfter > 25 && retryAfter <= 30, "waits until the oldest call leaves the window: " + retryAfter);
            assertEquals("TooManyRequests", JSON.readTree(throttled.body()).get("error").get("code").asText());
            assertEquals(1, nango.throttledCalls());
            assertEquals(4, nango.graphCalls());
        }
    }

    @Test
    void anItemEditedSinceTheLastScanIsServedAsItIsNow() throws Exception {
        Path drive = Files.createDirectories(dir.resolve("d"));
        Path file = drive.resolve("Budget.xlsx");
        SampleWorkbooks.write(file, SheetSpec.of("Summary"));
        try (NangoGraphEmulator nango = emulator(drive, null)) {
            JsonNode listed = JSON.readTree(get(nango, "/v1.0/me/drive/root/delta").body()).get("value").get(1);
            String item = "/v1.0/me/drive/items/" + listed.get("id").asText();
            assertEquals(listed.get("cTag").asText(), JSON.readTree(get(nango, item).body()).get("cTag").asText());

            SampleWorkbooks.addSheet(file, SheetSpec.of("Q1"));
            Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5000));
            assertNotEquals(listed.get("cTag").asText(), JSON.readTree(get(nango, item).body()).get("cTag").asText());
            assertEquals(2, JSON.readTree(get(nango, item + "/workbook/worksheets").body()).get("value").size());
        }
    }

    private static NangoGraphEmulator emulator(Path drive, Duration limitWindow) {
        NangoGraphEmulator.Builder b = NangoGraphEmulator.builder().secretKey(KEY)
                .connection("microsoft-excel", "alice", drive).pageSize(100);
        if (limitWindow != null) {
            b.graphRateLimit(3, limitWindow);
        }
        return b.build().start();
    }

    private static HttpResponse<String> get(NangoGraphEmulator nango, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(nango.baseUrl() + "/proxy" + path))
                .header("Authorization", "Bearer " + KEY).header("Provider-Config-Key", "microsoft-excel")
                .header("Connection-Id", "alice").GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}

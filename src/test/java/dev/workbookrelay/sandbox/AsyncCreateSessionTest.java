package dev.workbookrelay.sandbox;

import static dev.workbookrelay.sandbox.ProxyClient.assertExcelError;
import static dev.workbookrelay.sandbox.ProxyClient.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.workbookrelay.sandbox.SampleWorkbooks.SheetSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** createSession's long-running form: 202, a workbook operation polled to its end, then the session it made. */
class AsyncCreateSessionTest {

    private static final Map<String, String> RESPOND_ASYNC = Map.of("Nango-Proxy-Prefer", "respond-async");
    private static final String NOT_FOUND = "The requested resource doesn't exist.";

    @TempDir
    Path drive;

    private NangoGraphEmulator emulator;
    private ProxyClient client;

    @AfterEach
    void stop() {
        if (emulator != null) {
            emulator.close();
        }
    }

    @Test
    void respondAsyncGives202ThenRunningPollsThenTheSessionItCreated() throws Exception {
        start(builder -> builder.createSessionAsync(2));
        String driveId = emulator.driveId(ProxyClient.PCK, ProxyClient.CONNECTION);
        String item = client.itemId("Book.xlsx");
        String workbook = "https://graph.microsoft.com/v1.0/drives/" + driveId + "/items/" + item + "/workbook";

        HttpResponse<String> accepted = createSession("/proxy/v1.0/drives/" + driveId + "/items/" + item, false,
                RESPOND_ASYNC);
        assertEquals(202, accepted.statusCode(), accepted.body());
        assertEquals("{}", accepted.body());
        String location = accepted.headers().firstValue("location").orElseThrow();
        assertTrue(location.matches(java.util.regex.Pattern.quote(workbook + "/operations/") + "[\\w-]+"), location);
        String operationId = location.substring(location.lastIndexOf('/') + 1);
        assertEquals(List.of(), emulator.workbookSessions(), "no session before the operation succeeded");

        String running = "{\"id\":\"" + operationId + "\",\"status\":\"running\"}";
        assertEquals(running, client.ok(ProxyClient.proxyPath(location)).toString());
        assertEquals(running, client.ok(ProxyClient.proxyPath(location)).toString());
        JsonNode succeeded = client.ok(ProxyClient.proxyPath(location));
        assertEquals(List.of("id", "status", "resourceLocation"), ProxyClient.fieldNames(succeeded));
        assertEquals(operationId, succeeded.get("id").asText());
        assertEquals("succeeded", succeeded.get("status").asText());
        String resource = succeeded.get("resourceLocation").asText();
        assertTrue(resource.matches(java.util.regex.Pattern.quote(workbook + "/sessionInfoResource(key='")
                + "[\\w-]+'\\)"), resource);
        assertEquals(succeeded, client.ok(ProxyClient.proxyPath(location)), "a finished operation stays finished");

        JsonNode info = client.ok(ProxyClient.proxyPath(resource));
        assertEquals(List.of("@odata.context", "id", "persistChanges"), ProxyClient.fieldNames(info));
        String sessionId = info.get("id").asText();
        assertTrue(sessionId.startsWith("cluster=") && sessionId.contains("&session="), sessionId);
        assertEquals(false, info.get("persistChanges").asBoolean());
        assertEquals(List.of(List.of(item, false, false, 0)), emulator.workbookSessions());

        HttpResponse<String> used = client.send("GET", ProxyClient.proxyPath(workbook)
                + "/worksheets/Data/usedRange?$select=address", "", Map.of("Nango-Proxy-workbook-session-id", sessionId));
        assertEquals(200, used.statusCode(), used.body());
        assertEquals(List.of(List.of(item, false, false, 1)), emulator.workbookSessions(), "a session like any other");
    }

    @Test
    void theLocationNamesTheDriveAsTheRequestDid() throws Exception {
        start(builder -> builder.createSessionAsync(0));
        String item = client.itemId("Book.xlsx");
        HttpResponse<String> accepted = createSession("/proxy/v1.0/me/drive/items/" + item, true, RESPOND_ASYNC);
        String location = accepted.headers().firstValue("location").orElseThrow();
        assertTrue(location.startsWith("https://graph.microsoft.com/v1.0/me/drive/items/" + item
                + "/workbook/operations/"), location);
        JsonNode succeeded = client.ok(ProxyClient.proxyPath(location));
        assertEquals("succeeded", succeeded.get("status").asText(), "no running poll asked for");
        assertEquals(true, client.ok(ProxyClient.proxyPath(succeeded.get("resourceLocation").asText()))
                .get("persistChanges").asBoolean());
    }

    @Test
    void aFailingOperationEndsWithMicrosoftsSampleError() throws Exception {
        start(builder -> builder.createSessionAsyncFailing(1));
        String item = client.itemId("Book.xlsx");
        String location = createSession("/proxy/v1.0/me/drive/items/" + item, true, RESPOND_ASYNC).headers()
                .firstValue("location").orElseThrow();

        assertEquals("running", client.ok(ProxyClient.proxyPath(location)).get("status").asText());
        HttpResponse<String> failed = client.get(ProxyClient.proxyPath(location));
        assertEquals(200, failed.statusCode(), "an operation's failure is its status, not the HTTP one");
        ObjectNode sample = (ObjectNode) ProxyClient.JSON.readTree(ProxyClient.sampleText(
                "docs-excel__workbookOperation_failed.VERBATIM-INVALID-JSON.txt")
                .replace("\"\"internalServerErrorUncategorized\"", "\"internalServerErrorUncategorized\""));
        sample.put("id", location.substring(location.lastIndexOf('/') + 1));
        assertEquals(sample, json(failed));
        assertEquals(List.of(), emulator.workbookSessions());
    }

    @Test
    void withoutTheOptionOrWithoutNangosPrefixCreateSessionAnswers201() throws Exception {
        start(UnaryOperator.identity());
        String item = "/proxy/v1.0/me/drive/items/" + client.itemId("Book.xlsx");
        assertEquals(201, createSession(item, false, RESPOND_ASYNC).statusCode(), "the option is off");
        emulator.close();

        start(builder -> builder.createSessionAsync(1));
        HttpResponse<String> plain = createSession(item, false, Map.of("Prefer", "respond-async"));
        assertEquals(201, plain.statusCode(), "a plain Prefer never reaches Graph");
        assertEquals(false, json(plain).get("persistChanges").asBoolean());
        assertEquals(201, createSession(item, false, Map.of()).statusCode());
        assertEquals(202, createSession(item, false, Map.of("Nango-Proxy-Prefer", "wait=10, respond-async"))
                .statusCode(), "one preference among others");
    }

    @Test
    void anUnknownOperationOrSessionInfoKeyIsItemNotFound() throws Exception {
        start(builder -> builder.createSessionAsync(0));
        String workbook = "/proxy/v1.0/me/drive/items/" + client.itemId("Book.xlsx") + "/workbook";
        assertExcelError(client.get(workbook + "/operations/nope"), 404, "ItemNotFound", "itemNotFound", NOT_FOUND);
        assertExcelError(client.get(workbook + "/sessionInfoResource(key='nope')"), 404, "ItemNotFound",
                "itemNotFound", NOT_FOUND);

        String location = createSession(workbook.replace("/workbook", ""), true, RESPOND_ASYNC).headers()
                .firstValue("location").orElseThrow();
        String other = "/proxy/v1.0/me/drive/items/" + client.itemId("Other.xlsx") + "/workbook/operations/"
                + location.substring(location.lastIndexOf('/') + 1);
        assertExcelError(client.get(other), 404, "ItemNotFound", "itemNotFound", NOT_FOUND);
    }

    private void start(UnaryOperator<NangoGraphEmulator.Builder> options) throws Exception {
        SampleWorkbooks.write(drive.resolve("Book.xlsx"), SheetSpec.of("Data", List.of("a"), List.of(1)));
        SampleWorkbooks.write(drive.resolve("Other.xlsx"), SheetSpec.of("Data", List.of("b")));
        emulator = options.apply(NangoGraphEmulator.builder().secretKey(ProxyClient.KEY)
                .connection(ProxyClient.PCK, ProxyClient.CONNECTION, drive)).build().start();
        client = new ProxyClient(emulator);
    }

    private HttpResponse<String> createSession(String itemPath, boolean persistChanges, Map<String, String> headers)
            throws Exception {
        Map<String, String> all = new java.util.HashMap<>(headers);
        all.put("Content-Type", "application/json");
        return client.send("POST", itemPath + "/workbook/createSession", "{\"persistChanges\":" + persistChanges + "}",
                all);
    }
}

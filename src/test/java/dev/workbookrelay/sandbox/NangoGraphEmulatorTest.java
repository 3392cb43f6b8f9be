package dev.workbookrelay.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workbookrelay.sandbox.SampleWorkbooks.SheetSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NangoGraphEmulatorTest {

    private static final String KEY = "6f1c2a9e-3b7d-4e21-9a5f-0c8d7e6b5a41";
    private static final String OTHER_KEY = "1d2e3f40-5a6b-4c7d-8e9f-a0b1c2d3e4f5";
    private static final String PCK = "one-drive";
    private static final String CONNECTION = "alice";
    private static final String GRAPH = "https://graph.microsoft.com";
    private static final String NANGO_JSON = "application/json; charset=utf-8";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path drive;
    @TempDir
    Path otherDrive;

    private NangoGraphEmulator emulator;

    @BeforeEach
    void start() {
        emulator = NangoGraphEmulator.builder()
                .secretKey(KEY)
                .connection(PCK, CONNECTION, drive)
                .connection(PCK, "bob", otherDrive)
                .build()
                .start();
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    // ---- Nango's own checks

    @Test
    void missingAuthorizationHeaderGetsNangosExactBody() throws Exception {
        HttpResponse<String> response = send("GET", "/proxy/v1.0/me/drive", Map.of());
        assertEquals(401, response.statusCode());
        assertEquals("{\"error\":{\"message\":\"Authentication failed. The request is missing the Authorization header.\","
                + "\"payload\":{},\"code\":\"missing_auth_header\"}}", response.body());
        assertNangoOnlyHeaders(response);
    }

    @Test
    void secretKeyThatIsNotAUuidV4IsABadFormat() throws Exception {
        for (String authorization : List.of("Bearer not-a-key", "Bearer 6f1c2a9e-3b7d-1e21-9a5f-0c8d7e6b5a41", "Basic " + KEY)) {
            HttpResponse<String> response = send("GET", "/proxy/v1.0/me/drive", Map.of("Authorization", authorization,
                    "Provider-Config-Key", PCK, "Connection-Id", CONNECTION));
            assertEquals(401, response.statusCode(), authorization);
            assertEquals("{\"error\":{\"message\":\"Authentication failed. The provided secret key is not a UUID v4.\","
                    + "\"payload\":{},\"code\":\"invalid_secret_key_format\"}}", response.body());
        }
    }

    @Test
    void wellFormedButUnknownSecretKeyIsAnUnknownAccount() throws Exception {
        HttpResponse<String> response = send("GET", "/proxy/v1.0/me/drive", Map.of("Authorization", "Bearer " + OTHER_KEY));
        assertEquals(401, response.statusCode());
        assertEquals("{\"error\":{\"message\":\"Authentication failed. The provided authorization header does not "
                + "match any account.\",\"payload\":{},\"code\":\"unknown_account\"}}", response.body());
        assertNangoOnlyHeaders(response);
    }

    @Test
    void missingProxyHeadersAreListedOneZodIssueEach() throws Exception {
        HttpResponse<String> both = send("GET", "/proxy/v1.0/me/drive", Map.of("Authorization", "Bearer " + KEY));
        assertEquals(400, both.statusCode());
        assertEquals("{\"error\":{\"code\":\"invalid_headers\",\"errors\":["
                + "{\"code\":\"invalid_type\",\"message\":\"Invalid input: expected string, received undefined\",\"path\":[\"provider-config-key\"]},"
                + "{\"code\":\"invalid_type\",\"message\":\"Invalid input: expected string, received undefined\",\"path\":[\"connection-id\"]}]}}",
                both.body());
        assertNangoOnlyHeaders(both);

        HttpResponse<String> one = send("GET", "/proxy/v1.0/me/drive",
                Map.of("Authorization", "Bearer " + KEY, "Provider-Config-Key", PCK));
        assertEquals(400, one.statusCode());
        assertEquals("{\"error\":{\"code\":\"invalid_headers\",\"errors\":["
                + "{\"code\":\"invalid_type\",\"message\":\"Invalid input: expected string, received undefined\",\"path\":[\"connection-id\"]}]}}",
                one.body());
    }

    @Test
    void unknownProviderConfigKeyIs404() throws Exception {
        HttpResponse<String> response = send("GET", "/proxy/v1.0/me/drive",
                Map.of("Authorization", "Bearer " + KEY, "Provider-Config-Key", "sharepoint", "Connection-Id", CONNECTION));
        assertEquals(404, response.statusCode());
        assertEquals("{\"error\":{\"code\":\"unknown_provider_config\",\"message\":\"Provider config not found for the "
                + "given provider config key. Please make sure the provider config exists in the Nango dashboard.\"}}",
                response.body());
        assertNangoOnlyHeaders(response);
    }

    @Test
    void unknownConnectionIs400ServerError() throws Exception {
        HttpResponse<String> response = send("GET", "/proxy/v1.0/me/drive",
                Map.of("Authorization", "Bearer " + KEY, "Provider-Config-Key", PCK, "Connection-Id", "carol"));
        assertEquals(400, response.statusCode());
        assertEquals("{\"error\":{\"code\":\"server_error\",\"message\":\"Failed to get connection\"}}", response.body());
        assertNangoOnlyHeaders(response);
    }

    @Test
    void headerNamesAreCaseInsensitive() throws Exception {
        HttpResponse<String> response = send("GET", "/proxy/v1.0/me/drive",
                Map.of("authorization", "Bearer " + KEY, "PROVIDER-CONFIG-KEY", PCK, "connection-ID", CONNECTION));
        assertEquals(200, response.statusCode());
    }

    @Test
    void onlyProxyPathsExist() throws Exception {
        HttpResponse<String> response = send("GET", "/v1.0/me/drive", proxyHeaders());
        assertEquals(404, response.statusCode());
        assertEquals(0, emulator.graphCalls());
    }

    @Test
    void everyRequestIsRecordedButOnlyAdmittedOnesAreGraphCalls() throws Exception {
        send("GET", "/proxy/v1.0/me/drive", Map.of());
        get("/proxy/v1.0/me/drive/root/delta?$top=5");
        List<RecordedRequest> requests = emulator.requests();
        assertEquals(2, requests.size());
        assertEquals(401, requests.get(0).status());
        assertEquals("/proxy/v1.0/me/drive/root/delta?$top=5", requests.get(1).pathAndQuery());
        assertEquals(PCK, requests.get(1).headers().get("provider-config-key").get(0));
        assertEquals(1, emulator.graphCalls());
        emulator.clearRequests();
        assertTrue(emulator.requests().isEmpty());
    }

    // ---- what reaches Graph, and what Graph answers with

    @Test
    void onlyNangoProxyPrefixedHeadersReachGraph() throws Exception {
        String plainId = "11111111-2222-4333-8444-555555555555";
        HttpResponse<String> plain = send("GET", "/proxy/v1.0/me/drive", with(proxyHeaders(), "client-request-id", plainId));
        assertNotEquals(plainId, plain.headers().firstValue("client-request-id").orElseThrow());
        assertEquals(plain.headers().firstValue("request-id"), plain.headers().firstValue("client-request-id"));

        HttpResponse<String> forwarded = send("GET", "/proxy/v1.0/me/drive",
                with(proxyHeaders(), "Nango-Proxy-Client-Request-Id", plainId));
        assertEquals(plainId, forwarded.headers().firstValue("client-request-id").orElseThrow());

        write("Team roster.xlsx", SheetSpec.of("Team", List.of("Name")));
        JsonNode item = only(delta("/proxy/v1.0/me/drive/root/delta").items(), "Team roster.xlsx");
        String path = "/proxy/v1.0/me/drive/items/" + item.get("id").asText();
        assertEquals(200, send("GET", path, with(proxyHeaders(), "If-None-Match", item.get("eTag").asText())).statusCode());
        assertEquals(304, send("GET", path, with(proxyHeaders(), "Nango-Proxy-If-None-Match", item.get("eTag").asText())).statusCode());
    }

    @Test
    void graphAnswersCarryGraphHeadersAndNangoRateLimitHeaders() throws Exception {
        HttpResponse<String> response = get("/proxy/v1.0/me/drive");
        assertEquals(200, response.statusCode());
        String requestId = response.headers().firstValue("request-id").orElseThrow();
        assertTrue(requestId.matches("[0-9a-f-]{36}"));
        assertEquals(requestId, response.headers().firstValue("client-request-id").orElseThrow());
        assertEquals("4.0", response.headers().firstValue("odata-version").orElseThrow());
        assertEquals("application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8",
                response.headers().firstValue("content-type").orElseThrow());
        assertEquals("2000", response.headers().firstValue("x-ratelimit-limit").orElseThrow());
        int remaining = Integer.parseInt(response.headers().firstValue("x-ratelimit-remaining").orElseThrow());
        assertTrue(remaining < 2000 && remaining >= 0);
        long reset = Long.parseLong(response.headers().firstValue("x-ratelimit-reset").orElseThrow());
        assertTrue(reset > System.currentTimeMillis() / 1000 - 1 && reset <= System.currentTimeMillis() / 1000 + 60);
    }

    @Test
    void driveIsTheSameWhicheverWayItIsAddressed() throws Exception {
        String driveId = emulator.driveId(PCK, CONNECTION);
        assertTrue(driveId.matches("b![A-Za-z0-9_-]{64}"), driveId);
        for (String path : List.of("/proxy/v1.0/me/drive", "/proxy/v1.0/drives/" + driveId,
                "/proxy/v1.0/users/alice@contoso.com/drive", "/proxy/v1.0/sites/contoso.sharepoint.com%2Cabc%2Cdef/drive")) {
            JsonNode json = json(get(path));
            assertEquals(driveId, json.get("id").asText(), path);
            assertEquals("business", json.get("driveType").asText());
            assertTrue(json.get("quota").has("total"));
            assertTrue(json.get("owner").get("user").has("displayName"));
        }
        assertNotEquals(driveId, emulator.driveId(PCK, "bob"));
        HttpResponse<String> unknown = get("/proxy/v1.0/drives/" + emulator.driveId(PCK, "bob"));
        assertGraphError(unknown, 404, "itemNotFound", "Item not found");
    }

    @Test
    void unknownGraphPathIsResourceNotFoundForTheSegment() throws Exception {
        assertGraphError(get("/proxy/v1.0/me/drive/root/children"), 400, "BadRequest",
                "Resource not found for the segment 'children'.");
        assertGraphError(get("/proxy/v1.0/me/mailFolders"), 400, "BadRequest",
                "Resource not found for the segment 'mailFolders'.");
    }

    // ---- delta: full enumeration

    @Test
    void fullDeltaPagesThroughTheWholeTreeWithParentsFirst() throws Exception {
        List<String> files = List.of("a.xlsx", "Finance/b.xlsx", "Finance/Reports/c.xlsx", "Finance/Reports/d.txt",
                "Finance/Reports/2026/e.xlsx", "Sales/f.csv", "Sales/Deals/g.xlsx", "Sales/Deals/h.xlsx", "z.txt");
        for (String file : files) {
            Path path = drive.resolve(file);
            Files.createDirectories(path.getParent());
            Files.writeString(path, file);
        }
        String select = "id,name,folder,file,root,parentReference,deleted";
        Delta delta = delta("/proxy/v1.0/me/drive/root/delta?$top=2&$select=" + select);

        assertTrue(delta.pages().size() >= 3, "pages: " + delta.pages().size());
        int folders = 6; // Finance, Reports, 2026, Sales, Deals + root
        assertEquals(files.size() + folders, delta.items().size());
        assertEquals(files.size() + folders, delta.items().stream().map(i -> i.get("id").asText()).distinct().count());
        JsonNode root = delta.items().get(0);
        assertTrue(root.has("root") && root.has("folder"));
        Set<String> seen = new HashSet<>();
        for (JsonNode item : delta.items()) {
            if (!item.has("root")) {
                assertTrue(seen.contains(item.get("parentReference").get("id").asText()), "parent first: " + item);
                assertFalse(item.get("parentReference").has("path"), "delta leaves the path out");
            }
            seen.add(item.get("id").asText());
        }
        for (int i = 0; i < delta.pages().size(); i++) {
            JsonNode page = delta.pages().get(i);
            assertEquals(GRAPH + "/v1.0/$metadata#Collection(driveItem)", page.get("@odata.context").asText());
            boolean last = i == delta.pages().size() - 1;
            assertEquals(!last, page.has("@odata.nextLink"));
            assertEquals(last, page.has("@odata.deltaLink"));
            assertTrue(page.get("value").size() <= 2);
            String link = page.get(last ? "@odata.deltaLink" : "@odata.nextLink").asText();
            assertTrue(link.startsWith(GRAPH + "/v1.0/me/drive/root/delta?"), link);
            assertTrue(link.contains("$top=2") && link.contains("$select=" + select), link);
            assertTrue(link.contains(last ? "token=" : "$skiptoken="), link);
        }
    }

    @Test
    void fullEnumerationIsASnapshotTakenAtItsFirstPage() throws Exception {
        for (int i = 0; i < 6; i++) {
            Files.writeString(drive.resolve("file" + i + ".txt"), "v" + i);
        }
        JsonNode first = json(get("/proxy/v1.0/me/drive/root/delta?$top=3"));
        Files.delete(drive.resolve("file5.txt"));
        Files.writeString(drive.resolve("late.txt"), "late");
        List<JsonNode> items = new ArrayList<>();
        first.get("value").forEach(items::add);
        Delta rest = follow(first.get("@odata.nextLink").asText());
        items.addAll(rest.items());
        Set<String> names = items.stream().map(i -> i.get("name").asText()).collect(Collectors.toSet());
        assertEquals(Set.of("root", "file0.txt", "file1.txt", "file2.txt", "file3.txt", "file4.txt", "file5.txt"), names);

        Delta changes = delta(toProxy(rest.deltaLink()));
        assertEquals(Set.of("root", "late.txt"), names(changes.items()));
        assertEquals(1, tombstones(changes.items()).size());
    }

    @Test
    void deltaItemsCanCarryTheParentPathWhenAskedTo() throws Exception {
        Files.createDirectories(otherDrive.resolve("Finance"));
        Files.writeString(otherDrive.resolve("Finance/a.txt"), "a");
        try (NangoGraphEmulator withPaths = NangoGraphEmulator.builder().secretKey(KEY)
                .connection(PCK, CONNECTION, otherDrive).omitPathInDelta(false).pageSize(1).build().start()) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(withPaths.baseUrl()
                    + "/proxy/v1.0/me/drive/root/delta?$top=5"));
            proxyHeaders().forEach(request::header);
            JsonNode page = JSON.readTree(HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString()).body());
            assertEquals(3, page.get("value").size());
            assertEquals("/drive/root:", page.get("value").get(1).get("parentReference").get("path").asText());
            assertEquals("/drive/root:/Finance", page.get("value").get(2).get("parentReference").get("path").asText());
        }
    }

    @Test
    void pageSizeDefaultsTo200AndTopIsClampedTo1000() throws Exception {
        for (int i = 0; i < 250; i++) {
            Files.writeString(drive.resolve(String.format("f%03d.txt", i)), "x");
        }
        JsonNode first = json(get("/proxy/v1.0/me/drive/root/delta"));
        assertEquals(200, first.get("value").size());
        JsonNode all = json(get("/proxy/v1.0/me/drive/root/delta?$top=5000"));
        assertEquals(251, all.get("value").size());
        assertTrue(all.has("@odata.deltaLink"));
    }

    // ---- delta: changes since a token

    @Test
    void deltaWithATokenReturnsExactlyTheChangesAndTombstones() throws Exception {
        write("Finance/Budget.xlsx", SheetSpec.of("Q1", List.of("x", 1)));
        write("Finance/Old.xlsx", SheetSpec.of("Sheet1", List.of("y")));
        write("Team.xlsx", SheetSpec.of("Team", List.of("z")));
        Files.createDirectories(drive.resolve("Sales"));
        write("Sales/Pipeline.xlsx", SheetSpec.of("Deals", List.of("w")));
        Delta initial = delta("/proxy/v1.0/me/drive/root/delta");
        String deletedId = only(initial.items(), "Old.xlsx").get("id").asText();
        String financeId = only(initial.items(), "Finance").get("id").asText();

        write("Finance/New.xlsx", SheetSpec.of("Sheet1", List.of(1)));                                 // added
        SampleWorkbooks.editCell(drive.resolve("Finance/Budget.xlsx"), "Q1", "B1", 2);                 // edited
        Files.move(drive.resolve("Team.xlsx"), drive.resolve("Team roster.xlsx"));                     // renamed
        Files.delete(drive.resolve("Finance/Old.xlsx"));                                               // deleted

        Delta changes = delta(toProxy(initial.deltaLink()));
        List<JsonNode> live = changes.items().stream().filter(i -> !i.has("deleted")).toList();
        assertEquals(Set.of("New.xlsx", "Budget.xlsx", "Team roster.xlsx"),
                names(live.stream().filter(i -> i.has("file")).toList()));
        assertEquals(Set.of("root", "Finance"), names(live.stream().filter(i -> i.has("folder")).toList()),
                "only the changed items' parents come along; Sales did not change");

        List<JsonNode> tombstones = tombstones(changes.items());
        assertEquals(1, tombstones.size());
        JsonNode tombstone = tombstones.get(0);
        assertEquals(JSON.readTree("{\"@odata.type\":\"#microsoft.graph.driveItem\",\"id\":\"" + deletedId + "\","
                + "\"deleted\":{\"state\":\"deleted\"},\"parentReference\":{\"driveId\":\"" + emulator.driveId(PCK, CONNECTION)
                + "\",\"id\":\"" + financeId + "\"},\"size\":0,\"file\":{}}"), tombstone);

        Delta nothing = delta(toProxy(changes.deltaLink()));
        assertEquals(0, nothing.items().size());
        assertEquals(1, nothing.pages().size());
    }

    @Test
    void deletedFolderLeavesTombstonesForItAndItsContentsDeepestFirst() throws Exception {
        Files.createDirectories(drive.resolve("Old/Inner"));
        Files.writeString(drive.resolve("Old/Inner/a.txt"), "a");
        String token = delta("/proxy/v1.0/me/drive/root/delta").deltaLink();
        Files.delete(drive.resolve("Old/Inner/a.txt"));
        Files.delete(drive.resolve("Old/Inner"));
        Files.delete(drive.resolve("Old"));
        List<JsonNode> tombstones = tombstones(delta(toProxy(token)).items());
        assertEquals(3, tombstones.size());
        assertTrue(tombstones.get(0).has("file"));
        assertTrue(tombstones.get(1).has("folder") && tombstones.get(2).has("folder"));
    }

    @Test
    void selectWithoutDeletedDropsTheDeletedFacet() throws Exception {
        Files.writeString(drive.resolve("gone.txt"), "bye");
        String deltaLink = delta("/proxy/v1.0/me/drive/root/delta?$select=id,name,file").deltaLink();
        Files.delete(drive.resolve("gone.txt"));

        List<JsonNode> withoutFacet = delta(toProxy(deltaLink)).items().stream().filter(i -> i.has("file")).toList();
        assertEquals(1, withoutFacet.size());
        assertFalse(withoutFacet.get(0).has("deleted"), "Graph strips the facet when $select omits it");
        assertFalse(withoutFacet.get(0).has("name"));

        String selectingDeleted = toProxy(deltaLink).replace("$select=id,name,file", "$select=id,name,file,deleted");
        JsonNode tombstone = tombstones(delta(selectingDeleted).items()).get(0);
        assertEquals("deleted", tombstone.get("deleted").get("state").asText());
    }

    @Test
    void tokenLatestReturnsNoItemsAndADeltaLinkThatSeesLaterChanges() throws Exception {
        Files.writeString(drive.resolve("before.txt"), "1");
        JsonNode latest = json(get("/proxy/v1.0/me/drive/root/delta?token=latest"));
        assertEquals(GRAPH + "/v1.0/$metadata#Collection(driveItem)", latest.get("@odata.context").asText());
        assertEquals(0, latest.get("value").size());
        String deltaLink = latest.get("@odata.deltaLink").asText();
        assertTrue(deltaLink.startsWith(GRAPH + "/v1.0/me/drive/root/delta?token="), deltaLink);

        Files.writeString(drive.resolve("after.txt"), "2");
        assertEquals(Set.of("root", "after.txt"), names(delta(toProxy(deltaLink)).items()));
    }

    @Test
    void tokenInTheFunctionFormOfThePathIsAccepted() throws Exception {
        String deltaLink = delta("/proxy/v1.0/me/drive/root/delta").deltaLink();
        String token = deltaLink.substring(deltaLink.indexOf("token=") + "token=".length());
        Files.writeString(drive.resolve("new.txt"), "n");
        assertEquals(Set.of("root", "new.txt"), names(delta("/proxy/v1.0/me/drive/root/delta(token='" + token + "')").items()));
    }

    @Test
    void expiredTokensGet410ResyncRequiredWithAFreshStartInLocation() throws Exception {
        String driveId = emulator.driveId(PCK, CONNECTION);
        String deltaLink = delta("/proxy/v1.0/drives/" + driveId + "/root/delta").deltaLink();
        emulator.expireDeltaTokens();

        HttpResponse<String> gone = get(toProxy(deltaLink));
        assertEquals(410, gone.statusCode());
        assertEquals(GRAPH + "/v1.0/drives/" + driveId + "/root/delta", gone.headers().firstValue("location").orElseThrow());
        JsonNode error = json(gone).get("error");
        assertEquals("resyncRequired", error.get("code").asText());
        assertEquals("Resync required. Replace any local items with the server's version (including deletes) if you're "
                + "sure that the service was up to date with your local changes when you last sync'd. Upload any local "
                + "changes that the server doesn't know about.", error.get("message").asText());
        assertInnerError(error.get("innerError"), gone);

        assertEquals(410, get("/proxy/v1.0/me/drive/root/delta?token=bm90LWEtdG9rZW4").statusCode());
        assertEquals(200, get("/proxy/v1.0/me/drive/root/delta").statusCode());
    }

    @Test
    void nextLinksOfAnEnumerationAlsoExpire() throws Exception {
        for (int i = 0; i < 4; i++) {
            Files.writeString(drive.resolve("f" + i), "x");
        }
        String nextLink = json(get("/proxy/v1.0/me/drive/root/delta?$top=2")).get("@odata.nextLink").asText();
        emulator.expireDeltaTokens();
        assertEquals(410, get(toProxy(nextLink)).statusCode());
    }

    // ---- items

    @Test
    void itemIdsSurviveRenameAndMove() throws Exception {
        Files.createDirectories(drive.resolve("Finance/Reports"));
        write("Budget.xlsx", SheetSpec.of("Q1", List.of(1)));
        String id = only(delta("/proxy/v1.0/me/drive/root/delta").items(), "Budget.xlsx").get("id").asText();
        assertTrue(id.matches("01[A-Z2-7]{32}"), id);

        Files.move(drive.resolve("Budget.xlsx"), drive.resolve("Budget 2026.xlsx"));
        JsonNode renamed = json(get("/proxy/v1.0/me/drive/items/" + id));
        assertEquals("Budget 2026.xlsx", renamed.get("name").asText());
        assertEquals("/drive/root:", renamed.get("parentReference").get("path").asText());

        Files.move(drive.resolve("Budget 2026.xlsx"), drive.resolve("Finance/Reports/Budget 2026.xlsx"));
        JsonNode moved = json(get("/proxy/v1.0/me/drive/items/" + id));
        assertEquals("/drive/root:/Finance/Reports", moved.get("parentReference").get("path").asText());
        String driveId = emulator.driveId(PCK, CONNECTION);
        JsonNode byDrive = json(get("/proxy/v1.0/drives/" + driveId + "/items/" + id));
        assertEquals("/drives/" + driveId + "/root:/Finance/Reports", byDrive.get("parentReference").get("path").asText());
        assertEquals(GRAPH + "/v1.0/$metadata#drives('" + driveId.replace("!", "%21") + "')/items/$entity",
                byDrive.get("@odata.context").asText());
        assertEquals("https://contoso.sharepoint.com/personal/alice_contoso_onmicrosoft_com/Documents/Finance/Reports/Budget%202026.xlsx",
                byDrive.get("webUrl").asText());
    }

    @Test
    void aNewFileNeverInheritsTheIdOfADeletedOne() throws Exception {
        Files.writeString(drive.resolve("old.txt"), "old");
        String token = delta("/proxy/v1.0/me/drive/root/delta").deltaLink();
        Files.delete(drive.resolve("old.txt"));
        Files.writeString(drive.resolve("new.txt"), "new content"); // ext4 may hand it old.txt's inode number
        Delta changes = delta(toProxy(token));
        assertEquals(1, tombstones(changes.items()).size());
        String newId = only(changes.items(), "new.txt").get("id").asText();
        assertNotEquals(tombstones(changes.items()).get(0).get("id").asText(), newId);
    }

    @Test
    void aFileReplacedAtTheSamePathKeepsItsId() throws Exception {
        write("Book.xlsx", SheetSpec.of("Q1", List.of(1)));
        String id = only(delta("/proxy/v1.0/me/drive/root/delta").items(), "Book.xlsx").get("id").asText();
        // how editors save: write a temporary file, then rename it over the original (a new inode)
        SampleWorkbooks.write(drive.resolve("Book.tmp"), SheetSpec.of("Q1", List.of(2)));
        Files.move(drive.resolve("Book.tmp"), drive.resolve("Book.xlsx"), StandardCopyOption.REPLACE_EXISTING);
        assertEquals("Book.xlsx", json(get("/proxy/v1.0/me/drive/items/" + id)).get("name").asText());
    }

    @Test
    void cTagChangesOnContentEditsButNotOnRenamesWhileETagChangesOnBoth() throws Exception {
        write("Plan.xlsx", SheetSpec.of("Q1", List.of(1)));
        JsonNode v1 = only(delta("/proxy/v1.0/me/drive/root/delta").items(), "Plan.xlsx");
        String path = "/proxy/v1.0/me/drive/items/" + v1.get("id").asText();
        assertTrue(v1.get("eTag").asText().matches("\"\\{[0-9A-F-]{36}},\\d+\""), v1.get("eTag").asText());
        assertTrue(v1.get("cTag").asText().matches("\"c:\\{[0-9A-F-]{36}},\\d+\""), v1.get("cTag").asText());

        Files.move(drive.resolve("Plan.xlsx"), drive.resolve("Plan 2026.xlsx"));
        JsonNode renamed = json(get(path));
        assertEquals(v1.get("cTag"), renamed.get("cTag"));
        assertNotEquals(v1.get("eTag"), renamed.get("eTag"));

        SampleWorkbooks.editCell(drive.resolve("Plan 2026.xlsx"), "Q1", "A1", 2);
        JsonNode edited = json(get(path));
        assertNotEquals(renamed.get("cTag"), edited.get("cTag"));
        assertNotEquals(renamed.get("eTag"), edited.get("eTag"));
        assertNotEquals(renamed.get("file").get("hashes").get("quickXorHash"), edited.get("file").get("hashes").get("quickXorHash"));
        String guid = v1.get("eTag").asText().substring(2, 38);
        assertTrue(edited.get("cTag").asText().contains(guid), "one GUID per item, in eTag and cTag");
    }

    @Test
    void itemsHaveTheDriveItemShape() throws Exception {
        Files.createDirectories(drive.resolve("Finance"));
        Files.write(drive.resolve("Finance/one-byte.xls"), new byte[] {0x4A});
        Files.setLastModifiedTime(drive.resolve("Finance/one-byte.xls"), FileTime.fromMillis(1_785_262_794_123L));
        JsonNode item = only(delta("/proxy/v1.0/me/drive/root/delta").items(), "one-byte.xls");
        assertEquals("#microsoft.graph.driveItem", item.get("@odata.type").asText());
        assertEquals(1, item.get("size").asLong());
        assertEquals("2026-07-28T18:19:54Z", item.get("lastModifiedDateTime").asText());
        assertEquals("application/vnd.ms-excel", item.get("file").get("mimeType").asText());
        assertEquals("SgAAAAAAAAAAAAAAAQAAAAAAAAA=", item.get("file").get("hashes").get("quickXorHash").asText(),
                "OneDrive's quickXorHash of the single byte 0x4A");
        assertEquals("business", item.get("parentReference").get("driveType").asText());
        assertTrue(item.get("createdBy").get("user").has("displayName"));
        assertTrue(item.get("fileSystemInfo").has("lastModifiedDateTime"));
        JsonNode folder = only(delta("/proxy/v1.0/me/drive/root/delta").items(), "Finance");
        assertEquals(1, folder.get("folder").get("childCount").asInt());
        assertFalse(folder.has("cTag"));
    }

    @Test
    void hiddenAndOfficeLockFilesAreNotPartOfTheDrive() throws Exception {
        Files.writeString(drive.resolve(".DS_Store"), "x");
        Files.writeString(drive.resolve("~$Budget.xlsx"), "lock");
        Files.createDirectories(drive.resolve(".git"));
        Files.writeString(drive.resolve(".git/config"), "x");
        Files.writeString(drive.resolve("visible.txt"), "x");
        assertEquals(Set.of("root", "visible.txt"), names(delta("/proxy/v1.0/me/drive/root/delta").items()));
    }

    @Test
    void unknownItemIsItemNotFound() throws Exception {
        assertGraphError(get("/proxy/v1.0/me/drive/items/01AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"), 404, "itemNotFound",
                "Item not found");
    }

    // ---- workbook worksheets

    @Test
    void worksheetsOfAPoiWorkbookHaveStableIdsPositionsAndVisibility() throws Exception {
        write("Book.xlsx", SheetSpec.of("Summary", List.of(1)),
                SheetSpec.of("Workings", List.of(2)).withVisibility(WorksheetVisibility.HIDDEN),
                SheetSpec.of("Secret", List.of(3)).withVisibility(WorksheetVisibility.VERY_HIDDEN));
        String driveId = emulator.driveId(PCK, CONNECTION);
        String itemId = only(delta("/proxy/v1.0/me/drive/root/delta").items(), "Book.xlsx").get("id").asText();
        String path = "/proxy/v1.0/drives/" + driveId + "/items/" + itemId + "/workbook/worksheets";

        JsonNode list = json(get(path));
        String itemPath = "drives('" + driveId.replace("!", "%21") + "')/items('" + itemId + "')/workbook/worksheets";
        assertEquals(GRAPH + "/v1.0/$metadata#" + itemPath, list.get("@odata.context").asText());
        assertEquals(JSON.readTree("{\"@odata.id\":\"/" + itemPath + "(%27%7B00000000-0001-0000-0000-000000000000%7D%27)\","
                + "\"id\":\"{00000000-0001-0000-0000-000000000000}\",\"name\":\"Summary\",\"position\":0,\"visibility\":\"Visible\"}"),
                list.get("value").get(0));
        assertSheet(list.get("value").get(1), "{00000000-0001-0000-0100-000000000000}", "Workings", 1, "Hidden");
        assertSheet(list.get("value").get(2), "{00000000-0001-0000-0200-000000000000}", "Secret", 2, "VeryHidden");

        SampleWorkbooks.renameSheet(drive.resolve("Book.xlsx"), "Summary", "Overview");
        SampleWorkbooks.moveSheet(drive.resolve("Book.xlsx"), "Overview", 2);
        JsonNode edited = json(get(path));
        assertSheet(edited.get("value").get(2), "{00000000-0001-0000-0000-000000000000}", "Overview", 2, "Visible");
        assertSheet(edited.get("value").get(0), "{00000000-0001-0000-0100-000000000000}", "Workings", 0, "Hidden");

        Files.createDirectories(drive.resolve("Archive"));
        Files.move(drive.resolve("Book.xlsx"), drive.resolve("Archive/Book 2026.xlsx"));
        JsonNode after = json(get("/proxy/v1.0/me/drive/items/" + itemId + "/workbook/worksheets"));
        for (int i = 0; i < 3; i++) {
            JsonNode sheet = edited.get("value").get(i);
            assertSheet(after.get("value").get(i), sheet.get("id").asText(), sheet.get("name").asText(), i,
                    sheet.get("visibility").asText());
        }
        assertTrue(after.get("@odata.context").asText().contains("#users('"), "echoes the /me/drive address");
    }

    @Test
    void worksheetsArePagedWithTopAndAnAbsoluteNextLink() throws Exception {
        write("Year.xlsx", SheetSpec.of("Q1", List.of(1)), SheetSpec.of("Q2", List.of(1)), SheetSpec.of("Q3", List.of(1)));
        String itemId = only(delta("/proxy/v1.0/me/drive/root/delta").items(), "Year.xlsx").get("id").asText();
        JsonNode first = json(get("/proxy/v1.0/me/drive/items/" + itemId + "/workbook/worksheets?$top=2"));
        assertEquals(2, first.get("value").size());
        String nextLink = first.get("@odata.nextLink").asText();
        assertTrue(nextLink.startsWith(GRAPH + "/v1.0/me/drive/items/" + itemId + "/workbook/worksheets?$top=2&$skiptoken="), nextLink);
        JsonNode second = json(get(toProxy(nextLink)));
        assertEquals("Q3", second.get("value").get(0).get("name").asText());
        assertFalse(second.has("@odata.nextLink"));
    }

    @Test
    void aFoldersChildrenAreListedByNameInPagesWithTheirParentsPath() throws Exception {
        Files.createDirectories(drive.resolve("Team/Plans"));
        write("Team/b.xlsx", SheetSpec.of("S"));
        write("Team/A.xlsx", SheetSpec.of("S"));
        write("Team/Plans/deep.xlsx", SheetSpec.of("S"));
        String teamId = only(delta("/proxy/v1.0/me/drive/root/delta").items(), "Team").get("id").asText();

        JsonNode first = json(get("/proxy/v1.0/me/drive/items/" + teamId + "/children?$top=2"));
        assertEquals(List.of("A.xlsx", "b.xlsx"), names(first));
        assertEquals("/drive/root:/Team", first.get("value").get(0).get("parentReference").get("path").asText());
        String nextLink = first.get("@odata.nextLink").asText();
        assertTrue(nextLink.startsWith(GRAPH + "/v1.0/me/drive/items/" + teamId + "/children?$top=2&$skiptoken="),
                nextLink);
        JsonNode second = json(get(toProxy(nextLink)));
        assertEquals(List.of("Plans"), names(second), "not its grandchildren");
        assertTrue(second.get("value").get(0).has("folder"));
        assertFalse(second.has("@odata.nextLink"));

        String worksheetsToken = nextLink.substring(nextLink.indexOf("$skiptoken=") + "$skiptoken=".length());
        assertEquals(400, get("/proxy/v1.0/me/drive/items/" + only(delta("/proxy/v1.0/me/drive/root/delta").items(),
                "A.xlsx").get("id").asText() + "/workbook/worksheets?$skiptoken=" + worksheetsToken).statusCode(),
                "a children token is not a worksheets token");
    }

    private static List<String> names(JsonNode page) {
        List<String> names = new ArrayList<>();
        page.get("value").forEach(item -> names.add(item.get("name").asText()));
        return names;
    }

    @Test
    void worksheetsOfANonWorkbookAreABadRequestAndOfABrokenXlsxAGenericFileOpenError() throws Exception {
        Files.writeString(drive.resolve("export.csv"), "a,b\n1,2\n");
        Files.writeString(drive.resolve("broken.xlsx"), "this is not a zip");
        List<JsonNode> items = delta("/proxy/v1.0/me/drive/root/delta").items();

        HttpResponse<String> csv = get("/proxy/v1.0/me/drive/items/" + only(items, "export.csv").get("id").asText()
                + "/workbook/worksheets");
        assertEquals(400, csv.statusCode());
        assertEquals("invalidRequest", json(csv).get("error").get("code").asText());

        HttpResponse<String> broken = get("/proxy/v1.0/me/drive/items/" + only(items, "broken.xlsx").get("id").asText()
                + "/workbook/worksheets");
        assertEquals(500, broken.statusCode());
        JsonNode error = json(broken).get("error");
        assertEquals("GenericFileOpenError", error.get("code").asText());
        assertEquals("The workbook cannot be opened.", error.get("message").asText());
        assertEquals("internalServerErrorUncategorized", error.get("innerError").get("code").asText());
        assertEquals("GenericFileOpenError", error.get("innerError").get("innerError").get("code").asText());
        assertInnerError(error.get("innerError"), broken);

        assertGraphError(get("/proxy/v1.0/me/drive/items/01AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/workbook/worksheets"),
                404, "itemNotFound", "Item not found");
    }

    // ---- fault injection and Nango's retries

    @Test
    void injectedFaultAnswersTheConfiguredStatusOnceThenGraphAnswersAgain() throws Exception {
        emulator.faults().failNext("/root/delta", 1, 429, Map.of("Retry-After", "7"), null);
        HttpResponse<String> throttled = get("/proxy/v1.0/me/drive/root/delta");
        assertEquals(429, throttled.statusCode());
        assertEquals("7", throttled.headers().firstValue("retry-after").orElseThrow());
        assertTrue(throttled.headers().firstValue("request-id").isPresent());
        assertEquals("activityLimitReached", json(throttled).get("error").get("code").asText());
        assertInnerError(json(throttled).get("error").get("innerError"), throttled);

        assertEquals(200, get("/proxy/v1.0/me/drive").statusCode(), "other paths are not affected");
        assertEquals(200, get("/proxy/v1.0/me/drive/root/delta").statusCode());
        assertEquals(3, emulator.graphCalls());
    }

    @Test
    void injectedFaultCanCarryItsOwnBodyAndOnlyAppliesAfterNangosChecks() throws Exception {
        emulator.faults().failNext("delta", 1, 503, Map.of(), "{\"error\":{\"code\":\"serviceNotAvailable\",\"message\":\"x\"}}");
        assertEquals(401, send("GET", "/proxy/v1.0/me/drive/root/delta", Map.of()).statusCode());
        HttpResponse<String> unavailable = get("/proxy/v1.0/me/drive/root/delta");
        assertEquals(503, unavailable.statusCode());
        assertEquals("{\"error\":{\"code\":\"serviceNotAvailable\",\"message\":\"x\"}}", unavailable.body());
    }

    @Test
    void nangoRetriesHeaderRetriesRetryableAnswersUpstream() throws Exception {
        emulator.faults().failNext("/me/drive$", 2, 503, Map.of("Retry-After", "0"), null);
        HttpResponse<String> response = send("GET", "/proxy/v1.0/me/drive", with(proxyHeaders(), "Retries", "3"));
        assertEquals(200, response.statusCode());
        assertEquals(3, emulator.graphCalls(), "each attempt is a Graph call");
        assertEquals(1, emulator.requests().size());

        emulator.faults().failNext("/me/drive$", 1, 404, Map.of(), null);
        assertEquals(404, send("GET", "/proxy/v1.0/me/drive", with(proxyHeaders(), "Retries", "3")).statusCode(),
                "a 404 is not retried");
    }

    @Test
    void delayEachAddsAFixedLatencyToGraphCalls() throws Exception {
        emulator.faults().delayEach(Duration.ofMillis(300));
        long started = System.nanoTime();
        assertEquals(200, get("/proxy/v1.0/me/drive").statusCode());
        assertTrue(System.nanoTime() - started >= Duration.ofMillis(300).toNanos());
        emulator.faults().clear();
        started = System.nanoTime();
        get("/proxy/v1.0/me/drive");
        assertTrue(System.nanoTime() - started < Duration.ofMillis(300).toNanos());
    }

    @Test
    void eachConnectionServesItsOwnFolder() throws Exception {
        Files.writeString(drive.resolve("alice.txt"), "a");
        Files.writeString(otherDrive.resolve("bob.txt"), "b");
        Map<String, String> bob = with(proxyHeaders(), "Connection-Id", "bob");
        JsonNode page = json(send("GET", "/proxy/v1.0/me/drive/root/delta", bob));
        Set<String> names = new HashSet<>();
        page.get("value").forEach(i -> names.add(i.get("name").asText()));
        assertEquals(Set.of("root", "bob.txt"), names);
    }

    // ---- helpers

    private record Delta(List<JsonNode> pages, List<JsonNode> items, String deltaLink) {
    }

    private Delta delta(String proxyPath) throws Exception {
        return follow(GRAPH + proxyPath.substring("/proxy".length()));
    }

    /** Follows nextLinks from a Graph URL to the deltaLink, as a client does. */
    private Delta follow(String graphUrl) throws Exception {
        List<JsonNode> pages = new ArrayList<>();
        List<JsonNode> items = new ArrayList<>();
        String url = graphUrl;
        while (true) {
            HttpResponse<String> response = get(toProxy(url));
            assertEquals(200, response.statusCode(), response.body());
            JsonNode page = json(response);
            pages.add(page);
            page.get("value").forEach(items::add);
            if (page.has("@odata.nextLink")) {
                url = page.get("@odata.nextLink").asText();
            } else {
                return new Delta(pages, items, page.get("@odata.deltaLink").asText());
            }
        }
    }

    private static String toProxy(String graphUrl) {
        assertTrue(graphUrl.startsWith(GRAPH + "/v1.0/"), graphUrl);
        return "/proxy" + graphUrl.substring(GRAPH.length());
    }

    private void write(String relPath, SheetSpec... sheets) throws IOException {
        SampleWorkbooks.write(drive.resolve(relPath), sheets);
    }

    private static JsonNode only(List<JsonNode> items, String name) {
        List<JsonNode> matches = items.stream().filter(i -> i.has("name") && i.get("name").asText().equals(name)).toList();
        assertEquals(1, matches.size(), name + " in " + items);
        return matches.get(0);
    }

    private static Set<String> names(List<JsonNode> items) {
        return items.stream().filter(i -> i.has("name")).map(i -> i.get("name").asText()).collect(Collectors.toSet());
    }

    private static List<JsonNode> tombstones(List<JsonNode> items) {
        return items.stream().filter(i -> i.has("deleted") || !i.has("name")).toList();
    }

    private static void assertSheet(JsonNode sheet, String id, String name, int position, String visibility) {
        assertEquals(id, sheet.get("id").asText());
        assertEquals(name, sheet.get("name").asText());
        assertEquals(position, sheet.get("position").asInt());
        assertEquals(visibility, sheet.get("visibility").asText());
    }

    private static void assertGraphError(HttpResponse<String> response, int status, String code, String message)
            throws IOException {
        assertEquals(status, response.statusCode(), response.body());
        JsonNode error = json(response).get("error");
        assertEquals(code, error.get("code").asText());
        assertEquals(message, error.get("message").asText());
        assertInnerError(error.get("innerError"), response);
        assertEquals(3, error.size());
    }

    private static void assertInnerError(JsonNode innerError, HttpResponse<String> response) {
        assertNotNull(innerError);
        assertTrue(innerError.get("date").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d"), innerError.toString());
        assertEquals(response.headers().firstValue("request-id").orElseThrow(), innerError.get("request-id").asText());
        assertEquals(response.headers().firstValue("client-request-id").orElseThrow(),
                innerError.get("client-request-id").asText());
    }

    private static void assertNangoOnlyHeaders(HttpResponse<String> response) {
        assertEquals(NANGO_JSON, response.headers().firstValue("content-type").orElseThrow());
        assertNull(response.headers().firstValue("request-id").orElse(null));
        assertNull(response.headers().firstValue("odata-version").orElse(null));
        assertNull(response.headers().firstValue("x-ratelimit-limit").orElse(null));
    }

    private static Map<String, String> proxyHeaders() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", "Bearer " + KEY);
        headers.put("Provider-Config-Key", PCK);
        headers.put("Connection-Id", CONNECTION);
        return headers;
    }

    private static Map<String, String> with(Map<String, String> headers, String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(name, value);
        return copy;
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send("GET", path, proxyHeaders());
    }

    private HttpResponse<String> send(String method, String path, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(emulator.baseUrl() + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        headers.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body());
    }
}

package dev.workbookrelay.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workbookrelay.nango.GraphApiException;
import dev.workbookrelay.nango.GraphCallException;
import dev.workbookrelay.nango.ProxyResponses;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Microsoft's own samples (src/test/resources/graph-samples, copied from the shared reference with their
 * SOURCES.md) of every shape the pipeline reads are parsed without error and classified as Graph means.
 */
class GraphSamplesTest {

    static final ObjectMapper JSON = new ObjectMapper();

    static byte[] sample(String name) throws IOException {
        try (InputStream in = GraphSamplesTest.class.getResourceAsStream("/graph-samples/" + name)) {
            if (in == null) {
                throw new IOException("missing sample " + name);
            }
            return in.readAllBytes();
        }
    }

    /** Pages served from samples: the first page's nextLink leads to the second sample. */
    static List<DriveItem> items(Map<String, String> pages, String first) {
        List<DriveItem> items = new ArrayList<>();
        PagedCollection collection = new PagedCollection(link -> {
            try {
                return JSON.readTree(sample(pages.get(link)));
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }, first);
        collection.forEachRemaining(node -> items.add(DriveItem.from(node)));
        return items;
    }

    @Test
    void deltaPagesFromTheDocsAreFollowedToTheDeltaLinkAndClassified() {
        Map<String, String> pages = Map.of(
                "/v1.0/me/drive/root/delta", "docs__driveitem-delta_first-page_nextLink.json",
                "https://graph.microsoft.com/v1.0/me/drive/delta(token=1230919asd190410jlka)",
                "docs__driveitem-delta_last-page_deltaLink.json");
        PagedCollection collection = new PagedCollection(link -> read(pages.get(link)), "/v1.0/me/drive/root/delta");
        List<DriveItem> items = new ArrayList<>();
        collection.forEachRemaining(n -> items.add(DriveItem.from(n)));
        assertEquals(5, items.size());
        assertEquals(2, collection.pages());
        assertTrue(collection.deltaLink().contains("token="));
        assertTrue(items.get(0).folder());
        assertTrue(items.get(1).file());
        assertTrue(items.get(2).deleted(), "file5.txt carries the deleted facet");
        assertTrue(items.get(3).folder() && items.get(3).deleted());
        assertTrue(items.stream().noneMatch(DriveItem::isWorkbook), "no .xlsx in these pages");
    }

    @Test
    void tokenLatestIsAnEmptyPageWithADeltaLink() {
        PagedCollection collection = new PagedCollection(link -> read("docs__driveitem-delta_token-latest.json"),
                "/v1.0/me/drive/root/delta?token=latest");
        assertFalse(collection.hasNext());
        assertEquals("https://graph.microsoft.com/v1.0/me/drive/root/delta?token=1230919asd190410jlka",
                collection.deltaLink());
    }

    @Test
    void childrenWithoutIdsOrMimeTypesAreToleratedAndNotSynced() {
        List<DriveItem> items = items(Map.of("/c", "docs__driveitem-list-children_root.json",
                "https://...", "docs__driveitem-delta_token-latest.json"), "/c");
        assertEquals(4, items.size());
        DriveItem sheet = items.get(3);
        assertEquals("my sheet(1).xlsx", sheet.name());
        assertNull(sheet.id());
        assertFalse(sheet.isWorkbook(), "an item without id cannot be keyed, so it is not synced");
        assertTrue(items.get(1).folder());
    }

    @Test
    void searchResultsAndTheRootFolderParse() throws IOException {
        JsonNode search = JSON.readTree(sample("docs__driveitem-search_nextLink.json"));
        search.get("value").forEach(n -> assertTrue(DriveItem.from(n).folder()));
        DriveItem root = DriveItem.from(JSON.readTree(sample("docs__driveitem-get_root-folder.json")));
        assertTrue(root.root());
        assertEquals("\"c:{86EB4C8E-D20D-46B9-AD41-23B8868DDA8A},0\"", root.cTag());
        assertEquals("Ryan Gregg", root.lastModifiedBy().displayName());
    }

    @Test
    void worksheetListsAndSingleWorksheetsParse() throws IOException {
        List<Worksheet> sheets = new ArrayList<>();
        JSON.readTree(sample("docs-excel__worksheets_list.json")).get("value")
                .forEach(n -> sheets.add(Worksheet.from(n)));
        assertEquals(List.of(new Worksheet("{00000000-0001-0000-0000-000000000000}", "Sheet1", 0, "Visible"),
                new Worksheet("{00000000-0001-0000-0100-000000000000}", "Sheet57664", 1, "Visible")), sheets);
        Worksheet one = Worksheet.from(JSON.readTree(sample("docs-excel__worksheet_get_by_name.json")));
        assertEquals("{75A18F35-34AA-4F44-97CC-FDC3C05D9F40}", one.id());
        assertEquals(5, one.position());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "docs__throttling_429_TooManyRequests.json",
        "docs__errors_example_invalidRange.json",
        "issue__graph-docs-15709__excel_table-range_ResponsePayloadSizeLimitExceeded.json",
        "issue__graph-docs-6596__excel_range_504_UnknownError.json",
        "issue__graph-docs-contrib-4705__404_itemNotFound_children_2020.json",
        "issue__graph-explorer-v4-3255__excel_worksheets_500_generalException.json",
        "issue__onedrive-api-docs-1307__429_throttledRequest_noRetryAfter.json",
        "issue__onedrive-api-docs-1356__delta_410_resyncRequired.json",
        "issue__onedrive-api-docs-1628__404_itemNotFound_2022.json",
        "issue__onedrive-api-docs-744__429_activityLimitReached_RetryAfter120.json",
        "issue__onedrive-api-docs-880__429_sites-root_activityLimitReached.json",
        "docs-excel__createSession_500_GenericFileOpenError.json",
        "issue__graph-explorer-v4-3907__excel_rows_504_MaxRequestDurationExceeded.VERBATIM-INVALID-JSON.txt",
        "issue__graph-explorer-v4-4031__excel_GenericFileOpenError_2026.VERBATIM-INVALID-JSON.txt"})
    void everyGraphErrorBodyBecomesAGraphErrorWithItsCode(String name) throws IOException {
        byte[] body = sample(name);
        ProxyResponses responses = new ProxyResponses(JSON, text -> text);
        GraphCallException e = assertThrows(GraphCallException.class,
                () -> responses.read(503, body, h -> h.equalsIgnoreCase("request-id") ? "r-1" : null));
        assertTrue(e instanceof GraphApiException, name + " -> " + e.reason());
        assertTrue(e.reason().startsWith("Graph 503 "), e.reason());
        String text = new String(body, StandardCharsets.UTF_8);
        if (text.trim().startsWith("{") && !name.contains("INVALID")) {
            assertTrue(text.contains("\"" + e.code() + "\""), "code taken from the body: " + e.code());
        }
    }

    @Test
    void excelsNestedCauseIsKeptBesideTheFirstLevelCode() throws IOException {
        ProxyResponses responses = new ProxyResponses(JSON, text -> text);
        GraphApiException e = assertThrows(GraphApiException.class, () -> responses.read(500,
                sample("docs-excel__createSession_500_GenericFileOpenError.json"), h -> null));
        assertEquals("internalServerError", e.code());
        assertEquals("internalServerErrorUncategorized", e.innerCode());
        assertEquals("GenericFileOpenError", e.deepestCode(), "the cause Excel nests below");
        assertTrue(e.reason().contains("(internalServerErrorUncategorized, GenericFileOpenError)"), e.reason());
    }

    private static JsonNode read(String name) {
        try {
            return JSON.readTree(sample(name));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}

package dev.workbookrelay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workbookrelay.sandbox.EmbeddedKafka;
import dev.workbookrelay.sandbox.NangoGraphEmulator;
import dev.workbookrelay.sandbox.SampleWorkbooks;
import dev.workbookrelay.sandbox.SampleWorkbooks.SheetSpec;
import dev.workbookrelay.sandbox.TopicReader;
import dev.workbookrelay.sandbox.TopicReader.ConsumedEvent;
import dev.workbookrelay.sandbox.WorksheetVisibility;
import dev.workbookrelay.support.EventSchemas;
import dev.workbookrelay.support.RunningRelay;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A drive of workbooks in nested folders, over several delta pages, synced on request: exactly the expected
 * workbook and worksheet events reach Kafka, with keys, CloudEvents headers and schema-valid data; a second sync
 * of the same state repeats the same event ids.
 */
class DriveSnapshotTest {

    static final String SECRET = UUID.randomUUID().toString();
    static final String CONNECTION = "alice";
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path drive;
    static EmbeddedKafka kafka;
    static NangoGraphEmulator nango;
    static RunningRelay relay;

    @BeforeAll
    static void start() throws Exception {
        SampleWorkbooks.write(drive.resolve("Team.xlsx"), SheetSpec.of("Roster", List.of("Name"), List.of("Ada")));
        Files.createDirectories(drive.resolve("Finance/Reports"));
        SampleWorkbooks.write(drive.resolve("Finance/Budget.xlsx"), SheetSpec.of("Summary"), SheetSpec.of("Q1"),
                SheetSpec.of("Q2"));
        SampleWorkbooks.write(drive.resolve("Finance/Reports/Deep.xlsx"), SheetSpec.of("Visible sheet"),
                SheetSpec.of("Secret").withVisibility(WorksheetVisibility.HIDDEN));
        Files.createDirectories(drive.resolve("Sales"));
        SampleWorkbooks.write(drive.resolve("Sales/Pipeline.xlsx"), SheetSpec.of("Open"), SheetSpec.of("Won"));
        Files.writeString(drive.resolve("notes.txt"), "not a workbook");
        Files.write(drive.resolve("Finance/old.xls"), new byte[] {(byte) 0xD0, (byte) 0xCF, 0x11, (byte) 0xE0});
        Files.writeString(drive.resolve("Sales/export.csv"), "a,b\n1,2\n");

        kafka = EmbeddedKafka.start();
        kafka.createTopics("workbook-relay.sync-requests", "workbook-relay.workbooks", "workbook-relay.worksheets",
                "workbook-relay.sync-status", "workbook-relay.dead-letter");
        nango = NangoGraphEmulator.builder().secretKey(SECRET).connection("microsoft-excel", CONNECTION, drive)
                .build().start();
        // 3 items a page: root + 3 folders + 7 files = 11 items = 4 delta pages
        relay = RunningRelay.start(kafka.bootstrapServers(), nango.baseUrl(), SECRET,
                Map.of("workbook-relay.graph.page-size", "3"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (relay != null) {
            relay.close();
        }
        if (nango != null) {
            nango.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void publishesOneEventPerWorkbookAndWorksheetWithKeysHeadersAndValidData() throws Exception {
        relay.requestSync("{\"connectionId\":\"alice\",\"requestId\":\"first\"}");

        try (TopicReader reader = new TopicReader(kafka.bootstrapServers(), "workbook-relay.sync-status")) {
            List<ConsumedEvent> status = reader.readUntil(1, Duration.ofSeconds(60));
            assertEquals(1, status.size(), "one status event");
            JsonNode s = JSON.readTree(status.get(0).value());
            assertEquals("succeeded", s.get("outcome").asText(), s.toString());
            assertEquals("first", s.get("requestId").asText());
            assertEquals(4, s.get("pages").asInt(), "11 items at 3 a page");
            assertEquals(4, s.get("workbooks").asInt());
            assertEquals(8, s.get("worksheets").asInt());
            assertEquals(4 + 4, s.get("graphCalls").asInt(), "4 delta pages + 1 worksheet list per workbook");
            assertEquals(12, s.get("events").asInt());
            assertEquals("dev.workbookrelay.sync.succeeded", status.get(0).ceType());
            assertEquals("alice", status.get(0).key());
            assertTrue(EventSchemas.check("sync-status", status.get(0).value()).isEmpty());
        }

        List<ConsumedEvent> workbooks;
        List<ConsumedEvent> worksheets;
        try (TopicReader reader = new TopicReader(kafka.bootstrapServers(), "workbook-relay.workbooks")) {
            workbooks = reader.readQuiet(Duration.ofSeconds(2), Duration.ofSeconds(20));
        }
        try (TopicReader reader = new TopicReader(kafka.bootstrapServers(), "workbook-relay.worksheets")) {
            worksheets = reader.readQuiet(Duration.ofSeconds(2), Duration.ofSeconds(20));
        }

        Map<String, String> workbookPaths = new TreeMap<>(); // key -> parentPath/name
        for (ConsumedEvent e : workbooks) {
            JsonNode data = JSON.readTree(e.value());
            JsonNode after = data.get("after");
            assertEquals("r", data.get("op").asText());
            assertEquals("alice/" + after.get("id").asText(), e.key());
            assertEquals("1.0", e.header("ce_specversion"));
            assertEquals("dev.workbookrelay.workbook.snapshot", e.ceType());
            assertEquals("/nango/microsoft-excel/alice", e.header("ce_source"));
            assertEquals("workbooks/" + after.get("id").asText(), e.ceSubject());
            assertEquals(after.get("lastModifiedDateTime").asText(), e.header("ce_time"));
            assertEquals("application/json", e.header("content-type"));
            assertNotNull(e.ceId());
            assertTrue(after.get("cTag").asText().startsWith("\"c:{"), "Graph cTag kept as sent");
            assertTrue(EventSchemas.check("workbook-event", e.value()).isEmpty(),
                    () -> e.value() + " " + uncheck(e.value()));
            String path = after.get("parentPath").asText();
            workbookPaths.put(e.key(), (path.equals("/") ? "" : path) + "/" + after.get("name").asText());
        }
        assertEquals(Set.of("/Team.xlsx", "/Finance/Budget.xlsx", "/Finance/Reports/Deep.xlsx", "/Sales/Pipeline.xlsx"),
                new TreeSet<>(workbookPaths.values()), "only .xlsx, each once");
        assertEquals(4, workbooks.size());

        Map<String, List<String>> sheetsByWorkbook = new TreeMap<>();
        for (ConsumedEvent e : worksheets) {
            JsonNode after = JSON.readTree(e.value()).get("after");
            String workbookKey = "alice/" + after.get("workbookId").asText();
            assertEquals(workbookKey + "/" + after.get("id").asText(), e.key());
            assertTrue(after.get("id").asText().matches("\\{[0-9A-F-]{36}}"), "brace GUID id");
            assertEquals("dev.workbookrelay.worksheet.snapshot", e.ceType());
            assertTrue(EventSchemas.check("worksheet-event", e.value()).isEmpty(),
                    () -> e.value() + " " + uncheck(e.value()));
            sheetsByWorkbook.computeIfAbsent(workbookPaths.get(workbookKey), k -> new java.util.ArrayList<>())
                    .add(after.get("position").asInt() + ":" + after.get("name").asText() + ":"
                            + after.get("visibility").asText());
        }
        assertEquals(Map.of(
                "/Team.xlsx", List.of("0:Roster:Visible"),
                "/Finance/Budget.xlsx", List.of("0:Summary:Visible", "1:Q1:Visible", "2:Q2:Visible"),
                "/Finance/Reports/Deep.xlsx", List.of("0:Visible sheet:Visible", "1:Secret:Hidden"),
                "/Sales/Pipeline.xlsx", List.of("0:Open:Visible", "1:Won:Visible")), sheetsByWorkbook);

        // the same state published again (a forced full resync) carries the same ids
        Set<String> firstIds = ids(workbooks, worksheets);
        relay.requestSync("{\"connectionId\":\"alice\",\"requestId\":\"second\",\"mode\":\"full\"}");
        try (TopicReader reader = new TopicReader(kafka.bootstrapServers(), "workbook-relay.sync-status")) {
            assertEquals(2, reader.readUntil(2, Duration.ofSeconds(60)).size());
        }
        try (TopicReader reader = new TopicReader(kafka.bootstrapServers(), "workbook-relay.workbooks",
                "workbook-relay.worksheets")) {
            List<ConsumedEvent> all = reader.readQuiet(Duration.ofSeconds(2), Duration.ofSeconds(20));
            assertEquals(24, all.size());
            Map<String, Long> perId = all.stream().collect(Collectors.groupingBy(ConsumedEvent::ceId,
                    Collectors.counting()));
            assertEquals(firstIds, perId.keySet());
            assertTrue(perId.values().stream().allMatch(n -> n == 2), "each id exactly twice");
        }
    }

    private static Set<String> ids(List<ConsumedEvent> a, List<ConsumedEvent> b) {
        Set<String> ids = new TreeSet<>();
        a.forEach(e -> ids.add(e.ceId()));
        b.forEach(e -> ids.add(e.ceId()));
        assertEquals(a.size() + b.size(), ids.size(), "ids are unique per event");
        return ids;
    }

    private static String uncheck(String value) {
        try {
            return EventSchemas.check(value.contains("workbookId") ? "worksheet-event" : "workbook-event", value)
                    .toString();
        } catch (Exception e) {
            return e.toString();
        }
    }
}

package dev.workbookrelay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workbookrelay.sandbox.SampleWorkbooks;
import dev.workbookrelay.sandbox.SampleWorkbooks.SheetSpec;
import dev.workbookrelay.sandbox.TopicReader;
import dev.workbookrelay.sandbox.TopicReader.ConsumedEvent;
import dev.workbookrelay.support.RelayFixture;
import dev.workbookrelay.support.SyncStatuses;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Graph's delta lists a renamed or moved folder alone (its children's items did not change), and some drives list
 * a deleted folder without its children; the emulator does both here. The workbooks stored below such a folder get
 * {@code moved} with their new path, or {@code deleted} when the folder was deleted or left the source's folder.
 */
class FolderChangesTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static RelayFixture fixture;

    @BeforeAll
    static void start() throws Exception {
        Path dana = Files.createDirectories(dir.resolve("dana"));
        SampleWorkbooks.write(Files.createDirectories(dana.resolve("Sales")).resolve("Pipeline.xlsx"),
                SheetSpec.of("Won"));
        SampleWorkbooks.write(Files.createDirectories(dana.resolve("Sales/Q1")).resolve("Forecast.xlsx"),
                SheetSpec.of("Jan"));
        SampleWorkbooks.write(Files.createDirectories(dana.resolve("Old")).resolve("Archive.xlsx"),
                SheetSpec.of("2019"), SheetSpec.of("2020"));
        Path eve = Files.createDirectories(dir.resolve("eve"));
        SampleWorkbooks.write(Files.createDirectories(eve.resolve("Finance")).resolve("Budget.xlsx"),
                SheetSpec.of("Q1"));
        SampleWorkbooks.write(Files.createDirectories(eve.resolve("Finance/Q2")).resolve("Plan.xlsx"),
                SheetSpec.of("Apr"));
        Files.createDirectories(eve.resolve("Archive"));
        Path fay = Files.createDirectories(dir.resolve("fay"));
        SampleWorkbooks.write(Files.createDirectories(fay.resolve("Finance")).resolve("Budget.xlsx"),
                SheetSpec.of("Q1"));
        SampleWorkbooks.write(Files.createDirectories(fay.resolve("Drafts/Q3")).resolve("Outlook.xlsx"),
                SheetSpec.of("Jul"), SheetSpec.of("Aug"));
        SampleWorkbooks.write(Files.createDirectories(fay.resolve("Drafts/Q3/Detail")).resolve("Regions.xlsx"),
                SheetSpec.of("North"));
        fixture = new RelayFixture(Map.of("dana", dana, "eve", eve, "fay", fay), Map.of(),
                emulator -> emulator.deletedFolderOnly(true));
    }

    @AfterAll
    static void stop() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void workbooksBelowARenamedFolderMoveAndBelowADeletedFolderAreDeleted() throws Exception {
        Path dana = dir.resolve("dana");
        assertEquals("succeeded", sync("dana", null).get("outcome").asText());

        Files.move(dana.resolve("Sales"), dana.resolve("Revenue"));
        deleteTree(dana.resolve("Old"));
        JsonNode changes = sync("dana", null);

        assertEquals("succeeded", changes.get("outcome").asText(), changes.toString());
        assertEquals(0, changes.get("workbooks").asInt(), "delta listed the folders only: " + changes);
        JsonNode pipeline = last("dana", "Pipeline.xlsx");
        assertEquals("dev.workbookrelay.workbook.moved", type("dana", "Pipeline.xlsx"));
        assertEquals("/Revenue", pipeline.get("after").get("parentPath").asText());
        assertTrue(pipeline.get("after").get("webUrl").asText().contains("/Revenue/Pipeline.xlsx"),
                "its item read again: " + pipeline);
        assertEquals("/Revenue/Q1", last("dana", "Forecast.xlsx").get("after").get("parentPath").asText());
        assertEquals("dev.workbookrelay.workbook.deleted", type("dana", "Archive.xlsx"));
        assertEquals(2, worksheetEvents("dana").stream().filter(e -> "dev.workbookrelay.worksheet.removed"
                .equals(e.ceType())).count(), "the deleted workbook's two sheets removed");

        int before = workbookEvents("dana").size();
        JsonNode again = sync("dana", null);
        assertEquals(0, again.get("events").asInt(), "the new paths are stored: " + again);
        assertEquals(before, workbookEvents("dana").size());
    }

    @Test
    void workbooksBelowAFolderMovedOutOfTheSourcesFolderAreDeleted() throws Exception {
        Path eve = dir.resolve("eve");
        assertEquals("succeeded", sync("eve", "/Finance").get("outcome").asText());

        Files.move(eve.resolve("Finance/Q2"), eve.resolve("Archive/Q2"));
        JsonNode changes = sync("eve", "/Finance");

        assertEquals("succeeded", changes.get("outcome").asText(), changes.toString());
        assertEquals("dev.workbookrelay.workbook.deleted", type("eve", "Plan.xlsx"), "it left the source");
        assertEquals("dev.workbookrelay.workbook.snapshot", type("eve", "Budget.xlsx"), "the rest untouched");
    }

    @Test
    void workbooksBelowAFolderMovedIntoTheSourcesFolderAreCreated() throws Exception {
        Path fay = dir.resolve("fay");
        assertEquals(1, sync("fay", "/Finance").get("workbooks").asInt());

        Files.move(fay.resolve("Drafts/Q3"), fay.resolve("Finance/Q3"));
        JsonNode changes = sync("fay", "/Finance");

        assertEquals("succeeded", changes.get("outcome").asText(), changes.toString());
        assertEquals("dev.workbookrelay.workbook.created", type("fay", "Outlook.xlsx"), "delta listed the folder only");
        assertEquals("/Finance/Q3", last("fay", "Outlook.xlsx").get("after").get("parentPath").asText());
        assertEquals("/Finance/Q3/Detail", last("fay", "Regions.xlsx").get("after").get("parentPath").asText());
        assertEquals(List.of("Jul", "Aug", "North"), worksheetEvents("fay").stream()
                .filter(e -> "dev.workbookrelay.worksheet.added".equals(e.ceType()))
                .map(e -> sheetName(e)).toList());
        assertEquals(2, changes.get("workbooks").asInt(), "the two found below it counted: " + changes);

        JsonNode again = sync("fay", "/Finance");
        assertEquals(0, again.get("events").asInt(), "they are stored: " + again);
    }

    private static String sheetName(ConsumedEvent event) {
        try {
            return JSON.readTree(event.value()).get("after").get("name").asText();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode sync(String connection, String folder) throws Exception {
        String requestId = connection + "-" + UUID.randomUUID();
        fixture.relay.requestSync("{\"connectionId\":\"" + connection + "\",\"requestId\":\"" + requestId + "\""
                + (folder == null ? "" : ",\"folder\":\"" + folder + "\"") + "}");
        return SyncStatuses.await(fixture.kafka.bootstrapServers(), requestId);
    }

    /** The type of the last event of the workbook named {@code name}. */
    private static String type(String connection, String name) {
        List<ConsumedEvent> of = workbookEvents(connection).stream().filter(e -> named(e, name)).toList();
        assertTrue(!of.isEmpty(), "no event of " + name);
        return of.get(of.size() - 1).ceType();
    }

    private static JsonNode last(String connection, String name) throws IOException {
        List<ConsumedEvent> of = workbookEvents(connection).stream().filter(e -> named(e, name)).toList();
        return JSON.readTree(of.get(of.size() - 1).value());
    }

    private static boolean named(ConsumedEvent e, String name) {
        return e.value() != null && e.value().contains("\"name\":\"" + name + "\"");
    }

    private static List<ConsumedEvent> workbookEvents(String connection) {
        return events("workbook-relay.workbooks", connection);
    }

    private static List<ConsumedEvent> worksheetEvents(String connection) {
        return events("workbook-relay.worksheets", connection);
    }

    private static List<ConsumedEvent> events(String topic, String connection) {
        try (TopicReader reader = new TopicReader(fixture.kafka.bootstrapServers(), topic)) {
            return reader.readQuiet(Duration.ofMillis(700), Duration.ofSeconds(20)).stream()
                    .filter(e -> e.key() != null && e.key().startsWith(connection + "/") && !e.isTombstone())
                    .toList();
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}

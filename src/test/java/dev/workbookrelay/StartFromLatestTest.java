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
import dev.workbookrelay.support.RunningRelay;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A source configured with {@code start: latest} publishes nothing of what its drive held before its first sync,
 * then the changes made after it, as changes.
 */
class StartFromLatestTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void aSourceStartingFromLatestPublishesOnlyWhatChangesAfterItsFirstSync() throws Exception {
        Path drive = Files.createDirectories(dir.resolve("drive"));
        SampleWorkbooks.write(drive.resolve("Old.xlsx"), SheetSpec.of("Before"));
        Path source = dir.resolve("latest-source.camel.yaml");
        Files.writeString(source, """
                - templatedRoute:
                    routeTemplateRef: workbook-source
                    routeId: from-now-on
                    parameters:
                      - name: source
                        value: from-now-on
                      - name: connectionId
                        value: ivy
                      - name: start
                        value: latest
                      - name: cron
                        value: "0/2 * * * * ?"
                """);
        try (RelayFixture fixture = new RelayFixture(Map.of("ivy", drive), Map.of(
                "camel.main.routes-include-pattern", RunningRelay.ROUTES + ",file:" + source));
             TopicReader statuses = new TopicReader(fixture.kafka.bootstrapServers(), "workbook-relay.sync-status")) {
            JsonNode first = JSON.readTree(statuses.readUntil(1, Duration.ofSeconds(30)).get(0).value());
            assertEquals("succeeded", first.get("outcome").asText(), first.toString());
            assertEquals(0, first.get("events").asInt(), "nothing of what was there before: " + first);

            SampleWorkbooks.write(drive.resolve("New.xlsx"), SheetSpec.of("After"));
            JsonNode withChange = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (withChange == null && System.nanoTime() < deadline) {
                for (ConsumedEvent e : statuses.readUntil(1, Duration.ofSeconds(3))) {
                    JsonNode status = JSON.readTree(e.value());
                    if (status.get("events").asInt() > 0) {
                        withChange = status;
                    }
                }
            }
            assertTrue(withChange != null, "a later scheduled sync published the new workbook");
            assertEquals("incremental", withChange.get("mode").asText());

            try (TopicReader events = new TopicReader(fixture.kafka.bootstrapServers(), "workbook-relay.workbooks",
                    "workbook-relay.worksheets")) {
                List<String> published = events.readQuiet(Duration.ofSeconds(1), Duration.ofSeconds(20)).stream()
                        .map(e -> e.ceType() + " " + nameAfter(e.value())).toList();
                assertEquals(List.of("dev.workbookrelay.workbook.created New.xlsx",
                        "dev.workbookrelay.worksheet.added After"), published);
            }
        }
    }

    private static String nameAfter(String value) {
        try {
            return JSON.readTree(value).get("after").get("name").asText();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}

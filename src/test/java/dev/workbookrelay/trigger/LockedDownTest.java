package dev.workbookrelay.trigger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workbookrelay.sandbox.EmbeddedKafka;
import dev.workbookrelay.sandbox.NangoGraphEmulator;
import dev.workbookrelay.sandbox.SampleWorkbooks;
import dev.workbookrelay.sandbox.SampleWorkbooks.SheetSpec;
import dev.workbookrelay.support.LogCapture;
import dev.workbookrelay.support.RawRecords;
import dev.workbookrelay.support.RelayFixture;
import dev.workbookrelay.support.RunningRelay;
import dev.workbookrelay.support.SourcesFile;
import dev.workbookrelay.support.SyncStatuses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With ad hoc requests off (the shipped default), whoever can write the sync-requests topic can only ask for the
 * sources the routes configure: a request for one of them takes its name, anything else is dead-lettered with the
 * reason, and no input can forge a line of the log.
 */
class LockedDownTest {

    static final String NEVER = "0 0 0 1 1 ? 2099";
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static EmbeddedKafka kafka;
    static NangoGraphEmulator nango;
    static RunningRelay relay;
    static final String SECRET = UUID.randomUUID().toString();

    @BeforeAll
    static void start() throws Exception {
        Path ann = Files.createDirectories(dir.resolve("ann"));
        SampleWorkbooks.write(ann.resolve("Budget.xlsx"), SheetSpec.of("Q1"));
        Path bob = Files.createDirectories(dir.resolve("bob"));
        SampleWorkbooks.write(bob.resolve("Private.xlsx"), SheetSpec.of("Salaries"));
        kafka = EmbeddedKafka.start();
        kafka.createTopics(RelayFixture.TOPICS);
        nango = NangoGraphEmulator.builder().secretKey(SECRET).connection("microsoft-excel", "ann", ann)
                .connection("microsoft-excel", "bob", bob).build().start();
        String routes = new SourcesFile().connection("ann-drive", "ann", NEVER).writeTo(dir.resolve("s.camel.yaml"));
        relay = RunningRelay.start(kafka.bootstrapServers(), nango.baseUrl(), SECRET, Map.of(
                "camel.main.routes-include-pattern", routes, "workbook-relay.sync-requests.ad-hoc", "false"));
    }

    @AfterAll
    static void stop() throws Exception {
        try (EmbeddedKafka k = kafka; NangoGraphEmulator n = nango; RunningRelay r = relay) {
            // closed in reverse order
        }
    }

    @Test
    void aRequestForAConfiguredSourceIsSyncedUnderTheSourcesName() throws Exception {
        relay.requestSync("{\"connectionId\":\"ann\",\"source\":\"whatever-the-sender-says\",\"requestId\":\"own\"}");
        JsonNode status = SyncStatuses.await(kafka.bootstrapServers(), "own");
        assertEquals("succeeded", status.get("outcome").asText(), status.toString());
        assertEquals("ann-drive", status.get("source").asText(), "the configured name, not the sender's");
    }

    @Test
    void requestsForOtherConnectionsOrAFolderOfASourceAreDeadLetteredWithTheReason() throws Exception {
        String other = "{\"connectionId\":\"bob\",\"requestId\":\"other\"}";
        String folder = "{\"connectionId\":\"ann\",\"folder\":\"/Finance\",\"requestId\":\"within\"}";
        relay.requestSync(other);
        relay.requestSync(folder);
        try (RawRecords dead = new RawRecords(kafka.bootstrapServers(), "workbook-relay.dead-letter")) {
            List<ConsumerRecord<byte[], byte[]>> records = dead.readUntil(r -> r.stream()
                    .filter(d -> RawRecords.header(d, "dlq-reason").contains("source")).count() >= 2,
                    Duration.ofSeconds(60));
            String otherReason = reasonOf(records, other);
            assertTrue(otherReason.contains("bob") && otherReason.contains("no configured or discovered source"),
                    otherReason);
            String folderReason = reasonOf(records, folder);
            assertTrue(folderReason.contains("overlaps source ann-drive"), folderReason);
        }
        // nothing of bob's drive was read: no event names his workbook
        try (RawRecords workbooks = new RawRecords(kafka.bootstrapServers(), "workbook-relay.workbooks")) {
            for (ConsumerRecord<byte[], byte[]> r : workbooks.readQuiet(Duration.ofSeconds(2), Duration.ofSeconds(10))) {
                assertFalse(RawRecords.utf8(r.value()).contains("Private.xlsx"), RawRecords.utf8(r.value()));
            }
        }
        assertTrue(nango.requests().stream().noneMatch(q -> "bob".equals(q.header("Connection-Id"))),
                "no Graph call made for bob");
    }

    @Test
    void aRequestIdWithLineBreaksCannotForgeALogLine() throws Exception {
        String forged = "x\r\n00:00:00.000 ERROR [main] Forged - secrets dumped";
        try (LogCapture log = LogCapture.asShipped()) {
            relay.requestSync(JSON.writeValueAsString(Map.of("connectionId", "ann", "requestId", forged)));
            SyncStatuses.await(kafka.bootstrapServers(), forged);
            List<String> lines = log.lines();
            assertTrue(lines.stream().anyMatch(l -> l.contains("x\\r\\n00:00:00.000 ERROR [main] Forged")),
                    "the request id is logged with its line breaks encoded: " + lines);
            for (String line : lines) {
                assertEquals(line.length() - 1, line.indexOf('\n'), "one line per event: " + line);
                assertEquals(-1, line.indexOf('\r'), line);
            }
        }
    }

    @Test
    void overlappingConfiguredSourcesStopTheStartNamingThem() throws Exception {
        String routes = new SourcesFile().connection("ann-one", "ann", NEVER).connection("ann-two", "ann", NEVER)
                .writeTo(dir.resolve("overlap.camel.yaml"));
        Exception refused = assertThrows(Exception.class, () -> RunningRelay.start(kafka.bootstrapServers(),
                nango.baseUrl(), SECRET, Map.of("camel.main.routes-include-pattern", routes)).close());
        String message = causes(refused);
        assertTrue(message.contains("sources ann-one and ann-two overlap"), message);
    }

    private static String reasonOf(List<ConsumerRecord<byte[], byte[]>> records, String request) {
        return records.stream().filter(d -> RawRecords.utf8(d.value()).equals(request))
                .map(d -> RawRecords.header(d, "dlq-reason")).findFirst()
                .orElseThrow(() -> new AssertionError("not dead-lettered: " + request));
    }

    private static String causes(Throwable t) {
        StringBuilder all = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            all.append(c).append(" <- ");
        }
        return all.toString();
    }
}

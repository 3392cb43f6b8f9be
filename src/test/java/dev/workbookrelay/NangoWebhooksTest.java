package dev.workbookrelay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workbookrelay.sandbox.NangoWebhookSender;
import dev.workbookrelay.sandbox.SampleWorkbooks;
import dev.workbookrelay.sandbox.SampleWorkbooks.SheetSpec;
import dev.workbookrelay.support.RawRecords;
import dev.workbookrelay.support.RelayFixture;
import dev.workbookrelay.support.SourcesFile;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nango's auth webhooks, signed by the emulator as Nango signs them, posted to the relay's webhook server. The
 * integration source's schedule never fires here: whatever is synced, the webhook asked for.
 */
class NangoWebhooksTest {

    static final String SIGNING_KEY = "webhook-signing-key-of-the-environment";
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static RelayFixture fixture;
    static NangoWebhookSender nango;
    static URI webhooks;

    @BeforeAll
    static void start() throws Exception {
        String routes = new SourcesFile().integration("excel-users", "microsoft-excel", "0 0 0 1 1 ? 2099")
                .writeTo(dir.resolve("sources.camel.yaml"));
        fixture = new RelayFixture(Map.of(), Map.of(
                "camel.main.routes-include-pattern", routes,
                "workbook-relay.nango.webhook-signing-key", SIGNING_KEY));
        nango = new NangoWebhookSender(SIGNING_KEY);
        webhooks = URI.create(fixture.relay.webhookUrl());
    }

    @AfterAll
    static void stop() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void aNewConnectionsCreationWebhookStartsItsFirstSyncAtOnce() throws Exception {
        fixture.nango.addConnection("microsoft-excel", "newcomer", drive("newcomer"));

        assertEquals(200, nango.auth(webhooks, "creation", "microsoft-excel", "newcomer", true));

        JsonNode status = awaitStatusOf("newcomer");
        assertEquals("succeeded", status.get("outcome").asText(), status.toString());
        assertEquals("snapshot", status.get("mode").asText());
        assertEquals("excel-users", status.get("source").asText());
        assertEquals(1, status.get("workbooks").asInt());
    }

    @Test
    void aWrongOrMissingSignatureIsRefusedAndChangesNothing() throws Exception {
        fixture.nango.addConnection("microsoft-excel", "intruder", drive("intruder"));
        byte[] body = NangoWebhookSender.body(Map.of("from", "nango", "type", "auth", "operation", "creation",
                "connectionId", "intruder", "providerConfigKey", "microsoft-excel", "success", true));

        assertEquals(401, nango.send(webhooks, body, new NangoWebhookSender("another key").signature(body)));
        assertEquals(401, nango.send(webhooks, body, null));
        assertEquals(401, nango.send(webhooks, body, nango.signature(body).substring(2) + "00"));

        Thread.sleep(2000);
        assertTrue(statuses().stream().noneMatch(s -> s.get("connectionId").asText().equals("intruder")),
                "no sync of the connection an unsigned webhook named");
    }

    @Test
    void aSignedBodyThatIsNotAWebhookIsAnswered400AndDeadLettered() throws Exception {
        byte[] body = "{\"type\":\"auth\",\"operation\":\"creation\"".getBytes(StandardCharsets.UTF_8);

        assertEquals(400, nango.send(webhooks, body, nango.signature(body)));

        try (RawRecords dead = new RawRecords(fixture.kafka.bootstrapServers(), "workbook-relay.dead-letter")) {
            List<ConsumerRecord<byte[], byte[]>> letters = dead.readUntil(l -> l.stream().anyMatch(r ->
                    "invalid-webhook".equals(RawRecords.header(r, "dlq-kind"))), Duration.ofSeconds(20));
            ConsumerRecord<byte[], byte[]> letter = letters.stream().filter(r -> "invalid-webhook".equals(
                    RawRecords.header(r, "dlq-kind"))).findFirst().orElseThrow();
            assertEquals(new String(body, StandardCharsets.UTF_8), RawRecords.utf8(letter.value()), "the body whole");
            assertTrue(RawRecords.header(letter, "dlq-reason").startsWith("unreadable Nango webhook: not JSON"),
                    RawRecords.header(letter, "dlq-reason"));
            assertEquals("nango-webhook", RawRecords.header(letter, "dlq-topic"));
        }
    }

    @Test
    void aFailedTokenRefreshIsToldOnTheStatusTopic() throws Exception {
        assertEquals(200, nango.auth(webhooks, "refresh", "microsoft-excel", "lapsed", false));

        try (RawRecords status = new RawRecords(fixture.kafka.bootstrapServers(), "workbook-relay.sync-status")) {
            List<ConsumerRecord<byte[], byte[]>> records = status.readUntil(l -> l.stream().anyMatch(r ->
                    "dev.workbookrelay.connection.refresh-failed".equals(RawRecords.header(r, "ce_type"))),
                    Duration.ofSeconds(20));
            ConsumerRecord<byte[], byte[]> event = records.stream().filter(r ->
                    "dev.workbookrelay.connection.refresh-failed".equals(RawRecords.header(r, "ce_type")))
                    .findFirst().orElseThrow();
            JsonNode data = JSON.readTree(event.value());
            assertEquals("lapsed", new String(event.key(), StandardCharsets.UTF_8));
            assertEquals("lapsed", data.get("connectionId").asText());
            assertEquals("microsoft-excel", data.get("providerConfigKey").asText());
            assertEquals("refresh_token_external_error", data.get("errorType").asText());
            assertTrue(dev.workbookrelay.support.EventSchemas.check("connection-event",
                    new String(event.value(), StandardCharsets.UTF_8)).isEmpty());
        }
    }

    private static Path drive(String user) throws Exception {
        Path drive = Files.createDirectories(dir.resolve(user));
        SampleWorkbooks.write(drive.resolve("Only.xlsx"), SheetSpec.of("Sheet"));
        return drive;
    }

    private static JsonNode awaitStatusOf(String connectionId) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            for (JsonNode s : statuses()) {
                if (s.path("connectionId").asText().equals(connectionId) && s.has("syncId")) {
                    return s;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no sync of " + connectionId);
    }

    private static List<JsonNode> statuses() throws Exception {
        try (RawRecords status = new RawRecords(fixture.kafka.bootstrapServers(), "workbook-relay.sync-status")) {
            return status.readQuiet(Duration.ofMillis(500), Duration.ofSeconds(10)).stream().map(r -> {
                try {
                    return JSON.readTree(r.value());
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }).toList();
        }
    }
}

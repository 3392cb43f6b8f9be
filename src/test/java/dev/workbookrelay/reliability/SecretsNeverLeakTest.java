package dev.workbookrelay.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.workbookrelay.sandbox.EmbeddedKafka;
import dev.workbookrelay.sandbox.NangoGraphEmulator;
import dev.workbookrelay.sandbox.RecordedRequest;
import dev.workbookrelay.sandbox.RelayProcess;
import dev.workbookrelay.sandbox.SampleWorkbooks;
import dev.workbookrelay.sandbox.SampleWorkbooks.SheetSpec;
import dev.workbookrelay.support.FreePort;
import dev.workbookrelay.support.LogCapture;
import dev.workbookrelay.support.RawRecords;
import dev.workbookrelay.support.RelayFixture;
import dev.workbookrelay.support.RunningRelay;
import dev.workbookrelay.support.SyncStatuses;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run that goes through success, a throttled and retried Graph call, retries exhausted, a workbook Graph
 * refuses, an unknown Nango connection, a wrong secret key (a second relay), dead letters, and a relay in a child
 * JVM, with the relay's own logger at DEBUG. Neither secret key (the right one, the wrong one) appears, in any
 * form, in the log lines of this JVM, the child's whole output, any record (key, value, headers) of any topic, or
 * the health and metrics pages; while each key did reach the emulator in the requests' Authorization header, so
 * the same search over those requests finds it.
 *
 * <p>Nango's access tokens: the Nango proxy never hands the OAuth access token to its caller, and the emulator
 * has none, so there is no token to search for here beyond the secret keys.
 */
class SecretsNeverLeakTest {

    static final String REQUESTS = "workbook-relay.sync-requests";

    @TempDir
    Path dir;

    @Test
    void noSecretKeyInLogsEventsDeadLettersHealthOrMetrics() throws Exception {
        String secret = UUID.randomUUID().toString();
        String wrongKey = UUID.randomUUID().toString();
        Path drive = dir.resolve("drive");
        SampleWorkbooks.write(drive.resolve("Book.xlsx"), SheetSpec.of("One"), SheetSpec.of("Two"));
        SampleWorkbooks.write(drive.resolve("Finance/Budget.xlsx"), SheetSpec.of("Q1"));

        Map<String, String> pages = new LinkedHashMap<>();
        List<String> childLog;
        List<String> logLines;
        List<String> topicText = new ArrayList<>();
        List<RecordedRequest> received;
        Configurator.setLevel("dev.workbookrelay", Level.DEBUG);
        try (LogCapture logs = LogCapture.attach();
                EmbeddedKafka kafka = EmbeddedKafka.start();
                NangoGraphEmulator nango = NangoGraphEmulator.builder().secretKey(secret)
                        .connection("microsoft-excel", "alice", drive).build().start()) {
            kafka.createTopics(RelayFixture.TOPICS);
            kafka.createTopics("wrong-key-requests", "child-requests");
            String brokers = kafka.bootstrapServers();

            int port = FreePort.next();
            try (RunningRelay relay = RunningRelay.start(brokers, nango.baseUrl(), secret, Map.of(
                    "camel.management.port", Integer.toString(port),
                    "workbook-relay.graph.retry.max-attempts", "2",
                    "workbook-relay.graph.retry.initial-delay-ms", "100",
                    "workbook-relay.graph.retry.max-delay-ms", "200"))) {
                expect(brokers, relay, "{\"connectionId\":\"alice\",\"requestId\":\"ok\"}", "ok", "succeeded");

                nango.faults().failNext("/root/delta", 1, 429, Map.of("Retry-After", "1"), null);
                expect(brokers, relay, "{\"connectionId\":\"alice\",\"requestId\":\"throttled\"}", "throttled",
                        "succeeded");

                nango.faults().failNext("/root/delta", 10, 500);
                expect(brokers, relay, "{\"connectionId\":\"alice\",\"requestId\":\"exhausted\"}", "exhausted",
                        "failed");
                nango.faults().clear();

                // a proxy on the way that echoes the request it got, the Authorization header among it
                nango.faults().echoRequestNext("/root/delta", 10);
                String echoed = expect(brokers, relay, "{\"connectionId\":\"alice\",\"requestId\":\"echoed\"}",
                        "echoed", "failed").get("error").get("reason").asText();
                assertTrue(echoed.contains("authorization: Bearer ****"), "the echo arrived, scrubbed: " + echoed);
                nango.faults().clear();

                SampleWorkbooks.editCell(drive.resolve("Book.xlsx"), "One", "A1", "changed");
                nango.faults().failNext("/workbook/worksheets", 1, 403);
                expect(brokers, relay, "{\"connectionId\":\"alice\",\"requestId\":\"refused-workbook\"}",
                        "refused-workbook", "succeeded");
                nango.faults().clear();

                expect(brokers, relay, "{\"connectionId\":\"nobody\",\"requestId\":\"unknown-connection\"}",
                        "unknown-connection", "failed");
                relay.send("not json".getBytes(StandardCharsets.UTF_8));
                relay.requestSync("{\"requestId\":\"no-connection\"}");
                expect(brokers, relay, "{\"connectionId\":\"alice\",\"requestId\":\"after-bad\"}", "after-bad",
                        "succeeded");
                fetchObservability(port, "relay", pages);
            }

            int wrongPort = FreePort.next();
            try (RunningRelay wrong = RunningRelay.start(brokers, nango.baseUrl(), wrongKey, Map.of(
                    "camel.management.port", Integer.toString(wrongPort),
                    "workbook-relay.topics.sync-requests", "wrong-key-requests",
                    "workbook-relay.sync-requests.group-id", "wrong-key"))) {
                expect(brokers, wrong, "{\"connectionId\":\"alice\",\"requestId\":\"wrong-key\"}", "wrong-key",
                        "failed");
                fetchObservability(wrongPort, "wrong-key relay", pages);
            }

            Path childLogFile = dir.resolve("child.log");
            RelayProcess child = RelayProcess.launcher().brokers(brokers).nango(nango.baseUrl(), secret)
                    .stateDir(dir.resolve("child-state")).env("LOG_LEVEL", "DEBUG")
                    .setting("camel.management.port", Integer.toString(FreePort.next()))
                    .setting("workbook-relay.topics.sync-requests", "child-requests")
                    .setting("workbook-relay.sync-requests.group-id", "child")
                    .jvmArgs("-Xmx256m").logFile(childLogFile).start();
            try {
                child.awaitReady(Duration.ofSeconds(90));
                try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers), new StringSerializer(),
                        new ByteArraySerializer())) {
                    for (String message : List.of("{\"connectionId\":\"alice\",\"requestId\":\"child-ok\"}",
                            "{\"connectionId\":7}", "{\"connectionId\":\"alice\",\"requestId\":\"child-after\"}")) {
                        producer.send(new ProducerRecord<>("child-requests", null,
                                message.getBytes(StandardCharsets.UTF_8))).get();
                    }
                }
                assertEquals("succeeded", SyncStatuses.await(brokers, "child-after").get("outcome").asText());
            } finally {
                child.stop();
            }
            childLog = Files.readAllLines(childLogFile, StandardCharsets.UTF_8);

            try (RawRecords all = new RawRecords(brokers, allTopics())) {
                for (ConsumerRecord<byte[], byte[]> r : all.readQuiet(Duration.ofSeconds(2), Duration.ofSeconds(30))) {
                    StringBuilder text = new StringBuilder(r.topic()).append(' ').append(RawRecords.utf8(r.key()));
                    for (Header h : r.headers()) {
                        text.append(' ').append(h.key()).append('=').append(RawRecords.utf8(h.value()));
                    }
                    topicText.add(text.append(' ').append(RawRecords.utf8(r.value())).toString());
                }
            }
            received = nango.requests();
            logLines = logs.lines();
        } finally {
            Configurator.setLevel("dev.workbookrelay", Level.INFO);
        }

        // the capture is real: each place holds what this run did
        assertTrue(logLines.stream().anyMatch(l -> l.contains("request=ok")), "the relay's log lines were captured");
        assertTrue(childLog.stream().anyMatch(l -> l.contains("child-ok")), "the child's output was captured");
        assertTrue(topicText.stream().anyMatch(t -> t.startsWith("workbook-relay.dead-letter")),
                "dead letters were read");
        assertTrue(topicText.stream().anyMatch(t -> t.contains("dev.workbookrelay.sync.failed")
                && t.contains("wrong-key")), "the wrong key's failed status was read");
        // and the search finds a key where it does travel: the Authorization header Nango receives
        List<String> requestText = received.stream().map(r -> r.pathAndQuery() + " " + r.headers()).toList();
        assertTrue(hits(requestText, secret) > 0, "the secret key reached the emulator");
        assertTrue(hits(requestText, wrongKey) > 0, "the wrong key reached the emulator");

        for (String key : List.of(secret, wrongKey)) {
            String which = key.equals(secret) ? "secret key" : "wrong secret key";
            assertEquals(List.of(), matching(logLines, key), which + " in this JVM's log lines");
            assertEquals(List.of(), matching(childLog, key), which + " in the child JVM's output");
            assertEquals(List.of(), matching(topicText, key), which + " in a Kafka record");
            pages.forEach((page, body) -> assertFalse(contains(body, key), which + " in " + page));
        }
        System.out.printf("searched %d log lines, %d child log lines, %d records, %d pages %s%n", logLines.size(),
                childLog.size(), topicText.size(), pages.size(), pages.keySet());
    }

    /** Health (live, ready, both) and metrics of a relay; metrics must answer, health answers UP or DOWN. */
    static void fetchObservability(int port, String relay, Map<String, String> pages) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (String path : List.of("/observe/health", "/observe/health/live", "/observe/health/ready",
                "/observe/metrics")) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            String body = response.headers().map() + "\n" + response.body();
            pages.put(relay + " " + path + " (" + response.statusCode() + ")", body);
            if (path.endsWith("metrics")) {
                assertEquals(200, response.statusCode(), relay + " " + path);
                assertTrue(response.body().contains("workbook_relay_"), relay + " metrics carry the relay's series");
            } else {
                assertTrue(response.statusCode() == 200 || response.statusCode() == 503,
                        relay + " " + path + " answered " + response.statusCode() + ": " + response.body());
                assertFalse(response.body().isBlank(), relay + " " + path + " has a body");
            }
        }
    }

    static JsonNode expect(String brokers, RunningRelay relay, String request, String requestId, String outcome)
            throws Exception {
        relay.requestSync(request);
        JsonNode status = SyncStatuses.await(brokers, requestId);
        assertEquals(outcome, status.get("outcome").asText(), status.toString());
        return status;
    }

    static List<String> allTopics() {
        List<String> topics = new ArrayList<>(List.of(RelayFixture.TOPICS));
        topics.addAll(List.of("wrong-key-requests", "child-requests"));
        return topics;
    }

    /** The key as written, in upper case, or without its dashes (as a hex string) anywhere in the text. */
    static boolean contains(String text, String key) {
        if (text == null) {
            return false;
        }
        String t = text.toLowerCase(Locale.ROOT);
        String k = key.toLowerCase(Locale.ROOT);
        return t.contains(k) || t.contains(k.replace("-", ""));
    }

    static long hits(List<String> texts, String key) {
        return texts.stream().filter(t -> contains(t, key)).count();
    }

    static List<String> matching(List<String> texts, String key) {
        return texts.stream().filter(t -> contains(t, key)).limit(5).toList();
    }
}

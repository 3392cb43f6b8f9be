package dev.workbookrelay.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.workbookrelay.sandbox.SampleWorkbooks.SheetSpec;
import dev.workbookrelay.support.SyncStatuses;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The relay in a child JVM: it starts, syncs on request, reports its figures, and dies on kill -9. */
class RelayProcessTest {

    @TempDir
    Path dir;

    @Test
    void childRelaySyncsThenDiesOnKillHard() throws Exception {
        Path drive = Files.createDirectories(dir.resolve("drive/Finance"));
        SampleWorkbooks.write(drive.resolve("Budget.xlsx"), SheetSpec.of("Summary"), SheetSpec.of("Q1"));
        String secret = UUID.randomUUID().toString();
        try (EmbeddedKafka kafka = EmbeddedKafka.start();
                NangoGraphEmulator nango = NangoGraphEmulator.builder().secretKey(secret)
                        .connection("microsoft-excel", "alice", dir.resolve("drive")).build().start()) {
            kafka.createTopics("workbook-relay.sync-requests", "workbook-relay.workbooks", "workbook-relay.worksheets",
                    "workbook-relay.sync-status", "workbook-relay.dead-letter");
            RelayProcess relay = RelayProcess.launcher().brokers(kafka.bootstrapServers())
                    .nango(nango.baseUrl(), secret).stateDir(dir.resolve("state")).jvmArgs("-Xmx256m")
                    // a setting passed as a system property reaches the relay: 1 item a delta page
                    .setting("workbook-relay.graph.page-size", "1")
                    .logFile(dir.resolve("relay.log")).start();
            try {
                relay.awaitReady(Duration.ofSeconds(90));
                try (KafkaProducer<String, byte[]> producer = producer(kafka.bootstrapServers())) {
                    producer.send(new ProducerRecord<>("workbook-relay.sync-requests", "alice",
                            "{\"connectionId\":\"alice\",\"requestId\":\"child-1\"}".getBytes(StandardCharsets.UTF_8)))
                            .get();
                }
                JsonNode status;
                try {
                    status = SyncStatuses.await(kafka.bootstrapServers(), "child-1");
                } catch (AssertionError e) {
                    throw new AssertionError(e.getMessage() + "; relay log:\n" + relay.logTail(60), e);
                }
                assertEquals("succeeded", status.get("outcome").asText(), status.toString());
                assertEquals(1, status.get("workbooks").asInt(), status.toString());
                assertEquals(3, status.get("pages").asInt(), "root, folder, workbook: " + status);

                assertTrue(relay.cpuSeconds() > 0, "CPU time read from /proc");
                assertTrue(relay.peakRssBytes() > 10_000_000L, "VmHWM read from /proc");
                assertTrue(relay.peakHeapBytes() > 0, "peak heap reported by the child");
                long retained = relay.retainedHeapBytes();
                assertTrue(retained > 0 && retained <= relay.peakHeapBytes(),
                        "heap after the full GC it asked for (" + retained + "), at most the peak");
                long pid = relay.pid();
                relay.killHard();
                assertFalse(relay.isAlive());
                assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "process " + pid + " gone");
                assertTrue(Files.size(relay.logFile()) > 0, "the child's output went to its log");
            } finally {
                relay.close();
            }
        }
    }

    private static KafkaProducer<String, byte[]> producer(String brokers) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers),
                new StringSerializer(), new ByteArraySerializer());
    }
}

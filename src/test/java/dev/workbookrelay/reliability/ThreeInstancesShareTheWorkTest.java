package dev.workbookrelay.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workbookrelay.sandbox.EmbeddedKafka;
import dev.workbookrelay.sandbox.NangoGraphEmulator;
import dev.workbookrelay.sandbox.RelayProcess;
import dev.workbookrelay.sandbox.SampleWorkbooks;
import dev.workbookrelay.sandbox.SampleWorkbooks.SheetSpec;
import dev.workbookrelay.support.DriveTruth;
import dev.workbookrelay.support.PostgresSchema;
import dev.workbookrelay.support.PublishedDrive;
import dev.workbookrelay.support.RawRecords;
import dev.workbookrelay.support.RelayFixture;
import dev.workbookrelay.support.SourcesFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three relays (separate JVMs) on one broker and one PostgreSQL, 60 sources on the same cron. Every tick syncs
 * every source exactly once across the cluster: Quartz's clustered job store fires each source's tick on one
 * instance, which publishes it to the sync-requests topic, whose partitions spread the syncs over the instances.
 * Then one instance is killed with SIGKILL in the middle of a tick: its partitions move to the others, its
 * sources' leases run out, and every tick after it still syncs every source; in the end every workbook of every
 * drive is published, and the survivors stayed ready throughout.
 */
class ThreeInstancesShareTheWorkTest {

    static final int SOURCES = 60;
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void everyTickSyncsEverySourceOnceAcrossTheClusterAndAKilledInstancesWorkMovesToTheOthers() throws Exception {
        Path drive = dir.resolve("drive");
        for (int i = 1; i <= 2; i++) {
            SampleWorkbooks.write(drive.resolve("Book " + i + ".xlsx"), SheetSpec.of("Sheet " + i));
        }
        Map<String, List<String>> truth = DriveTruth.of(drive);
        String secret = UUID.randomUUID().toString();
        NangoGraphEmulator.Builder emulator = NangoGraphEmulator.builder().secretKey(secret).recordRequests(false);
        SourcesFile sources = new SourcesFile();
        for (int s = 0; s < SOURCES; s++) {
            String id = String.format("user-%02d", s);
            emulator.connection("microsoft-excel", id, drive);
            sources.connection("src-" + id, id, "0/10 * * * * ?");
        }
        String routes = sources.writeTo(dir.resolve("sources.camel.yaml"));

        try (EmbeddedKafka kafka = EmbeddedKafka.start(); NangoGraphEmulator nango = emulator.build().start();
                PostgresSchema schema = new PostgresSchema("relay_cluster")) {
            kafka.createTopics(6, "workbook-relay.sync-requests");
            kafka.createTopics(RelayFixture.TOPICS);
            nango.faults().delayEach(Duration.ofMillis(150)); // a tick's 60 syncs take a few seconds
            List<RelayProcess> relays = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    relays.add(RelayProcess.launcher().brokers(kafka.bootstrapServers()).nango(nango.baseUrl(), secret)
                            .env("WORKBOOK_RELAY_ROUTES", routes)
                            .setting("workbook-relay.state.jdbc-url", schema.url())
                            .setting("workbook-relay.sync.lease-period-ms", "6000")
                            .setting("camel.component.kafka.session-timeout-ms", "6000")
                            .setting("camel.component.kafka.heartbeat-interval-ms", "1000")
                            .jvmArgs("-Xmx256m").logFile(dir.resolve("relay-" + i + ".log")).start());
                }
                for (RelayProcess relay : relays) {
                    relay.awaitReady(Duration.ofSeconds(90));
                }
                // while the group forms, partitions move and a tick's request can run on two members (at least
                // once); exactly once is counted from the first tick after all three hold partitions
                Instant stable = awaitThreeMembers(kafka);
                // two whole ticks with all three, then a kill in the middle of the next
                Instant killAt = nextTick(stable.plusSeconds(20)).plusMillis(1500);
                Thread.sleep(Math.max(0, Duration.between(Instant.now(), killAt).toMillis()));
                relays.get(0).killHard();
                Instant killed = Instant.now();
                for (int waited = 0; waited < 25; waited++) { // two more ticks; the survivors stay ready
                    for (RelayProcess survivor : relays.subList(1, 3)) {
                        assertEquals(200, ready(survivor), "a survivor is ready while its peer is gone");
                    }
                    Thread.sleep(1000);
                }

                Map<Instant, Map<String, Integer>> syncsPerTick = syncsPerTick(kafka);
                String story = "syncs per tick (kill at " + killed + "): " + summary(syncsPerTick) + "; logs in "
                        + dir;
                List<Instant> before = syncsPerTick.keySet().stream().filter(t -> t.isAfter(stable)
                        && t.isBefore(killed.minusSeconds(10))).toList();
                List<Instant> after = syncsPerTick.keySet().stream().filter(t -> t.isAfter(killed.plusSeconds(7))
                        && t.isBefore(Instant.now().minusSeconds(12))).toList();
                System.out.println(story);
                assertTrue(before.size() >= 2, story);
                assertTrue(!after.isEmpty(), story);
                for (Instant tick : before) {
                    Map<String, Integer> perSource = syncsPerTick.get(tick);
                    assertEquals(SOURCES, perSource.size(), "every source synced at " + tick + "; " + story);
                    assertTrue(perSource.values().stream().allMatch(n -> n == 1), "each once at " + tick + "; "
                            + story);
                }
                for (Instant tick : after) {
                    assertEquals(SOURCES, syncsPerTick.get(tick).size(), "every source synced at " + tick
                            + " on the two survivors; " + story);
                }

                List<ConsumerRecord<byte[], byte[]>> events;
                try (RawRecords topics = new RawRecords(kafka.bootstrapServers(), "workbook-relay.workbooks",
                        "workbook-relay.worksheets")) {
                    events = topics.readQuiet(Duration.ofSeconds(2), Duration.ofSeconds(60));
                }
                for (int s = 0; s < SOURCES; s++) {
                    String id = String.format("user-%02d", s);
                    assertEquals(truth, new PublishedDrive(id, events, "workbook-relay.workbooks",
                            "workbook-relay.worksheets").contents(), "every workbook of " + id + "'s drive");
                }
            } finally {
                for (RelayProcess relay : relays) {
                    relay.close();
                }
            }
        }
    }

    /** Tick time → source → how many succeeded syncs covered it (its own request, or one merged into another). */
    private static Map<Instant, Map<String, Integer>> syncsPerTick(EmbeddedKafka kafka) throws Exception {
        Map<Instant, Map<String, Integer>> ticks = new TreeMap<>();
        try (RawRecords status = new RawRecords(kafka.bootstrapServers(), "workbook-relay.sync-status")) {
            for (ConsumerRecord<byte[], byte[]> record : status.readQuiet(Duration.ofSeconds(2),
                    Duration.ofSeconds(30))) {
                JsonNode s = JSON.readTree(record.value());
                if (!s.path("outcome").asText().equals("succeeded")) {
                    continue;
                }
                List<String> ids = new ArrayList<>();
                ids.add(s.get("requestId").asText());
                s.get("coalescedRequestIds").forEach(id -> ids.add(id.asText()));
                for (String id : ids) { // schedule:<source>@<tick>
                    String source = id.substring("schedule:".length(), id.indexOf('@'));
                    Instant tick = Instant.parse(id.substring(id.indexOf('@') + 1));
                    ticks.computeIfAbsent(tick, t -> new TreeMap<>()).merge(source, 1, Integer::sum);
                }
            }
        }
        return ticks;
    }

    private static String summary(Map<Instant, Map<String, Integer>> ticks) {
        StringBuilder s = new StringBuilder();
        ticks.forEach((tick, perSource) -> s.append(tick).append("=").append(perSource.size()).append(" sources/")
                .append(perSource.values().stream().mapToInt(Integer::intValue).sum()).append(" syncs "));
        return s.toString();
    }

    /** When the consumer group has the three relays, each holding partitions. */
    private static Instant awaitThreeMembers(EmbeddedKafka kafka) throws Exception {
        java.util.Properties p = new java.util.Properties();
        p.put("bootstrap.servers", kafka.bootstrapServers());
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(p)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline) {
                var group = admin.describeConsumerGroups(List.of("workbook-relay")).all().get().get("workbook-relay");
                if (group.members().size() == 3 && group.members().stream()
                        .allMatch(m -> !m.assignment().topicPartitions().isEmpty())) {
                    return Instant.now();
                }
                Thread.sleep(200);
            }
        }
        throw new AssertionError("the three relays did not share the partitions");
    }

    private static Instant nextTick(Instant after) {
        long seconds = after.getEpochSecond();
        return Instant.ofEpochSecond(seconds - seconds % 10 + 10);
    }

    private static int ready(RelayProcess relay) throws Exception {
        HttpResponse<Void> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                relay.managementUrl() + "/observe/health/ready")).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.discarding());
        return answer.statusCode();
    }
}

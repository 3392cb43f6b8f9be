package dev.workbookrelay.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.workbookrelay.sandbox.ChildReport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The benchmark's reference: the least code that does what a snapshot sync does, with no Camel. It takes sync
 * requests from its own topic ({@code bench.baseline-requests}, same JSON as the relay's), pages the drive's delta
 * through the Nango proxy (same headers, same {@code $select} and {@code $top}, following {@code @odata.nextLink}),
 * lists each workbook's worksheets with at most {@code workbook-relay.sync.concurrency} workbooks in flight (one
 * request each), publishes one workbook event and one event per worksheet (CloudEvents binary mode, Debezium-style
 * data, the relay's topics and keys) with {@code acks=all} and idempotence, waits for every ack, and ends with a
 * status event on {@code workbook-relay.sync-status}. A 429/503 is retried after its {@code Retry-After}.
 *
 * <p>Settings: {@code NANGO_BASE_URL}, {@code NANGO_SECRET_KEY}, {@code KAFKA_BROKERS} (environment);
 * {@code workbook-relay.sync.concurrency}, {@code workbook-relay.graph.page-size}, {@code kafka.linger.ms},
 * {@code baseline.publish} (system properties). Started by the benchmark as a
 * {@link dev.workbookrelay.sandbox.RelayProcess}.
 */
public final class Baseline {

    static final String REQUESTS_TOPIC = "bench.baseline-requests";
    /** System property: {@code false} makes the same Graph calls but publishes no events (the HTTP floor). */
    static final String PUBLISH = "baseline.publish";
    private static final String SELECT = "id,name,size,webUrl,eTag,cTag,createdDateTime,lastModifiedDateTime,"
            + "createdBy,lastModifiedBy,parentReference,file,folder,package,root,deleted";
    private static final String GRAPH_ORIGIN = "https://graph.microsoft.com";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final KafkaProducer<String, byte[]> producer;
    private final String nango = System.getenv("NANGO_BASE_URL");
    private final String secret = System.getenv("NANGO_SECRET_KEY");
    private final int concurrency = Integer.parseInt(System.getProperty("workbook-relay.sync.concurrency", "8"));
    private final int pageSize = Integer.parseInt(System.getProperty("workbook-relay.graph.page-size", "200"));
    private final boolean publish = Boolean.parseBoolean(System.getProperty(PUBLISH, "true"));

    private Baseline(String brokers) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, System.getProperty("kafka.linger.ms", "5"));
        producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    public static void main(String[] args) throws Exception {
        ChildReport report = ChildReport.start();
        String brokers = System.getenv("KAFKA_BROKERS");
        Baseline baseline = new Baseline(brokers);
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<String, byte[]> requests = new KafkaConsumer<>(c, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            TopicPartition partition = new TopicPartition(REQUESTS_TOPIC, 0);
            requests.assign(List.of(partition));
            requests.seekToEnd(List.of(partition));
            requests.position(partition);
            baseline.producer.partitionsFor("workbook-relay.workbooks");
            baseline.producer.partitionsFor("workbook-relay.worksheets");
            baseline.producer.partitionsFor("workbook-relay.sync-status");
            report.markReady();
            while (true) {
                for (ConsumerRecord<String, byte[]> record : requests.poll(Duration.ofSeconds(1))) {
                    baseline.sync(JSON.readTree(record.value()));
                }
            }
        }
    }

    /** One snapshot sync; publishes its status event whatever happens. */
    private void sync(JsonNode request) throws Exception {
        long started = System.nanoTime();
        String startedAt = Instant.now().toString();
        Sync sync = new Sync(request.path("providerConfigKey").asText("microsoft-excel"),
                request.get("connectionId").asText());
        String error = null;
        try {
            sync.run();
        } catch (Exception e) {
            error = String.valueOf(e);
        }
        ObjectNode status = JSON.createObjectNode();
        status.put("requestId", request.path("requestId").asText());
        status.put("connectionId", sync.connectionId);
        status.put("startedAt", startedAt);
        status.put("durationMs", (System.nanoTime() - started) / 1_000_000);
        status.put("pages", sync.pages.get());
        status.put("workbooks", sync.workbooks.get());
        status.put("worksheets", sync.worksheets.get());
        status.put("graphCalls", sync.graphCalls.get());
        status.put("events", sync.events.get());
        status.put("outcome", error == null ? "succeeded" : "failed");
        status.put("error", error);
        producer.send(new ProducerRecord<>("workbook-relay.sync-status", null, sync.connectionId,
                JSON.writeValueAsBytes(status), sync.statusHeaders(error == null ? "sync.succeeded" : "sync.failed",
                        "syncs/" + UUID.randomUUID(), Instant.now().toString()))).get();
    }

    private final class Sync {
        final String providerConfigKey;
        final String connectionId;
        final String source;
        final AtomicInteger pages = new AtomicInteger();
        final AtomicInteger workbooks = new AtomicInteger();
        final AtomicInteger worksheets = new AtomicInteger();
        final AtomicInteger graphCalls = new AtomicInteger();
        final AtomicInteger events = new AtomicInteger();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final Semaphore inFlight = new Semaphore(concurrency);

        Sync(String providerConfigKey, String connectionId) {
            this.providerConfigKey = providerConfigKey;
            this.connectionId = connectionId;
            this.source = "/nango/" + providerConfigKey + "/" + connectionId;
        }

        void run() throws Exception {
            String next = "/v1.0/me/drive/root/delta?$select=" + SELECT + "&$top=" + pageSize;
            while (next != null && failure.get() == null) {
                JsonNode page = JSON.readTree(get(next));
                pages.incrementAndGet();
                for (JsonNode item : page.path("value")) {
                    if (item.has("file") && !item.has("deleted")
                            && item.path("name").asText().toLowerCase().endsWith(".xlsx")) {
                        inFlight.acquire();
                        worksheetsOf(item).whenComplete((ok, e) -> {
                            if (e != null) {
                                failure.compareAndSet(null, e);
                            }
                            inFlight.release();
                        });
                    }
                }
                next = page.hasNonNull("@odata.nextLink") ? page.get("@odata.nextLink").asText().substring(GRAPH_ORIGIN.length())
                        : null;
            }
            inFlight.acquire(concurrency);
            producer.flush();
            if (failure.get() != null) {
                throw new IllegalStateException("sync failed", failure.get());
            }
        }

        /** Lists the workbook's worksheets and publishes its events; completes when they are handed to the producer. */
        CompletableFuture<Void> worksheetsOf(JsonNode item) {
            String driveId = item.path("parentReference").path("driveId").asText();
            String path = "/v1.0/drives/" + driveId + "/items/" + item.get("id").asText() + "/workbook/worksheets";
            return getAsync(path, 0).thenAccept(body -> {
                try {
                    JsonNode sheets = JSON.readTree(body);
                    if (publish) {
                        publish(item, driveId, sheets);
                    } else {
                        workbooks.incrementAndGet();
                        worksheets.addAndGet(sheets.path("value").size());
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        }

        void publish(JsonNode item, String driveId, JsonNode sheets) throws Exception {
            String workbookId = item.get("id").asText();
            String time = item.path("lastModifiedDateTime").asText();
            ObjectNode after = JSON.createObjectNode();
            after.put("id", workbookId);
            after.put("name", item.path("name").asText());
            after.put("driveId", driveId);
            after.put("parentId", item.path("parentReference").path("id").asText());
            after.putNull("parentPath");
            after.put("webUrl", item.path("webUrl").asText());
            after.put("size", item.path("size").asLong());
            after.put("eTag", item.path("eTag").asText());
            after.put("cTag", item.path("cTag").asText());
            after.put("createdDateTime", item.path("createdDateTime").asText());
            after.put("lastModifiedDateTime", time);
            after.set("lastModifiedBy", item.path("lastModifiedBy").path("user"));
            String key = connectionId + "/" + workbookId;
            send("workbook-relay.workbooks", key, "workbook.snapshot", "workbooks/" + workbookId, time, envelope(after));
            workbooks.incrementAndGet();
            for (JsonNode sheet : sheets.path("value")) {
                ObjectNode image = JSON.createObjectNode();
                image.put("id", sheet.get("id").asText());
                image.put("name", sheet.path("name").asText());
                image.put("position", sheet.path("position").asInt());
                image.put("visibility", sheet.path("visibility").asText());
                image.put("workbookId", workbookId);
                String sheetId = sheet.get("id").asText();
                send("workbook-relay.worksheets", key + "/" + sheetId, "worksheet.snapshot",
                        "workbooks/" + workbookId + "/worksheets/" + sheetId, time, envelope(image));
                worksheets.incrementAndGet();
            }
        }

        ObjectNode envelope(ObjectNode after) {
            ObjectNode data = JSON.createObjectNode();
            data.put("op", "r");
            data.put("source", connectionId);
            data.put("providerConfigKey", providerConfigKey);
            data.put("connectionId", connectionId);
            data.put("drive", "me");
            data.putNull("before");
            data.set("after", after);
            return data;
        }

        void send(String topic, String key, String type, String subject, String time, ObjectNode data) throws Exception {
            byte[] value = JSON.writeValueAsBytes(data);
            RecordHeaders headers = headers(type, subject, time);
            headers.add("ce_id", bytes(eventId(type, key, value).toString()));
            producer.send(new ProducerRecord<>(topic, null, key, value, headers), (meta, e) -> {
                if (e != null) {
                    failure.compareAndSet(null, e);
                }
            });
            events.incrementAndGet();
        }

        RecordHeaders statusHeaders(String type, String subject, String time) {
            RecordHeaders h = headers(type, subject, time);
            h.add("ce_id", bytes(UUID.randomUUID().toString()));
            return h;
        }

        RecordHeaders headers(String type, String subject, String time) {
            RecordHeaders h = new RecordHeaders();
            h.add("ce_specversion", bytes("1.0"));
            h.add("ce_source", bytes(source));
            h.add("ce_type", bytes("dev.workbookrelay." + type));
            h.add("ce_subject", bytes(subject));
            h.add("ce_time", bytes(time));
            h.add("content-type", bytes("application/json"));
            return h;
        }

        byte[] get(String path) throws Exception {
            return getAsync(path, 0).get();
        }

        /** GET through the proxy; 429/503 waits as told (or 1 s) and tries again, up to 5 times. */
        CompletableFuture<byte[]> getAsync(String path, int attempt) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(nango + "/proxy" + path))
                    .header("Authorization", "Bearer " + secret)
                    .header("Provider-Config-Key", providerConfigKey)
                    .header("Connection-Id", connectionId)
                    .header("Retries", "0")
                    .timeout(Duration.ofSeconds(120)).GET().build();
            return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).thenCompose(response -> {
                graphCalls.incrementAndGet();
                int status = response.statusCode();
                if ((status == 429 || status == 503) && attempt < 5) {
                    double wait = response.headers().firstValue("retry-after").map(Double::parseDouble).orElse(1.0);
                    return CompletableFuture.supplyAsync(() -> null,
                            CompletableFuture.delayedExecutor((long) (wait * 1000), java.util.concurrent.TimeUnit.MILLISECONDS))
                            .thenCompose(x -> getAsync(path, attempt + 1));
                }
                if (status != 200) {
                    throw new IllegalStateException("GET " + path + " answered " + status + ": "
                            + new String(response.body(), StandardCharsets.UTF_8));
                }
                return CompletableFuture.completedFuture(response.body());
            });
        }
    }

    /** Same state, same id: a name-based UUID over type, key and data, as the relay derives its ids. */
    private static UUID eventId(String type, String key, byte[] data) {
        byte[] head = bytes(type + "\n" + key + "\n");
        byte[] all = new byte[head.length + data.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(data, 0, all, head.length, data.length);
        return UUID.nameUUIDFromBytes(all);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}

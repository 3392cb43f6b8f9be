package dev.workbookrelay.sync;

import dev.workbookrelay.events.CloudEvent;
import dev.workbookrelay.events.EventIds;
import java.util.LinkedHashMap;
import java.util.HashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the two triggers meet: a scheduled source ({@code direct:scheduled-sync}, from the route template in
 * routes/workbook-source.camel.yaml) and a message from the sync-requests topic ({@code direct:sync-request},
 * from routes/sync-requests.camel.yaml). Both become a {@link SyncRequest} for {@link SyncRoute}. A message that
 * is not a valid request, and the request of a sync that failed, go to the dead-letter topic with the reason and
 * their origin; the consumer moves on. The consumer commits a message's offset only after this route is done
 * with it, i.e. after the sync's events (or the dead letter) were acknowledged by Kafka.
 */
public class SyncTriggerRoute extends RouteBuilder {

    /** Headers a scheduled source sets; they name the template parameters. */
    static final String[] SCHEDULE_PARAMETERS = {"source", "connectionId", "providerConfigKey", "drive", "folder",
        "start"};

    public static final String DEAD_LETTER_REASON = "dlq-reason";
    public static final String DEAD_LETTER_TOPIC = "dlq-topic";
    public static final String DEAD_LETTER_PARTITION = "dlq-partition";
    public static final String DEAD_LETTER_OFFSET = "dlq-offset";
    /** {@code invalid-request} (never ran) or {@code sync-failed} (ran and failed, e.g. retries exhausted). */
    public static final String DEAD_LETTER_KIND = "dlq-kind";

    private static final String ORIGINAL = "workbookRelayOriginalRequest";
    private static final String ORIGIN_TOPIC = "workbookRelayOriginTopic";
    private static final String ORIGIN_PARTITION = "workbookRelayOriginPartition";
    private static final String ORIGIN_OFFSET = "workbookRelayOriginOffset";
    private static final String ORIGIN_KEY = "workbookRelayOriginKey";
    private static final String COMMIT = "workbookRelayOffsetCommit";

    private static final Logger LOG = LoggerFactory.getLogger(SyncTriggerRoute.class);

    @Override
    public void configure() {
        RelayBeans beans = RelayBeans.of(getContext());

        from("direct:scheduled-sync").routeId("scheduled-sync")
                .process(exchange -> {
                    Map<String, Object> params = new HashMap<>();
                    for (String name : SCHEDULE_PARAMETERS) {
                        params.put(name, exchange.getMessage().getHeader(name));
                    }
                    exchange.getMessage().getHeaders().clear();
                    SyncRequest request = beans.requests.fromSchedule(params);
                    exchange.setProperty(ORIGINAL, beans.requests.toMessage(request));
                    exchange.getMessage().setBody(request);
                })
                .to("direct:run-sync");

        from("direct:sync-request").routeId("sync-request")
                .doTry()
                    .process(exchange -> {
                        Message m = exchange.getMessage();
                        exchange.setProperty(ORIGIN_TOPIC, m.getHeader(KafkaConstants.TOPIC, beans.syncRequestsTopic,
                                String.class));
                        exchange.setProperty(ORIGIN_PARTITION, m.getHeader(KafkaConstants.PARTITION));
                        exchange.setProperty(ORIGIN_OFFSET, m.getHeader(KafkaConstants.OFFSET));
                        exchange.setProperty(ORIGIN_KEY, m.getHeader(KafkaConstants.KEY));
                        exchange.setProperty(COMMIT, m.getHeader(KafkaConstants.MANUAL_COMMIT));
                        byte[] message = m.getBody(byte[].class);
                        exchange.setProperty(ORIGINAL, message);
                        exchange.getMessage().setBody(beans.requests.fromMessage(message));
                    })
                    .to("direct:run-sync")
                .doCatch(InvalidSyncRequestException.class)
                    .process(exchange -> deadLetter(exchange, beans, "invalid-request",
                            exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class).getMessage()))
                    .to(EventPublishRoute.ENDPOINT)
                .end()
                .process(SyncTriggerRoute::commit);

        // the sync; if it failed (after its status event), its request goes to the dead-letter topic too
        from("direct:run-sync").routeId("run-sync")
                .to(SyncRoute.ENDPOINT)
                .filter(SyncTriggerRoute::failed)
                    .process(exchange -> deadLetter(exchange, beans, "sync-failed", failure(exchange)))
                    .to(EventPublishRoute.ENDPOINT)
                .end();
    }

    /** Handled (synced, or dead-lettered): only now does the consumer group move past this request. */
    private static void commit(Exchange exchange) {
        KafkaManualCommit commit = exchange.getProperty(COMMIT, KafkaManualCommit.class);
        if (commit != null) {
            commit.commit();
        }
    }

    private static boolean failed(Exchange exchange) {
        SyncRun run = exchange.getProperty(SyncRun.PROPERTY, SyncRun.class);
        return run != null && run.error() != null;
    }

    private static String failure(Exchange exchange) {
        return "sync failed: " + exchange.getProperty(SyncRun.PROPERTY, SyncRun.class).error().reason();
    }

    /**
     * The original bytes, unchanged (for a schedule, the request as a replayable message), with the reason and the
     * origin as headers. Kafka headers of the original record (topic, partition, offset, key) come from the
     * consumer; the sync's own headers were cleared on the way, so only those set here travel.
     */
    private static void deadLetter(Exchange exchange, RelayBeans beans, String kind, String reason) {
        Message m = exchange.getMessage();
        String topic = exchange.getProperty(ORIGIN_TOPIC, String.class);
        Object partition = exchange.getProperty(ORIGIN_PARTITION);
        Object offset = exchange.getProperty(ORIGIN_OFFSET);
        Object key = exchange.getProperty(ORIGIN_KEY);
        byte[] original = exchange.getProperty(ORIGINAL, byte[].class);
        if (original == null) {
            original = m.getBody(byte[].class);
        }
        String from = topic == null ? "schedule" : topic;
        LOG.warn("sync request {}-{}@{} dead-lettered ({}): {}", from, partition, offset, kind, reason);
        beans.metrics.deadLettered(kind);
        String id = topic == null ? "schedule-" + exchange.getExchangeId() : topic + "-" + partition + "-" + offset;
        Map<String, String> why = new LinkedHashMap<>();
        why.put(DEAD_LETTER_REASON, reason);
        why.put(DEAD_LETTER_KIND, kind);
        why.put(DEAD_LETTER_TOPIC, from);
        why.put(DEAD_LETTER_PARTITION, String.valueOf(partition));
        why.put(DEAD_LETTER_OFFSET, String.valueOf(offset));
        why.put("content-type", "application/octet-stream");
        CloudEvent event = new CloudEvent(beans.topics.deadLetter(), key == null ? null : key.toString(),
                EventIds.of("dead-letter", id + "-" + kind, original), "/workbook-relay/" + from,
                beans.workbookEvents.type(kind.equals("invalid-request") ? "sync-request.rejected"
                        : "sync-request.failed"), id, null, original == null ? new byte[0] : original, why);
        m.setBody(event);
    }
}

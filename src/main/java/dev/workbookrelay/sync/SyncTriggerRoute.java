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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the two triggers meet: a scheduled source ({@code direct:scheduled-sync}, from the route template in
 * routes/workbook-source.camel.yaml) and a message from the sync-requests topic ({@code direct:sync-request},
 * from routes/sync-requests.camel.yaml). Both become a {@link SyncRequest} for {@link SyncRoute}. A message that
 * is not a valid request goes to the dead-letter topic with the reason and its origin; the consumer moves on.
 */
public class SyncTriggerRoute extends RouteBuilder {

    /** Headers a scheduled source sets; they name the template parameters. */
    static final String[] SCHEDULE_PARAMETERS = {"source", "connectionId", "providerConfigKey", "drive", "folder",
        "start"};

    public static final String DEAD_LETTER_REASON = "dlq-reason";
    public static final String DEAD_LETTER_TOPIC = "dlq-topic";
    public static final String DEAD_LETTER_PARTITION = "dlq-partition";
    public static final String DEAD_LETTER_OFFSET = "dlq-offset";

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
                    exchange.getMessage().setBody(beans.requests.fromSchedule(params));
                })
                .to(SyncRoute.ENDPOINT);

        from("direct:sync-request").routeId("sync-request")
                .doTry()
                    .process(exchange -> {
                        byte[] message = exchange.getMessage().getBody(byte[].class);
                        exchange.getMessage().setBody(beans.requests.fromMessage(message));
                    })
                    .to(SyncRoute.ENDPOINT)
                .doCatch(InvalidSyncRequestException.class)
                    .process(exchange -> deadLetter(exchange, beans))
                    .to(EventPublishRoute.ENDPOINT)
                .end();
    }

    /** The original bytes, unchanged, with the reason and the origin as headers. */
    private static void deadLetter(Exchange exchange, RelayBeans beans) {
        Message m = exchange.getMessage();
        Exception reason = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String topic = m.getHeader(KafkaConstants.TOPIC, beans.syncRequestsTopic, String.class);
        Object partition = m.getHeader(KafkaConstants.PARTITION);
        Object offset = m.getHeader(KafkaConstants.OFFSET);
        Object key = m.getHeader(KafkaConstants.KEY);
        byte[] original = m.getBody(byte[].class);
        LOG.warn("sync request {}-{}@{} rejected: {}", topic, partition, offset, reason.getMessage());
        String id = topic + "-" + partition + "-" + offset;
        Map<String, String> why = new LinkedHashMap<>();
        why.put(DEAD_LETTER_REASON, reason.getMessage());
        why.put(DEAD_LETTER_TOPIC, topic);
        why.put(DEAD_LETTER_PARTITION, String.valueOf(partition));
        why.put(DEAD_LETTER_OFFSET, String.valueOf(offset));
        why.put("content-type", "application/octet-stream");
        CloudEvent event = new CloudEvent(beans.topics.deadLetter(), key == null ? null : key.toString(),
                EventIds.of("dead-letter", id, original), "/workbook-relay/" + topic,
                beans.workbookEvents.type("sync-request.rejected"), id, null,
                original == null ? new byte[0] : original, why);
        m.setBody(event);
    }
}

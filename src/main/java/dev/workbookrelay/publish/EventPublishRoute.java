package dev.workbookrelay.publish;

import dev.workbookrelay.RelayMetrics;
import dev.workbookrelay.RelaySettings;
import dev.workbookrelay.events.CloudEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.camel.BeanInject;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.support.DefaultMessage;

/**
 * Publishes {@link CloudEvent}s in Kafka binary mode: {@code ce_*} headers, JSON value, the event's key and
 * topic. {@code direct:publish-event} takes one event (statuses, dead letters); {@code direct:publish-events}
 * takes an {@link EventBatch}, sent together, acknowledged together, and given back as the body once acknowledged.
 * Either step completes only once the broker has acknowledged every record (acks=all), so a sync that has passed it
 * has its events stored.
 */
public class EventPublishRoute extends RouteBuilder {

    public static final String ENDPOINT = "direct:publish-event";
    public static final String BATCH_ENDPOINT = "direct:publish-events";

    /** The batch while its records are at Kafka (the message body is the records then). */
    private static final String SENDING = "workbookRelaySending";

    @BeanInject
    RelaySettings settings;
    @BeanInject
    RelayMetrics metrics;

    @Override
    public void configure() {
        // the topic in the URI is a default only: every event names its own through OVERRIDE_TOPIC. Asynchronous:
        // the sending thread is free once the records are handed to the producer, which batches them with other
        // workbooks'; the route goes on (state written) on camel-kafka's worker pool once all are acknowledged.
        // How far a sync may run ahead of the acks is bounded by workbook-relay.sync.max-in-flight.
        String kafka = "kafka:" + settings.topics().workbooks() + "?batchWithIndividualHeaders=true";

        from(ENDPOINT).routeId("publish-event")
                .process(EventPublishRoute::toRecord)
                .to(kafka)
                .process(this::acknowledged);

        from(BATCH_ENDPOINT).routeId("publish-events")
                .filter(exchange -> !exchange.getMessage().getBody(EventBatch.class).events().isEmpty())
                .process(EventPublishRoute::toRecords)
                .to(kafka)
                .process(this::acknowledged);
    }

    private static void toRecord(Exchange exchange) {
        CloudEvent event = exchange.getMessage().getBody(CloudEvent.class);
        exchange.setVariable(SENDING, EventBatch.of(List.of(event)));
        toRecord(event, exchange.getMessage());
    }

    private static void toRecords(Exchange exchange) {
        EventBatch batch = exchange.getMessage().getBody(EventBatch.class);
        List<Message> records = new ArrayList<>(batch.events().size());
        for (CloudEvent event : batch.events()) {
            Message record = new DefaultMessage(exchange);
            toRecord(event, record);
            records.add(record);
        }
        exchange.setVariable(SENDING, batch);
        exchange.getMessage().setBody(records);
    }

    static void toRecord(CloudEvent event, Message m) {
        m.getHeaders().clear(); // only the envelope travels to Kafka
        m.setHeader(KafkaConstants.OVERRIDE_TOPIC, event.topic());
        m.setHeader(KafkaConstants.KEY, event.key());
        m.setHeader("ce_specversion", CloudEvent.SPEC_VERSION);
        m.setHeader("ce_id", event.id());
        m.setHeader("ce_source", event.source());
        m.setHeader("ce_type", event.type());
        m.setHeader("ce_subject", event.subject());
        if (event.time() != null) {
            m.setHeader("ce_time", event.time());
        }
        if (!event.isTombstone()) {
            m.setHeader("content-type", CloudEvent.CONTENT_TYPE);
        }
        event.headers().forEach(m::setHeader);
        m.setBody(event.data());
    }

    /** Counts what Kafka acknowledged (by type; tombstones as "tombstone"), tells the batch, and gives it back. */
    private void acknowledged(Exchange exchange) {
        EventBatch batch = exchange.getVariable(SENDING, EventBatch.class);
        exchange.removeVariable(SENDING);
        Map<String, Integer> byType = new TreeMap<>();
        for (CloudEvent event : batch.events()) {
            byType.merge(event.isTombstone() ? "tombstone" : event.type(), 1, Integer::sum);
        }
        byType.forEach(metrics::eventsPublished);
        batch.acknowledged();
        exchange.getMessage().setBody(batch);
    }
}

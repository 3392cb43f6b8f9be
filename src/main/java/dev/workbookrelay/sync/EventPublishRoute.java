package dev.workbookrelay.sync;

import dev.workbookrelay.events.CloudEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.support.DefaultMessage;

/**
 * Publishes {@link CloudEvent}s in Kafka binary mode: {@code ce_*} headers, JSON value, the event's key and
 * topic. {@code direct:publish-event} takes one event (statuses, dead letters); {@code direct:publish-events}
 * takes a workbook's events as one batch, sent together and acknowledged together. Either step completes only
 * once the broker has acknowledged every record (acks=all), so a sync that has passed it has its events stored.
 */
public class EventPublishRoute extends RouteBuilder {

    static final String ENDPOINT = "direct:publish-event";
    static final String BATCH_ENDPOINT = "direct:publish-events";

    private static final String EVENTS = "workbookRelayEvents";

    @Override
    public void configure() {
        RelayBeans beans = RelayBeans.of(getContext());
        // the topic in the URI is a default only: every event names its own through OVERRIDE_TOPIC. Asynchronous:
        // the sending thread is free once the records are handed to the producer, which batches them with other
        // workbooks'; the route goes on (state written) on camel-kafka's worker pool once all are acknowledged.
        // How far a sync may run ahead of the acks is bounded by workbook-relay.sync.max-in-flight.
        String kafka = "kafka:" + beans.topics.workbooks() + "?batchWithIndividualHeaders=true";

        from(ENDPOINT).routeId("publish-event")
                .process(exchange -> {
                    CloudEvent event = exchange.getMessage().getBody(CloudEvent.class);
                    exchange.setProperty(EVENTS, List.of(event));
                    toRecord(event, exchange.getMessage());
                })
                .to(kafka)
                .process(exchange -> acknowledged(exchange, beans));

        from(BATCH_ENDPOINT).routeId("publish-events")
                .filter(exchange -> !exchange.getMessage().getBody(List.class).isEmpty())
                .process(exchange -> {
                    @SuppressWarnings("unchecked")
                    List<CloudEvent> events = exchange.getMessage().getBody(List.class);
                    List<Message> records = new ArrayList<>(events.size());
                    for (CloudEvent event : events) {
                        Message record = new DefaultMessage(exchange);
                        toRecord(event, record);
                        records.add(record);
                    }
                    exchange.setProperty(EVENTS, events);
                    exchange.getMessage().setBody(records);
                })
                .to(kafka)
                .process(exchange -> acknowledged(exchange, beans));
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

    /** Counts what Kafka acknowledged, on the sync run and in the metrics (by type; tombstones as "tombstone"). */
    private static void acknowledged(Exchange exchange, RelayBeans beans) {
        @SuppressWarnings("unchecked")
        List<CloudEvent> events = exchange.getProperty(EVENTS, List.class);
        exchange.removeProperty(EVENTS);
        SyncRun run = exchange.getProperty(SyncRun.PROPERTY, SyncRun.class);
        if (run != null) {
            run.eventsPublished(events.size());
        }
        Map<String, Integer> byType = new TreeMap<>();
        for (CloudEvent event : events) {
            byType.merge(event.isTombstone() ? "tombstone" : event.type(), 1, Integer::sum);
        }
        byType.forEach((type, count) -> beans.metrics.eventsPublished(type, count));
    }
}

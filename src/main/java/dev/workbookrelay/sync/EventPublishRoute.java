package dev.workbookrelay.sync;

import dev.workbookrelay.events.CloudEvent;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.kafka.KafkaConstants;

/**
 * Publishes a {@link CloudEvent} in Kafka binary mode: {@code ce_*} headers, JSON value, the event's key and
 * topic. The Kafka producer answers only once the broker has acknowledged (acks=all), so a sync that has
 * passed this step has its events stored.
 */
public class EventPublishRoute extends RouteBuilder {

    static final String ENDPOINT = "direct:publish-event";

    @Override
    public void configure() {
        RelayBeans beans = RelayBeans.of(getContext());
        from(ENDPOINT).routeId("publish-event")
                .process(EventPublishRoute::toRecord)
                // the topic in the URI is a default only: every event names its own through OVERRIDE_TOPIC
                .to("kafka:" + beans.topics.workbooks())
                .process(exchange -> {
                    SyncRun run = exchange.getProperty(SyncRun.PROPERTY, SyncRun.class);
                    if (run != null) {
                        run.eventPublished();
                    }
                });
    }

    static void toRecord(Exchange exchange) {
        Message m = exchange.getMessage();
        CloudEvent event = m.getBody(CloudEvent.class);
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
}

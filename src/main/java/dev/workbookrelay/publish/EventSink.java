package dev.workbookrelay.publish;

import dev.workbookrelay.events.CloudEvent;
import java.util.List;

/** Publishes events and returns once Kafka has acknowledged every one of them; throws if it did not. */
@FunctionalInterface
public interface EventSink {

    void publish(List<CloudEvent> events);
}

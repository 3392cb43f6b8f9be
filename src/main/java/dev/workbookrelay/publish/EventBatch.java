package dev.workbookrelay.publish;

import dev.workbookrelay.events.CloudEvent;
import java.util.List;

/**
 * Events published together, acknowledged together: a workbook's events, or one deletion. The publish route calls
 * {@link #acknowledged()} once Kafka has them all, so the publisher counts without knowing who publishes.
 */
public interface EventBatch {

    List<CloudEvent> events();

    /** Kafka acknowledged every event of the batch. */
    default void acknowledged() {
    }

    static EventBatch of(List<CloudEvent> events) {
        return () -> events;
    }
}

package dev.workbookrelay.trigger;

import dev.workbookrelay.events.DeadLetters;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;

/**
 * Where a sync request came from, kept beside it (exchange property {@link #PROPERTY}) while it is handled: the
 * message as it arrived, for a dead letter, and for a record of the sync-requests topic its position and the
 * commit that moves the consumer group past it once it is handled.
 */
public record RequestOrigin(DeadLetters.Origin origin, byte[] message, KafkaManualCommit commit) {

    public static final String PROPERTY = "workbookRelayRequestOrigin";

    /** Handled (synced, or dead-lettered): only now does the consumer group move past this request. */
    void handled() {
        if (commit != null) {
            commit.commit();
        }
    }
}

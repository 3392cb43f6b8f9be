package dev.workbookrelay.trigger;

import dev.workbookrelay.events.DeadLetters;

/**
 * Where a sync request came from, kept beside it while it is handled (exchange property {@link #PROPERTY}, and in
 * the queue): the record as it arrived, for a dead letter, and what to tell once it is handled (its sync done, or
 * its dead letter acknowledged) so that the consumer group may move past it.
 */
public record RequestOrigin(DeadLetters.Origin origin, byte[] message, RequestOffsets.Ticket ticket) {

    public static final String PROPERTY = "workbookRelayRequestOrigin";

    void handled() {
        if (ticket != null) {
            ticket.commit();
        }
    }

    /** Its partition went to another member, which syncs the request itself: this instance may drop it. */
    boolean abandoned() {
        return ticket != null && ticket.abandoned();
    }
}

package dev.workbookrelay.trigger;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** A partition's commit never passes a request still being worked on, however the requests finish. */
class HandledOffsetsTest {

    static final TopicPartition P0 = new TopicPartition("workbook-relay.sync-requests", 0);
    static final TopicPartition P1 = new TopicPartition("workbook-relay.sync-requests", 1);

    @Test
    void theCommitStopsAtTheFirstUnhandledRecordOfEachPartition() {
        HandledOffsets<String> offsets = new HandledOffsets<>();
        for (long o = 10; o <= 14; o++) {
            offsets.received(P0, o, "ticket-" + o);
        }
        offsets.received(P1, 3, "ticket-" + 3);

        offsets.handled(P0, 12); // a fast sync ends before the slow one of offset 10
        offsets.handled(P0, 11);
        assertEquals(Map.of(P0, 10L, P1, 3L), offsets.committable());
        offsets.committed(offsets.committable());
        assertEquals(Map.of(), offsets.committable(), "nothing moved");

        offsets.handled(P0, 10);
        assertEquals(Map.of(P0, 13L), offsets.committable(), "10, 11 and 12 are done: 13 next");
        offsets.handled(P0, 13);
        offsets.handled(P0, 14);
        offsets.handled(P1, 3);
        assertEquals(Map.of(P0, 15L, P1, 4L), offsets.committable(), "past the last received");
    }

    @Test
    void aRecordPolledAgainKeepsItsPlaceAndARevokedPartitionIsForgotten() {
        HandledOffsets<String> offsets = new HandledOffsets<>();
        offsets.received(P0, 5, "ticket-" + 5);
        offsets.received(P0, 6, "ticket-" + 6);
        offsets.handled(P0, 5);
        offsets.committed(offsets.committable());
        offsets.received(P0, 5, "ticket-" + 5); // re-polled after a reconnect: already committed
        offsets.received(P0, 6, "ticket-" + 6); // re-polled, still unhandled
        assertEquals(Map.of(), offsets.committable());
        assertEquals(1, offsets.unhandled());

        assertEquals(List.of("ticket-6"), offsets.forget(Set.of(P0)), "6 was not handled: its ticket is abandoned");
        offsets.handled(P0, 6); // the sync ends after the partition moved away
        assertEquals(Map.of(), offsets.committable(), "never committed for a partition no longer ours");
    }
}

package dev.workbookrelay.trigger;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.apache.camel.component.kafka.consumer.CommitManager;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;
import org.apache.camel.component.kafka.consumer.KafkaManualCommitFactory;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The offsets of the sync-requests topic, committed only once handled. As the endpoint's
 * {@code kafkaManualCommitFactory} it sees every record, on the consumer's thread and in order, before the route
 * does; the ticket it gives ({@code CamelKafkaManualCommit} header) marks the record handled, from any thread, when
 * its sync is done. Being none of camel-kafka's own factories, it makes camel-kafka commit nothing by itself
 * (its no-op commit manager): every commit is made here, on the consumer's thread, after a poll or before a
 * partition is revoked, and never past a record not yet handled.
 */
public final class RequestOffsets implements KafkaManualCommitFactory {

    private static final Logger LOG = LoggerFactory.getLogger(RequestOffsets.class);

    /**
     * A record's ticket (its {@code CamelKafkaManualCommit} header): {@link #commit()} marks it handled; it is
     * abandoned when its partition moves to another member, whose own copy of the record will be synced there.
     */
    public final class Ticket implements KafkaManualCommit {
        private final TopicPartition partition;
        private final long offset;
        private volatile boolean abandoned;

        Ticket(TopicPartition partition, long offset) {
            this.partition = partition;
            this.offset = offset;
        }

        @Override
        public void commit() {
            offsets.handled(partition, offset);
        }

        /** The record's partition went to another member: no need to sync it here any more. */
        public boolean abandoned() {
            return abandoned;
        }
    }

    private final HandledOffsets<Ticket> offsets = new HandledOffsets<>();

    @Override
    public KafkaManualCommit newInstance(CamelExchangePayload exchange, KafkaRecordPayload record,
            CommitManager ignored) {
        Ticket ticket = new Ticket(record.partition, record.recordOffset);
        offsets.received(record.partition, record.recordOffset, ticket);
        return ticket;
    }

    /** Commits what is handled, for the partitions the consumer still has. Consumer's thread only. */
    void commitHandled(Consumer<?, ?> consumer) {
        Map<TopicPartition, Long> ready = offsets.committable(consumer.assignment());
        if (ready.isEmpty()) {
            return;
        }
        consumer.commitAsync(toKafka(ready), (committed, failure) -> {
            if (failure == null) {
                offsets.committed(ready);
            } else {
                LOG.warn("committing sync-request offsets {} failed ({}); trying again after the next poll", ready,
                        failure.getMessage());
            }
        });
    }

    /**
     * Partitions about to move to another member: what is handled is committed now, while they are still ours;
     * records not handled yet go to the new owner and are synced again there (at least once).
     */
    void revoked(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        Map<TopicPartition, Long> ready = offsets.committable(consumer.assignment());
        ready.keySet().retainAll(partitions);
        if (!ready.isEmpty()) {
            try {
                consumer.commitSync(toKafka(ready), Duration.ofSeconds(10));
                offsets.committed(ready);
            } catch (RuntimeException e) {
                LOG.warn("committing sync-request offsets {} of revoked partitions failed: {}", ready,
                        e.getMessage());
            }
        }
        abandon(partitions);
    }

    /** Partitions taken away without a chance to commit (the member was presumed dead). */
    void lost(Collection<TopicPartition> partitions) {
        abandon(partitions);
    }

    private void abandon(Collection<TopicPartition> partitions) {
        offsets.forget(partitions).forEach(ticket -> ticket.abandoned = true);
    }

    /** Requests received and not yet handled. */
    int unhandled() {
        return offsets.unhandled();
    }

    private static Map<TopicPartition, OffsetAndMetadata> toKafka(Map<TopicPartition, Long> offsets) {
        Map<TopicPartition, OffsetAndMetadata> kafka = new HashMap<>();
        offsets.forEach((partition, offset) -> kafka.put(partition, new OffsetAndMetadata(offset)));
        return kafka;
    }
}

package dev.workbookrelay.trigger;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;

/**
 * Which records of each partition are handled, when they may finish in any order: the offset a consumer group may
 * commit is the first one not handled yet (or past the last received), so a commit never moves past a request
 * still being worked on. Thread-safe: records are received on the consumer's thread and handled on any.
 */
final class HandledOffsets<T> {

    private final class Partition {
        /** Offsets received and not handled, each with what stands for it (the record's ticket). */
        final TreeMap<Long, T> unhandled = new TreeMap<>();
        long nextToReceive = -1;
        long committed = -1;
    }

    private final Map<TopicPartition, Partition> partitions = new HashMap<>();

    /** A record given to the relay; a record received again (re-polled) takes its place. */
    synchronized void received(TopicPartition partition, long offset, T ticket) {
        Partition p = partitions.computeIfAbsent(partition, k -> new Partition());
        if (offset < p.committed) {
            return; // already committed: handled long ago
        }
        if (offset >= p.nextToReceive) {
            p.nextToReceive = offset + 1;
        }
        p.unhandled.put(offset, ticket);
    }

    synchronized void handled(TopicPartition partition, long offset) {
        Partition p = partitions.get(partition);
        if (p != null) {
            p.unhandled.remove(offset);
        }
    }

    /**
     * Per partition, the offset to commit now (the first unhandled, or one past the last received) where it moved
     * past what was last committed.
     */
    synchronized Map<TopicPartition, Long> committable() {
        Map<TopicPartition, Long> commit = new HashMap<>();
        partitions.forEach((key, p) -> {
            long safe = p.unhandled.isEmpty() ? p.nextToReceive : p.unhandled.firstKey();
            if (safe > p.committed) {
                commit.put(key, safe);
            }
        });
        return commit;
    }

    /** The group has these offsets now. */
    synchronized void committed(Map<TopicPartition, Long> offsets) {
        offsets.forEach((key, offset) -> {
            Partition p = partitions.get(key);
            if (p != null && offset > p.committed) {
                p.committed = offset;
            }
        });
    }

    /**
     * Forgets partitions no longer assigned: their records go to their new owner, uncommitted ones again. Returns
     * the tickets of their records not handled yet.
     */
    synchronized List<T> forget(Collection<TopicPartition> revoked) {
        List<T> unhandled = new ArrayList<>();
        for (TopicPartition partition : revoked) {
            Partition p = partitions.remove(partition);
            if (p != null) {
                unhandled.addAll(p.unhandled.values());
            }
        }
        return unhandled;
    }

    /** Of {@link #committable()}, the partitions still assigned (a commit for any other would fail). */
    synchronized Map<TopicPartition, Long> committable(Set<TopicPartition> assigned) {
        Map<TopicPartition, Long> commit = committable();
        commit.keySet().retainAll(assigned);
        return commit;
    }

    /** Records received and not handled, over all partitions. */
    synchronized int unhandled() {
        return partitions.values().stream().mapToInt(p -> p.unhandled.size()).sum();
    }
}

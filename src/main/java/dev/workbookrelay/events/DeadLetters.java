package dev.workbookrelay.events;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The dead-letter envelope: what could not be handled, as its original bytes, with why and where it came from as
 * record headers. A request that was never run is {@code sync-request.rejected}; a request whose sync failed is
 * {@code sync-request.failed} (for a schedule, the request as a replayable message).
 */
public final class DeadLetters {

    public static final String REASON = "dlq-reason";
    /** {@link Kind#INVALID_REQUEST} (never ran) or {@link Kind#SYNC_FAILED} (ran and failed, e.g. retries exhausted). */
    public static final String KIND = "dlq-kind";
    public static final String TOPIC = "dlq-topic";
    public static final String PARTITION = "dlq-partition";
    public static final String OFFSET = "dlq-offset";

    public enum Kind {
        INVALID_REQUEST("invalid-request", "sync-request.rejected"), SYNC_FAILED("sync-failed", "sync-request.failed");

        private final String label;
        private final String type;

        Kind(String label, String type) {
            this.label = label;
            this.type = type;
        }

        /** As the {@code dlq-kind} header and the metrics say it. */
        public String label() {
            return label;
        }
    }

    /**
     * Where a dead-lettered message came from: a record of a topic, or a schedule ({@code topic} null, named by the
     * request's id).
     */
    public record Origin(String topic, Object partition, Object offset, Object key, String scheduleRequestId) {

        public static Origin record(String topic, Object partition, Object offset, Object key) {
            return new Origin(topic, partition, offset, key, null);
        }

        public static Origin schedule(String requestId) {
            return new Origin(null, null, null, null, requestId);
        }

        /** The topic, or {@code schedule}. */
        public String from() {
            return topic == null ? "schedule" : topic;
        }

        /** {@code topic-partition-offset}, or {@code schedule-<requestId>}: unique per message. */
        String id() {
            return topic == null ? "schedule-" + scheduleRequestId : topic + "-" + partition + "-" + offset;
        }
    }

    private final EventTopics topics;
    private final String typePrefix;

    public DeadLetters(EventTopics topics, String typePrefix) {
        this.topics = topics;
        this.typePrefix = typePrefix;
    }

    public CloudEvent of(Kind kind, String reason, Origin origin, byte[] original) {
        Map<String, String> why = new LinkedHashMap<>();
        why.put(REASON, reason);
        why.put(KIND, kind.label);
        why.put(TOPIC, origin.from());
        why.put(PARTITION, String.valueOf(origin.partition()));
        why.put(OFFSET, String.valueOf(origin.offset()));
        why.put("content-type", "application/octet-stream");
        String id = origin.id();
        return new CloudEvent(topics.deadLetter(), origin.key() == null ? null : origin.key().toString(),
                EventIds.of("dead-letter", id + "-" + kind.label, original), "/workbook-relay/" + origin.from(),
                typePrefix + "." + kind.type, id, null, original == null ? new byte[0] : original, why);
    }
}

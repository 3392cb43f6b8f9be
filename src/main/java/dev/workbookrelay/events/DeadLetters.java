package dev.workbookrelay.events;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The dead-letter envelope: what could not be handled, as its original bytes, with why and where it came from as
 * record headers. A request that was never run is {@code sync-request.rejected}; a request whose sync failed is
 * {@code sync-request.failed}; a webhook that could not be read is {@code nango-webhook.rejected}.
 */
public final class DeadLetters {

    public static final String REASON = "dlq-reason";
    /** What was wrong: {@link Kind#label()}. */
    public static final String KIND = "dlq-kind";
    public static final String TOPIC = "dlq-topic";
    public static final String PARTITION = "dlq-partition";
    public static final String OFFSET = "dlq-offset";
    /** When the original was cut to {@link #MAX_BODY_BYTES}: its size and its SHA-256 (hex), to find it again. */
    public static final String ORIGINAL_BYTES = "dlq-original-bytes";
    public static final String ORIGINAL_SHA256 = "dlq-original-sha256";
    /**
     * The most of the original a dead letter carries: far below Kafka's default 1 MB limit of a record, so that a
     * huge message (up to what the broker accepts compressed) can always be dead-lettered, and the consumer go on.
     */
    public static final int MAX_BODY_BYTES = 64 * 1024;

    public enum Kind {
        INVALID_REQUEST("invalid-request", "sync-request.rejected"), SYNC_FAILED("sync-failed", "sync-request.failed"),
        INVALID_WEBHOOK("invalid-webhook", "nango-webhook.rejected");

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
     * Where a dead-lettered message came from: a record of a topic ({@code from} is the topic), or a message that
     * came another way, such as a webhook ({@code from} names the way). {@code id} is unique per message.
     */
    public record Origin(String from, Object partition, Object offset, Object key, String id) {

        public static Origin record(String topic, Object partition, Object offset, Object key) {
            return new Origin(topic, partition, offset, key, topic + "-" + partition + "-" + offset);
        }

        public static Origin received(String channel, String messageId) {
            return new Origin(channel, null, null, null, channel + "-" + messageId);
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
        byte[] body = original == null ? new byte[0] : original;
        if (body.length > MAX_BODY_BYTES) {
            why.put(ORIGINAL_BYTES, Integer.toString(body.length));
            why.put(ORIGINAL_SHA256, sha256(body));
            body = Arrays.copyOf(body, MAX_BODY_BYTES);
        }
        String id = origin.id();
        return new CloudEvent(topics.deadLetter(), origin.key() == null ? null : abbreviate(origin.key().toString()),
                EventIds.of("dead-letter", id + "-" + kind.label, original), "/workbook-relay/" + origin.from(),
                typePrefix + "." + kind.type, id, null, body, why);
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }

    /** A record key that is huge is cut too (it travels with the dead letter). */
    private static String abbreviate(String key) {
        return key.length() <= 1024 ? key : key.substring(0, 1024);
    }
}

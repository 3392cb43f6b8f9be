package dev.workbookrelay.events;


import java.util.Map;

/**
 * A CloudEvents 1.0 event bound for Kafka in binary mode: the attributes become {@code ce_*} headers, the JSON
 * data becomes the record value, {@code key} the record key. {@code data == null} is a tombstone.
 * {@code headers} are further record headers (the dead-letter reason and origin).
 */
public record CloudEvent(
        String topic,
        String key,
        String id,
        String source,
        String type,
        String subject,
        String time,
        byte[] data,
        Map<String, String> headers) {

    public CloudEvent(String topic, String key, String id, String source, String type, String subject, String time,
            byte[] data) {
        this(topic, key, id, source, type, subject, time, data, Map.of());
    }

    public static final String SPEC_VERSION = "1.0";
    public static final String CONTENT_TYPE = "application/json";

    public boolean isTombstone() {
        return data == null;
    }
}

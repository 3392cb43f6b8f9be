package dev.workbookrelay.sandbox;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads topics from their beginning, as a test would check what was published. Values stay bytes on the wire so a
 * tombstone arrives as {@code null}. Not thread-safe, like the consumer under it.
 *
 * <p>Records are handed out in arrival order and each exactly once: what one read receives beyond the count it
 * asked for is kept for the next read, so results do not depend on how the broker batches them.
 */
public final class TopicReader implements AutoCloseable {

    private static final Duration POLL = Duration.ofMillis(100);

    private final KafkaConsumer<String, byte[]> consumer;
    private final List<ConsumedEvent> received = new ArrayList<>();

    public TopicReader(String bootstrapServers, String... topics) {
        this(bootstrapServers, List.of(topics));
    }

    public TopicReader(String bootstrapServers, Collection<String> topics) {
        Properties config = consumerConfig(bootstrapServers, "topic-reader");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumer = new KafkaConsumer<>(config);
        consumer.subscribe(topics);
    }

    /** Returns as soon as {@code count} records arrived, or what arrived until {@code timeout}; the caller asserts. */
    public List<ConsumedEvent> readUntil(int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (received.size() < count && System.nanoTime() < deadline) {
            poll();
        }
        return take(Math.min(count, received.size()));
    }

    /** Reads until no record arrived for {@code quietFor}, or until {@code max} passed; returns all of it. */
    public List<ConsumedEvent> readQuiet(Duration quietFor, Duration max) {
        long now = System.nanoTime();
        long deadline = now + max.toNanos();
        long lastArrival = now;
        while (now < deadline && now - lastArrival < quietFor.toNanos()) {
            if (poll() > 0) {
                lastArrival = System.nanoTime();
            }
            now = System.nanoTime();
        }
        return take(received.size());
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(1));
    }

    private int poll() {
        int before = received.size();
        for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
            received.add(ConsumedEvent.of(record));
        }
        return received.size() - before;
    }

    private List<ConsumedEvent> take(int count) {
        List<ConsumedEvent> head = new ArrayList<>(received.subList(0, count));
        received.subList(0, count).clear();
        return head;
    }

    /**
     * A consumer of its own random group, committing nothing: every reader sees the topics whole. Topics are never
     * auto-created by reading, so a reader cannot decide a topic's partition count before the app does.
     */
    static Properties consumerConfig(String bootstrapServers, String role) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, role + "-" + UUID.randomUUID());
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, role + "-" + UUID.randomUUID().toString().substring(0, 8));
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        // a topic the app creates after the reader subscribed is noticed within half a second
        config.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, "500");
        // with nothing committed, an eager rebalance (a new topic appears) would reset positions and repeat records;
        // the cooperative assignor only ever adds partitions to this lone member
        config.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return config;
    }

    /**
     * One record as the relay's consumers would see it. {@code headers} are UTF-8 decoded, the last value of a
     * repeated header wins; {@code value} is UTF-8 text, {@code null} for a tombstone.
     */
    public record ConsumedEvent(String topic, int partition, long offset, String key, Map<String, String> headers,
            String value) {

        static ConsumedEvent of(ConsumerRecord<String, byte[]> record) {
            Map<String, String> headers = new LinkedHashMap<>();
            for (Header header : record.headers()) {
                headers.put(header.key(), utf8(header.value()));
            }
            return new ConsumedEvent(record.topic(), record.partition(), record.offset(), record.key(),
                    Collections.unmodifiableMap(headers), utf8(record.value()));
        }

        public String header(String name) {
            return headers.get(name);
        }

        public boolean isTombstone() {
            return value == null;
        }

        public String ceType() {
            return header("ce_type");
        }

        public String ceId() {
            return header("ce_id");
        }

        public String ceSubject() {
            return header("ce_subject");
        }

        private static String utf8(byte[] bytes) {
            return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
        }
    }
}

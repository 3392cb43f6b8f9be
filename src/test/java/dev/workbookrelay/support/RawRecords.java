package dev.workbookrelay.support;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads whole topics as raw bytes (keys, values and headers untouched, so random or non-UTF-8 payloads compare
 * byte for byte). Partitions are assigned directly, from the beginning, with no consumer group: no rebalance can
 * repeat or skip records. The topics must exist.
 */
public final class RawRecords implements AutoCloseable {

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<ConsumerRecord<byte[], byte[]>> received = new ArrayList<>();

    public RawRecords(String brokers, String... topics) {
        this(brokers, Arrays.asList(topics));
    }

    public RawRecords(String brokers, Collection<String> topics) {
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                ConsumerConfig.CLIENT_ID_CONFIG, "raw-records-" + UUID.randomUUID().toString().substring(0, 8),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(4 * 1024 * 1024)),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topics) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException("topic " + topic + " does not exist");
            }
            infos.forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Everything read so far, in arrival order (a copy). */
    public List<ConsumerRecord<byte[], byte[]>> all() {
        return List.copyOf(received);
    }

    /** Polls until {@code done} holds for everything read so far, or until {@code timeout}; returns all of it. */
    public List<ConsumerRecord<byte[], byte[]>> readUntil(Predicate<List<ConsumerRecord<byte[], byte[]>>> done,
            Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.test(received) && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(100)).forEach(received::add);
        }
        return all();
    }

    /** Polls until nothing new arrived for {@code quiet}, or until {@code max}; returns all of it. */
    public List<ConsumerRecord<byte[], byte[]>> readQuiet(Duration quiet, Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        long last = System.nanoTime();
        while (System.nanoTime() < deadline && System.nanoTime() - last < quiet.toNanos()) {
            int before = received.size();
            consumer.poll(Duration.ofMillis(100)).forEach(received::add);
            if (received.size() > before) {
                last = System.nanoTime();
            }
        }
        return all();
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(1));
    }

    /** The last value of header {@code name} as UTF-8, or null. */
    public static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    public static String utf8(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }
}

package dev.workbookrelay.sandbox;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workbookrelay.sandbox.TopicReader.ConsumedEvent;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * The sandbox's view of what the relay publishes: a daemon thread that prints one line per event as it lands,
 * e.g. {@code 12:01:03  workbooks    dev.workbookrelay.workbook.snapshot  contoso-alice/01BYE5RZ…  Finance/Budget.xlsx}.
 */
public final class EventConsole implements AutoCloseable {

    /** Where the console starts reading. */
    public enum From {
        /** Everything already in the topics, then what follows. */
        BEGINNING,
        /** Only what is published after the console started, including to topics created later. */
        NOW
    }

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int RAW_WIDTH = 100;

    private final KafkaConsumer<String, byte[]> consumer;
    private final PrintStream out;
    private final Thread thread;
    private volatile boolean closing;

    public EventConsole(String bootstrapServers, Collection<String> topics, From from, PrintStream out) {
        this.out = out;
        long startedAt = System.currentTimeMillis();
        Properties config = TopicReader.consumerConfig(bootstrapServers, "event-console");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, from == From.BEGINNING ? "earliest" : "latest");
        consumer = new KafkaConsumer<>(config);
        if (from == From.NOW) {
            consumer.subscribe(topics, new SeekToTime(consumer, startedAt));
        } else {
            consumer.subscribe(topics);
        }
        thread = new Thread(this::printUntilClosed, "event-console");
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops the thread within about a second, even while it waits for records. */
    @Override
    public void close() {
        closing = true;
        consumer.wakeup();
        try {
            thread.join(Duration.ofSeconds(5).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void printUntilClosed() {
        try {
            while (!closing) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofSeconds(1))) {
                    out.println(line(ConsumedEvent.of(record), LocalTime.now()));
                }
            }
        } catch (WakeupException e) {
            // close() asked us to stop
        } catch (RuntimeException e) {
            out.println("event console stopped: " + e);
        } finally {
            consumer.close(Duration.ofSeconds(1));
        }
    }

    /** {@code time  topic  type  key  summary}, padded so that consecutive lines align. */
    static String line(ConsumedEvent event, LocalTime landedAt) {
        return String.format("%s  %-11s  %-38s  %-24s  %s", CLOCK.format(landedAt), shortTopic(event.topic()),
                Objects.requireNonNullElse(event.ceType(), "-"), shortKey(event.key()), summary(event)).stripTrailing();
    }

    /** The part after the last dot: {@code workbook-relay.sync-status} reads as {@code sync-status}. */
    static String shortTopic(String topic) {
        return topic.substring(topic.lastIndexOf('.') + 1);
    }

    /** Keeps the connection id whole and shortens Graph's 34-character item ids, which are unreadable anyway. */
    static String shortKey(String key) {
        if (key == null) {
            return "-";
        }
        String[] parts = key.split("/", -1);
        for (int i = 1; i < parts.length; i++) {
            parts[i] = truncate(parts[i], 8);
        }
        return String.join("/", parts);
    }

    /** What the event says, read from its JSON data: the workbook or worksheet image, or the sync's outcome. */
    static String summary(ConsumedEvent event) {
        if (event.isTombstone()) {
            return "(tombstone)";
        }
        JsonNode data;
        try {
            data = JSON.readTree(event.value());
        } catch (IOException e) {
            return raw(event.value());
        }
        if (data == null || !data.isObject()) {
            return raw(event.value());
        }
        if (data.has("outcome")) {
            return syncStatus(data);
        }
        JsonNode after = data.path("after");
        JsonNode image = after.isObject() ? after : data.path("before");
        if (!image.isObject()) {
            return raw(event.value());
        }
        String described = image.has("position") ? worksheet(image) : workbook(image);
        return after.isObject() ? described : described + "  (deleted)";
    }

    private static String workbook(JsonNode image) {
        String folder = image.path("parentPath").asText("");
        String path = folder.replaceAll("^/+|/+$", "");
        return (path.isEmpty() ? "" : path + "/") + image.path("name").asText("?");
    }

    private static String worksheet(JsonNode image) {
        return String.format("%s  (position %s, %s)", image.path("name").asText("?"),
                image.path("position").asText("?"), image.path("visibility").asText("?"));
    }

    private static String syncStatus(JsonNode status) {
        String counts = String.format("%s  %s workbooks, %s worksheets, %s graph calls, %s ms",
                status.path("outcome").asText(), status.path("workbooks").asText("?"),
                status.path("worksheets").asText("?"), status.path("graphCalls").asText("?"),
                status.path("durationMs").asText("?"));
        JsonNode error = status.path("error");
        if (!error.isObject()) {
            return counts;
        }
        List<String> who = new ArrayList<>();
        for (String field : List.of("origin", "status", "code")) {
            if (error.hasNonNull(field)) {
                who.add(error.get(field).asText());
            }
        }
        return counts + "  error: " + String.join(" ", who) + ": " + error.path("reason").asText("");
    }

    private static String raw(String value) {
        return value.isBlank() ? "(empty)" : truncate(value.replaceAll("\\s+", " "), RAW_WIDTH);
    }

    private static String truncate(String text, int width) {
        return text.length() <= width ? text : text.substring(0, width) + "…";
    }

    /**
     * Positions each partition the first time it is assigned at the first record published after the console
     * started. The end offset is read before the time lookup, so a record that lands in between is not skipped.
     * (The consumer uses the cooperative assignor: a partition is assigned once and never handed back and forth.)
     */
    private record SeekToTime(KafkaConsumer<String, byte[]> consumer, long startedAt)
            implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            Map<TopicPartition, OffsetAndTimestamp> sinceStart = consumer.offsetsForTimes(partitions.stream()
                    .collect(Collectors.toMap(Function.identity(), partition -> startedAt)));
            for (TopicPartition partition : partitions) {
                OffsetAndTimestamp first = sinceStart.get(partition);
                consumer.seek(partition, first != null ? first.offset() : ends.get(partition));
            }
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        }
    }
}

package dev.workbookrelay;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import org.apache.camel.CamelContext;

/**
 * The relay's own Prometheus series, next to Camel's in {@code /observe/metrics}. Names follow Micrometer's
 * conventions and become {@code workbook_relay_*} in Prometheus text. Without a metrics registry (metrics
 * switched off) they are counted in a private registry that nobody scrapes.
 */
public final class RelayMetrics {

    private final CamelContext context;
    private volatile MeterRegistry registry;
    private final Map<String, AtomicLong> lastSuccess = new ConcurrentHashMap<>();

    public RelayMetrics(CamelContext context) {
        this.context = context;
    }

    /** A finished sync, by outcome (succeeded, failed). */
    public void syncFinished(String outcome) {
        counter("workbook.relay.syncs", "Syncs finished, by outcome", "outcome", outcome).increment();
    }

    /** Events acknowledged by Kafka, by CloudEvents type. */
    public void eventsPublished(String type, int count) {
        counter("workbook.relay.events", "Events acknowledged by Kafka, by CloudEvents type", "type", type)
                .increment(count);
    }

    /** One Graph call through Nango, by HTTP status ({@code io_error} when no status came back). */
    public void graphCall(String status) {
        counter("workbook.relay.graph.calls", "Graph calls through Nango, by response status", "status", status)
                .increment();
    }

    /** A failed Graph call that will be tried again, by the reason (status, code or I/O error). */
    public void graphRetry(String reason) {
        counter("workbook.relay.graph.retries", "Graph calls retried, by failure", "reason", reason).increment();
    }

    /** Time a Graph call waited before going out: Retry-After pauses or the per-connection request budget. */
    public void throttleWait(String cause, long millis) {
        if (millis > 0) {
            counter("workbook.relay.throttle.wait.seconds", "Seconds Graph calls waited on throttling, by cause",
                    "cause", cause).increment(millis / 1000.0);
        }
    }

    /** A message sent to the dead-letter topic, by what was wrong (invalid request, failed sync). */
    public void deadLettered(String kind) {
        counter("workbook.relay.dead.letters", "Messages sent to the dead-letter topic, by kind", "kind", kind)
                .increment();
    }

    /** A sync of the source (its state key) succeeded now: the source's last-success time, in epoch seconds. */
    public void sourceSucceeded(String sourceKey) {
        lastSuccess.computeIfAbsent(sourceKey, key -> {
            AtomicLong seconds = new AtomicLong();
            Gauge.builder("workbook.relay.source.last.success", seconds, AtomicLong::get)
                    .description("When a sync of the source last succeeded, in epoch seconds").baseUnit("seconds")
                    .tag("source_key", key).register(registry());
            return seconds;
        }).set(System.currentTimeMillis() / 1000);
    }

    /** The source is gone (its state removed): its series goes too. */
    public void sourceForgotten(String sourceKey) {
        if (lastSuccess.remove(sourceKey) != null) {
            registry().find("workbook.relay.source.last.success").tag("source_key", sourceKey).meters()
                    .forEach(registry()::remove);
        }
    }

    /** Gauges of the sync queue: syncs running, and sources with a sync waiting. */
    public void watch(IntSupplier running, IntSupplier waiting) {
        // strong references: Micrometer holds a gauge's object weakly, and nothing else holds these suppliers (a
        // collected one reads NaN)
        Gauge.builder("workbook.relay.syncs.running", running, IntSupplier::getAsInt).strongReference(true)
                .description("Syncs running in this instance").register(registry());
        Gauge.builder("workbook.relay.syncs.waiting", waiting, IntSupplier::getAsInt).strongReference(true)
                .description("Sources with a sync waiting, for a worker or for their lease").register(registry());
    }

    private Counter counter(String name, String description, String tag, String value) {
        return Counter.builder(name).description(description).tag(tag, value == null ? "unknown" : value)
                .register(registry());
    }

    private MeterRegistry registry() {
        MeterRegistry found = registry;
        if (found == null) {
            synchronized (this) {
                if (registry == null) {
                    MeterRegistry camels = context.getRegistry().findSingleByType(MeterRegistry.class);
                    registry = camels != null ? camels : new SimpleMeterRegistry();
                }
                found = registry;
            }
        }
        return found;
    }
}

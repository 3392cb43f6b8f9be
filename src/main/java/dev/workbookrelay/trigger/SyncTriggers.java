package dev.workbookrelay.trigger;

import dev.workbookrelay.Causes;
import dev.workbookrelay.RelayMetrics;
import dev.workbookrelay.events.CloudEvent;
import dev.workbookrelay.events.DeadLetters;
import dev.workbookrelay.sync.SyncRequest;
import dev.workbookrelay.sync.SyncRun;
import java.util.HashMap;
import java.util.Map;
import org.apache.camel.Body;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Headers;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;
import org.apache.camel.model.Model;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Java steps of {@link SyncTriggerRoute}: a sync request from a schedule's template parameters or from a
 * record of the sync-requests topic, its origin, and its dead letter when it cannot be read or its sync failed.
 */
public final class SyncTriggers {

    private static final Logger LOG = LoggerFactory.getLogger(SyncTriggers.class);

    private final SyncRequestParser parser;
    private final DeadLetters deadLetters;
    private final RelayMetrics metrics;
    private final String syncRequestsTopic;

    public SyncTriggers(SyncRequestParser parser, DeadLetters deadLetters, RelayMetrics metrics,
            String syncRequestsTopic) {
        this.parser = parser;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
        this.syncRequestsTopic = syncRequestsTopic;
    }

    /**
     * The request of the source whose schedule fired: the parameters of its route template (workbook-source), by
     * name, so a parameter added to the template needs no copying on the way.
     */
    public SyncRequest scheduled(Exchange tick) {
        CamelContext context = tick.getContext();
        Map<String, Object> parameters = new HashMap<>();
        context.getCamelContextExtension().getContextPlugin(Model.class).getRouteDefinition(tick.getFromRouteId())
                .getTemplateParameters().forEach((name, value) -> parameters.put(name, value instanceof String text
                        ? context.resolvePropertyPlaceholders(text) : value));
        return parser.fromSchedule(parameters);
    }

    /** A schedule's request as a replayable message: what its dead letter carries if the sync fails. */
    public RequestOrigin scheduledOrigin(@Body SyncRequest request) {
        return new RequestOrigin(DeadLetters.Origin.schedule(request.requestId()), parser.toMessage(request), null);
    }

    public RequestOrigin received(@Headers Map<String, Object> headers, @Body byte[] message) {
        Object topic = headers.get(KafkaConstants.TOPIC);
        return new RequestOrigin(DeadLetters.Origin.record(topic == null ? syncRequestsTopic : topic.toString(),
                headers.get(KafkaConstants.PARTITION), headers.get(KafkaConstants.OFFSET),
                headers.get(KafkaConstants.KEY)), message, (KafkaManualCommit) headers.get(KafkaConstants.MANUAL_COMMIT));
    }

    public SyncRequest parse(@Body byte[] message) {
        return parser.fromMessage(message);
    }

    public CloudEvent rejected(@ExchangeProperty(RequestOrigin.PROPERTY) RequestOrigin origin,
            @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Exception caught) {
        return deadLetter(DeadLetters.Kind.INVALID_REQUEST,
                Causes.find(caught, InvalidSyncRequestException.class).getMessage(), origin);
    }

    public boolean failed(@ExchangeProperty(SyncRun.PROPERTY) SyncRun run) {
        return run != null && run.error() != null;
    }

    public CloudEvent syncFailed(@ExchangeProperty(RequestOrigin.PROPERTY) RequestOrigin origin,
            @ExchangeProperty(SyncRun.PROPERTY) SyncRun run) {
        return deadLetter(DeadLetters.Kind.SYNC_FAILED, "sync failed: " + run.error().reason(), origin);
    }

    public void handled(@ExchangeProperty(RequestOrigin.PROPERTY) RequestOrigin origin) {
        origin.handled();
    }

    private CloudEvent deadLetter(DeadLetters.Kind kind, String reason, RequestOrigin request) {
        DeadLetters.Origin origin = request.origin();
        LOG.warn("sync request {}-{}@{} dead-lettered ({}): {}", origin.from(), origin.partition(), origin.offset(),
                kind.label(), reason);
        metrics.deadLettered(kind.label());
        return deadLetters.of(kind, reason, origin, request.message());
    }
}

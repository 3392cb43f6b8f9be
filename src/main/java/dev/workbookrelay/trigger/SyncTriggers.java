package dev.workbookrelay.trigger;

import dev.workbookrelay.Causes;
import dev.workbookrelay.RelayMetrics;
import dev.workbookrelay.events.CloudEvent;
import dev.workbookrelay.events.DeadLetters;
import dev.workbookrelay.sync.SyncRequest;
import dev.workbookrelay.sync.SyncRun;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.apache.camel.Body;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Headers;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
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
    private final SourceRegistry sources;

    public SyncTriggers(SyncRequestParser parser, DeadLetters deadLetters, RelayMetrics metrics,
            String syncRequestsTopic, SourceRegistry sources) {
        this.parser = parser;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
        this.syncRequestsTopic = syncRequestsTopic;
        this.sources = sources;
    }

    /**
     * The request of the source whose schedule fired: the parameters of its route template (workbook-source), by
     * name, so a parameter added to the template needs no copying on the way.
     */
    public SyncRequest scheduled(Exchange tick) {
        Map<String, Object> parameters = TemplateParameters.of(tick.getContext(), tick.getFromRouteId());
        parameters.put("requestId", tickId(tick, String.valueOf(parameters.get("source"))));
        return parser.fromSchedule(parameters);
    }

    /**
     * A scheduled request's id: the source and the tick's scheduled time, the same whichever instance fired it, so
     * the status events tell each tick of each source apart.
     */
    static String tickId(Exchange tick, String source) {
        Date scheduled = tick.getMessage().getHeader("scheduledFireTime", Date.class);
        return "schedule:" + source + "@" + (scheduled == null ? Instant.now() : scheduled.toInstant())
                .truncatedTo(ChronoUnit.SECONDS);
    }

    /**
     * The request as a record of the sync-requests topic, keyed by its source: the consumer group (every instance)
     * shares the work, and a source's requests stay on one partition.
     */
    public byte[] toRecord(@Body SyncRequest request, Message message) {
        message.getHeaders().clear(); // nothing of what fired it travels into the record's headers
        message.setHeader(KafkaConstants.KEY, request.stateKey());
        return parser.toMessage(request);
    }

    /**
     * A record of the sync-requests topic, now being handled; its ticket ({@link RequestOffsets}) lets its offset be
     * committed once it is.
     */
    public RequestOrigin received(@Headers Map<String, Object> headers, @Body byte[] message) {
        Object topic = headers.get(KafkaConstants.TOPIC);
        return new RequestOrigin(DeadLetters.Origin.record(topic == null ? syncRequestsTopic : topic.toString(),
                headers.get(KafkaConstants.PARTITION), headers.get(KafkaConstants.OFFSET),
                headers.get(KafkaConstants.KEY)), message,
                (RequestOffsets.Ticket) headers.get(KafkaConstants.MANUAL_COMMIT));
    }

    /** The request a record asks for, admitted for a source the relay serves ({@link SourceRegistry}). */
    public SyncRequest parse(@Body byte[] message, CamelContext context) {
        return sources.admit(context, parser.fromMessage(message));
    }

    public CloudEvent rejected(@ExchangeProperty(RequestOrigin.PROPERTY) RequestOrigin origin,
            @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Exception caught) {
        return deadLetter(DeadLetters.Kind.INVALID_REQUEST,
                Causes.find(caught, InvalidSyncRequestException.class).getMessage(), origin);
    }

    public boolean failed(@ExchangeProperty(SyncRun.PROPERTY) SyncRun run) {
        return run != null && run.error() != null;
    }

    /** A failed sync's dead letters: one per request it stood for (merged requests too), none left out. */
    public List<CloudEvent> syncFailed(@ExchangeProperty(SyncRunner.ORIGINS) List<RequestOrigin> origins,
            @ExchangeProperty(SyncRun.PROPERTY) SyncRun run) {
        return origins.stream().map(origin -> deadLetter(DeadLetters.Kind.SYNC_FAILED, "sync failed: "
                + run.error().reason(), origin)).toList();
    }

    public void handled(@ExchangeProperty(RequestOrigin.PROPERTY) RequestOrigin origin) {
        origin.handled();
    }

    public void allHandled(@ExchangeProperty(SyncRunner.ORIGINS) List<RequestOrigin> origins) {
        origins.forEach(RequestOrigin::handled);
    }

    private CloudEvent deadLetter(DeadLetters.Kind kind, String reason, RequestOrigin request) {
        DeadLetters.Origin origin = request.origin();
        LOG.warn("sync request {}-{}@{} dead-lettered ({}): {}", origin.from(), origin.partition(), origin.offset(),
                kind.label(), reason);
        metrics.deadLettered(kind.label());
        return deadLetters.of(kind, reason, origin, request.message());
    }
}

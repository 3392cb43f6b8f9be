package dev.workbookrelay.trigger;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workbookrelay.RelayMetrics;
import dev.workbookrelay.events.CloudEvent;
import dev.workbookrelay.events.ConnectionEvents;
import dev.workbookrelay.events.DeadLetters;
import dev.workbookrelay.nango.NangoWebhook;
import dev.workbookrelay.nango.WebhookSignature;
import dev.workbookrelay.sync.SyncRequest;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.camel.Body;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Java steps of Nango's webhooks ({@code nango-webhook} route): only a body signed with the environment's
 * webhook signing key is read; a connection created or authorised again is synced at once, a failed token refresh
 * is told on the status topic. Anything else Nango sends is accepted and left alone.
 */
public final class NangoWebhooks {

    /** Exchange property: the webhook being handled. */
    static final String WEBHOOK = "workbookRelayWebhook";

    private static final Logger LOG = LoggerFactory.getLogger(NangoWebhooks.class);

    /** Refused before it was read: no signing key set, or the signature missing or wrong. */
    static final class RefusedException extends RuntimeException {
        RefusedException(String reason) {
            super(reason);
        }
    }

    /** Signed, but not a webhook that can be read: dead-lettered. */
    static final class UnreadableException extends RuntimeException {
        UnreadableException(String reason) {
            super(reason);
        }
    }

    private final WebhookSignature signature;
    private final ObjectMapper json;
    private final NangoIntegrations integrations;
    private final ConnectionEvents connectionEvents;
    private final DeadLetters deadLetters;
    private final RelayMetrics metrics;

    /** {@code signature} is null when no signing key is set: then every webhook is refused. */
    public NangoWebhooks(WebhookSignature signature, ObjectMapper json, NangoIntegrations integrations,
            ConnectionEvents connectionEvents, DeadLetters deadLetters, RelayMetrics metrics) {
        this.signature = signature;
        this.json = json;
        this.integrations = integrations;
        this.connectionEvents = connectionEvents;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
    }

    /** Reads a signed webhook; {@link RefusedException} when the signature is missing or wrong. */
    public NangoWebhook read(@Body byte[] body, @Header(WebhookSignature.HEADER) String signed) {
        if (signature == null) {
            throw new RefusedException("webhooks are not accepted: workbook-relay.nango.webhook-signing-key is not"
                    + " set");
        }
        if (!signature.matches(body == null ? new byte[0] : body, signed)) {
            throw new RefusedException(signed == null ? "no " + WebhookSignature.HEADER + " header"
                    : "the " + WebhookSignature.HEADER + " signature does not match the body");
        }
        try {
            return NangoWebhook.read(json, body);
        } catch (IllegalArgumentException e) {
            throw new UnreadableException(e.getMessage());
        }
    }

    /** The syncs the webhook asks for: a new or re-authorised connection's, in every source of its integration. */
    public List<SyncRequest> syncs(@ExchangeProperty(WEBHOOK) NangoWebhook webhook, CamelContext context) {
        if (!webhook.connectionReady()) {
            return List.of();
        }
        List<SyncRequest> requests = integrations.announced(context, webhook.providerConfigKey(),
                webhook.connectionId());
        LOG.info("Nango webhook: connection {} of {} {}: {} syncs asked", webhook.connectionId(),
                webhook.providerConfigKey(), webhook.operation(), requests.size());
        return requests;
    }

    /** The status-topic events the webhook tells: a connection whose token refresh failed. */
    public List<CloudEvent> events(@ExchangeProperty(WEBHOOK) NangoWebhook webhook) {
        if (!webhook.refreshFailed()) {
            return List.of();
        }
        LOG.warn("Nango webhook: the token of connection {} of {} can no longer be refreshed ({}: {})",
                webhook.connectionId(), webhook.providerConfigKey(), webhook.errorType(), webhook.errorDescription());
        return List.of(connectionEvents.refreshFailed(webhook.providerConfigKey(), webhook.connectionId(),
                webhook.environment(), webhook.errorType(), webhook.errorDescription(), Instant.now().toString()));
    }

    /** A signed webhook that could not be read, kept whole in the dead-letter topic. */
    public CloudEvent unreadable(@Body byte[] body, @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Exception caught) {
        String reason = "unreadable Nango webhook: " + caught.getMessage();
        LOG.warn("{}", reason);
        metrics.deadLettered(DeadLetters.Kind.INVALID_WEBHOOK.label());
        return deadLetters.of(DeadLetters.Kind.INVALID_WEBHOOK, reason, DeadLetters.Origin.received("nango-webhook",
                UUID.randomUUID().toString()), body);
    }
}

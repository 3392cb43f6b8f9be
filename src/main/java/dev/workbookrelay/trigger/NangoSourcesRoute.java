package dev.workbookrelay.trigger;

import dev.workbookrelay.publish.EventPublishRoute;
import org.apache.camel.BeanInject;
import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;

/**
 * Sources that come from Nango itself. An integration source's tick ({@code direct:integration-tick}, from the
 * template in routes/nango-integration.camel.yaml) lists the integration's connections and publishes a sync request
 * for each live one; Nango's auth webhooks ({@code direct:nango-webhook}, from routes/nango-webhooks.camel.yaml)
 * ask for a new connection's first sync at once and tell of failed token refreshes on the status topic. A webhook
 * without a valid signature is answered 401 and changes nothing; a signed one that cannot be read is answered 400
 * and dead-lettered.
 */
public class NangoSourcesRoute extends RouteBuilder {

    private static final String SYNC_REQUESTS = "kafka:{{workbook-relay.topics.sync-requests}}";

    @BeanInject
    NangoIntegrations integrations;
    @BeanInject
    NangoWebhooks webhooks;
    @BeanInject
    SyncTriggers triggers;

    @Override
    public void configure() {
        from("direct:integration-tick").routeId("integration-tick")
                .split(method(integrations, "tick")).streaming().stopOnException()
                    .setBody(method(triggers, "toRecord"))
                    .to(SYNC_REQUESTS)
                .end();

        from("direct:nango-webhook").routeId("nango-webhook")
                .doTry()
                    .setProperty(NangoWebhooks.WEBHOOK, method(webhooks, "read"))
                    .split(method(webhooks, "syncs")).stopOnException()
                        .setBody(method(triggers, "toRecord"))
                        .to(SYNC_REQUESTS)
                    .end()
                    .split(method(webhooks, "events")).stopOnException()
                        .to(EventPublishRoute.ENDPOINT)
                    .end()
                    .setVariable("answer", constant(200))
                .endDoTry()
                .doCatch(NangoWebhooks.RefusedException.class)
                    .log(LoggingLevel.WARN, "Nango webhook refused: ${exception.message}")
                    .setVariable("answer", constant(401))
                .doCatch(NangoWebhooks.UnreadableException.class)
                    .setBody(method(webhooks, "unreadable"))
                    .to(EventPublishRoute.ENDPOINT)
                    .setVariable("answer", constant(400))
                .end()
                .removeHeaders("*")
                .setHeader(Exchange.HTTP_RESPONSE_CODE, variable("answer"))
                .setHeader(Exchange.CONTENT_TYPE, constant("application/json"))
                .setBody(simple("{\"status\":${variable.answer}}"));
    }
}

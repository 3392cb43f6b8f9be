package dev.workbookrelay.graphcall;

import dev.workbookrelay.RelaySettings;
import dev.workbookrelay.nango.GraphCallException;
import dev.workbookrelay.nango.NangoProxyEndpoint;
import java.io.IOException;
import org.apache.camel.BeanInject;
import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;

/**
 * One Graph call (a GET, a download, or a POST of Excel's session actions) through the Nango proxy: paced per
 * connection, retried on purpose ({@link GraphRetryPolicy}), carrying Nango's headers and nothing else of ours. Its input is a {@link GraphRequest} (exchange property); the
 * response comes back parsed, or as a {@code GraphCallException} that says who refused and why. It knows nothing
 * of syncs: a caller learns of each attempt through the request's {@link GraphCallObserver}.
 */
public class GraphCallRoute extends RouteBuilder {

    public static final String ENDPOINT = "direct:graph-get";
    static final String NANGO_API_ENDPOINT = "direct:nango-api-get";

    @BeanInject
    RelaySettings settings;
    @BeanInject
    NangoProxyEndpoint nango;
    @BeanInject
    GraphRetryPolicy retries;
    @BeanInject
    ProxyCallSteps call;

    @Override
    public void configure() {
        RelaySettings.Graph graph = settings.graph();

        from(ENDPOINT).routeId("graph-get")
                // the retry loop: Camel waits (exponential backoff with jitter, or the Retry-After the policy read)
                // and sends the attempt again; exhausted failures go back to the caller, logged by the policy
                .onException(GraphCallException.class, IOException.class)
                    .retryWhile(retries)
                    .useExponentialBackOff().backOffMultiplier(2)
                    .redeliveryDelay(graph.retry().initialDelay().toMillis())
                    .maximumRedeliveryDelay(graph.retry().maxDelay().toMillis())
                    .useCollisionAvoidance()
                    .logRetryAttempted(false).logExhausted(false).logStackTrace(false)
                .end()
                .to("direct:graph-attempt");

        from("direct:graph-attempt").routeId("graph-attempt")
                // no stream caching here: it would copy a download's raw stream into memory before saveDownload
                // (Camel caches without spooling); JSON answers are cached by camel-http itself
                .streamCache("false")
                .errorHandler(noErrorHandler())
                .bean(call, "awaitTurn")
                // the per-connection request budget (Excel: 1500 requests per 10 s per app per tenant)
                .throttle(constant(graph.budgetRequests())).totalRequestsMode()
                    .timePeriodMillis(graph.budgetPeriod().toMillis())
                    .correlationExpression(GraphRequest.CONNECTION_KEY)
                .bean(call, "passedBudget")
                .bean(call, "prepare")
                .doTry()
                    // the method fixed on each endpoint: a method header would be converted to camel-http's enum on
                    // every call
                    .choice()
                        .when(ProxyCallSteps::isPost)
                            .to(nango.baseUrl() + "?httpMethod=POST&throwExceptionOnFailure=false")
                        .when(ProxyCallSteps::isDownload)
                            // the raw stream, saved to disk within the call's deadline (closed when the call ends)
                            .to(nango.baseUrl() + "?httpMethod=GET&throwExceptionOnFailure=false"
                                    + "&disableStreamCache=true")
                            .bean(call, "saveDownload")
                        .otherwise()
                            .to(nango.baseUrl() + "?httpMethod=GET&throwExceptionOnFailure=false")
                    .end()
                .endDoTry()
                .doCatch(IOException.class)
                    .bean(call, "failedOnTheWire")
                .doFinally()
                    .bean(call, "sent")
                .end()
                .bean(call, "read");

        // Nango's own API (listing an integration's connections): a few retries with backoff on Nango's 429, 5xx
        // and I/O errors; anything else is an answer
        from(NANGO_API_ENDPOINT).routeId("nango-api-get")
                .onException(GraphCallException.class, IOException.class)
                    .onWhen(exchange -> GraphRetryPolicy.isTransient(exchange.getException() != null
                            ? exchange.getException() : exchange.getProperty(Exchange.EXCEPTION_CAUGHT,
                                    Exception.class)))
                    .maximumRedeliveries(graph.retry().maxAttempts() - 1)
                    .useExponentialBackOff().backOffMultiplier(2)
                    .redeliveryDelay(graph.retry().initialDelay().toMillis())
                    .maximumRedeliveryDelay(graph.retry().maxDelay().toMillis())
                    .logRetryAttempted(true).retryAttemptedLogLevel(LoggingLevel.INFO)
                    .logExhausted(false).logStackTrace(false)
                .end()
                .bean(call, "prepareApiCall")
                .to(nango.baseUrl() + "?httpMethod=GET&throwExceptionOnFailure=false")
                .bean(call, "readApiAnswer");
    }
}

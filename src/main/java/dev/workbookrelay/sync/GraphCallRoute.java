package dev.workbookrelay.sync;

import com.fasterxml.jackson.databind.JsonNode;
import dev.workbookrelay.nango.GraphCallException;
import dev.workbookrelay.nango.NangoProxyEndpoint;
import dev.workbookrelay.nango.NangoProxyException;
import java.io.IOException;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;

/**
 * One Graph GET through the Nango proxy: paced per connection, retried on purpose ({@link GraphRetryPolicy}),
 * carrying Nango's headers and nothing else of ours. The response comes back parsed, or as a
 * {@code GraphCallException} that says who refused and why.
 */
public class GraphCallRoute extends RouteBuilder {

    static final String ENDPOINT = "direct:graph-get";

    private static final String BUDGET_ENTERED_AT = "workbookRelayBudgetEnteredAt";
    private static final String CONNECTION = "workbookRelayConnection";

    @Override
    public void configure() {
        RelayBeans beans = RelayBeans.of(getContext());
        NangoProxyEndpoint nango = beans.nango;
        GraphCallSettings settings = beans.graphCalls;

        from(ENDPOINT).routeId("graph-get")
                // the retry loop: Camel waits (exponential backoff with jitter, or the Retry-After the policy read)
                // and sends the attempt again; exhausted failures go back to the caller, logged by the policy
                .onException(GraphCallException.class, IOException.class)
                    .retryWhile(beans.retries::shouldRetry)
                    .useExponentialBackOff().backOffMultiplier(2)
                    .redeliveryDelay(settings.initialDelayMillis()).maximumRedeliveryDelay(settings.maxDelayMillis())
                    .useCollisionAvoidance()
                    .logRetryAttempted(false).logExhausted(false).logStackTrace(false)
                .end()
                .process(exchange -> exchange.setProperty(GraphRetryPolicy.FIRST_ATTEMPT_AT,
                        System.currentTimeMillis()))
                .to("direct:graph-attempt");

        from("direct:graph-attempt").routeId("graph-attempt")
                .errorHandler(noErrorHandler())
                .process(exchange -> {
                    beans.nangoAuthentication.beforeCall();
                    String connection = GraphRetryPolicy.connection(exchange);
                    exchange.setProperty(CONNECTION, connection);
                    beans.metrics.throttleWait("retry-after", beans.pauses.awaitClear(connection));
                    exchange.setProperty(BUDGET_ENTERED_AT, System.currentTimeMillis());
                })
                // the per-connection request budget (Excel: 1500 requests per 10 s per app per tenant)
                .throttle(constant(settings.budgetRequests())).totalRequestsMode()
                    .timePeriodMillis(settings.budgetPeriodMillis())
                    .correlationExpression(exchangeProperty(CONNECTION))
                .process(exchange -> beans.metrics.throttleWait("budget", System.currentTimeMillis()
                        - exchange.getProperty(BUDGET_ENTERED_AT, Long.class)))
                .process(exchange -> prepare(exchange, nango))
                // GET fixed on the endpoint: a method header would be converted to camel-http's enum on every call
                .to(nango.baseUrl() + "?httpMethod=GET&throwExceptionOnFailure=false")
                .process(exchange -> read(exchange, beans));
    }

    private static void prepare(Exchange exchange, NangoProxyEndpoint nango) {
        SyncRun run = exchange.getProperty(SyncRun.PROPERTY, SyncRun.class);
        run.graphCalled(); // every attempt that goes out, as Graph (and its throttling) counts them
        Message in = exchange.getMessage();
        in.getHeaders().clear();
        in.setBody(null);
        for (Map.Entry<String, String> h : nango.headers(run.request().connection()).entrySet()) {
            in.setHeader(h.getKey(), h.getValue());
        }
        in.setHeader(NangoProxyEndpoint.forGraph("Accept"), "application/json");
        // Microsoft deprioritises undecorated traffic (sp-dev-docs throttling guidance)
        in.setHeader(NangoProxyEndpoint.forGraph("User-Agent"), "NONISV|workbook-relay|workbook-relay/0.1");
        in.setHeader(Exchange.HTTP_URI, nango.url(exchange.getProperty(CamelGraphGet.GRAPH_PATH, String.class)));
    }

    private static void read(Exchange exchange, RelayBeans beans) {
        Message out = exchange.getMessage();
        int status = out.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        byte[] body = out.getBody(byte[].class);
        Map<String, Object> headers = Map.copyOf(out.getHeaders());
        out.getHeaders().clear(); // the request headers (the secret among them) must not travel further
        beans.metrics.graphCall(Integer.toString(status));
        try {
            JsonNode json = beans.responses.read(status, body == null ? new byte[0] : body,
                    name -> header(headers, name));
            beans.nangoAuthentication.accepted();
            out.setBody(json);
        } catch (NangoProxyException e) {
            if (e.isAuthenticationFailure()) {
                beans.nangoAuthentication.refused(e);
            }
            throw e;
        } catch (GraphCallException e) {
            beans.nangoAuthentication.accepted(); // Graph answered: Nango took the key
            throw e;
        }
    }

    private static String header(Map<String, Object> headers, String name) {
        for (Map.Entry<String, Object> h : headers.entrySet()) {
            if (h.getKey().equalsIgnoreCase(name) && h.getValue() != null) {
                return h.getValue().toString();
            }
        }
        return null;
    }
}

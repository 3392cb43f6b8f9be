package dev.workbookrelay.graphcall;

import com.fasterxml.jackson.databind.JsonNode;
import dev.workbookrelay.RelayMetrics;
import dev.workbookrelay.nango.GraphCallException;
import dev.workbookrelay.nango.NangoProxyEndpoint;
import dev.workbookrelay.nango.NangoProxyException;
import dev.workbookrelay.nango.ProxyResponses;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Message;

/**
 * The Java steps of one attempt of a Graph call ({@code graph-attempt} route): wait while the connection is paused
 * or Nango refuses the key, build the proxied request, and read the answer into JSON or the exception that says
 * who refused.
 */
public final class ProxyCallSteps {

    private final NangoProxyEndpoint nango;
    private final ProxyResponses responses;
    private final NangoAuthentication authentication;
    private final ConnectionPauses pauses;
    private final RelayMetrics metrics;

    public ProxyCallSteps(NangoProxyEndpoint nango, ProxyResponses responses, NangoAuthentication authentication,
            ConnectionPauses pauses, RelayMetrics metrics) {
        this.nango = nango;
        this.responses = responses;
        this.authentication = authentication;
        this.pauses = pauses;
        this.metrics = metrics;
    }

    /** Fails fast while Nango refuses the key; waits out the connection's pause; then enters the budget. */
    public void awaitTurn(@ExchangeProperty(GraphRequest.PROPERTY) GraphRequest request) throws InterruptedException {
        authentication.beforeCall();
        metrics.throttleWait("retry-after", pauses.awaitClear(request.connectionKey()));
        request.budgetEntered();
    }

    public void passedBudget(@ExchangeProperty(GraphRequest.PROPERTY) GraphRequest request) {
        metrics.throttleWait("budget", System.currentTimeMillis() - request.budgetEnteredAt());
    }

    /** The proxied request: Nango's headers, Graph's headers as {@code Nango-Proxy-*}, nothing else of ours. */
    public void prepare(@ExchangeProperty(GraphRequest.PROPERTY) GraphRequest request, Message message) {
        request.observer().attempted(); // every attempt that goes out, as Graph (and its throttling) counts them
        message.getHeaders().clear();
        message.setBody(null);
        for (Map.Entry<String, String> h : nango.headers(request.connection()).entrySet()) {
            message.setHeader(h.getKey(), h.getValue());
        }
        message.setHeader(NangoProxyEndpoint.forGraph("Accept"), "application/json");
        // Microsoft deprioritises undecorated traffic (sp-dev-docs throttling guidance)
        message.setHeader(NangoProxyEndpoint.forGraph("User-Agent"), "NONISV|workbook-relay|workbook-relay/0.1");
        message.setHeader(Exchange.HTTP_URI, nango.url(request.pathOrLink()));
    }

    /** The answer as JSON, or the {@link GraphCallException} that says who refused and why. */
    public JsonNode read(Message message) {
        int status = message.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        byte[] body = message.getBody(byte[].class);
        Map<String, Object> headers = Map.copyOf(message.getHeaders());
        message.getHeaders().clear(); // the request headers (the secret among them) must not travel further
        metrics.graphCall(Integer.toString(status));
        try {
            JsonNode json = responses.read(status, body == null ? new byte[0] : body, name -> header(headers, name));
            authentication.accepted();
            return json;
        } catch (NangoProxyException e) {
            if (e.isAuthenticationFailure()) {
                authentication.refused(e);
            }
            throw e;
        } catch (GraphCallException e) {
            authentication.accepted(); // Graph answered: Nango took the key
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

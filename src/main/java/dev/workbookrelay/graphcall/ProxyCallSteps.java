package dev.workbookrelay.graphcall;

import com.fasterxml.jackson.databind.JsonNode;
import dev.workbookrelay.RelayMetrics;
import dev.workbookrelay.nango.GraphCallException;
import dev.workbookrelay.nango.NangoProxyEndpoint;
import dev.workbookrelay.nango.NangoProxyException;
import dev.workbookrelay.nango.ProxyResponses;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.Semaphore;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Message;

/**
 * The Java steps of one attempt of a Graph call ({@code graph-attempt} route): wait while the connection is paused
 * or Nango refuses the key, build the proxied request, and read the answer into JSON or the exception that says
 * who refused.
 */
public final class ProxyCallSteps {

    /** The header a 202 answer's {@code Location} is handed back in. */
    static final String LOCATION = "workbookRelayLocation";

    private final NangoProxyEndpoint nango;
    private final ProxyResponses responses;
    private final NangoAuthentication authentication;
    private final ConnectionPauses pauses;
    private final RelayMetrics metrics;
    private final Semaphore inFlight;
    private final CallDeadline deadline;

    /** {@code maxInFlight}: requests on the wire at once, across every connection and sync of this instance. */
    public ProxyCallSteps(NangoProxyEndpoint nango, ProxyResponses responses, NangoAuthentication authentication,
            ConnectionPauses pauses, RelayMetrics metrics, int maxInFlight, CallDeadline deadline) {
        this.nango = nango;
        this.responses = responses;
        this.authentication = authentication;
        this.pauses = pauses;
        this.metrics = metrics;
        this.inFlight = new Semaphore(maxInFlight);
        this.deadline = deadline;
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

    /**
     * The proxied request: Nango's headers, Graph's headers as {@code Nango-Proxy-*}, nothing else of ours. Takes
     * one of the instance's in-flight permits, held until {@link #sent} (only while on the wire: never during a
     * pause or a backoff, so a throttled connection does not hold up the others).
     */
    public void prepare(@ExchangeProperty(GraphRequest.PROPERTY) GraphRequest request, Message message)
            throws InterruptedException {
        inFlight.acquire();
        request.onTheWire(true);
        request.observer().attempted(); // every attempt that goes out, as Graph (and its throttling) counts them
        message.getHeaders().clear();
        message.setBody(null);
        for (Map.Entry<String, String> h : nango.headers(request.connection()).entrySet()) {
            message.setHeader(h.getKey(), h.getValue());
        }
        message.setHeader(NangoProxyEndpoint.forGraph("Accept"), request.downloadTo() == null ? "application/json"
                : "*/*");
        // Microsoft deprioritises undecorated traffic (sp-dev-docs throttling guidance)
        message.setHeader(NangoProxyEndpoint.forGraph("User-Agent"), "NONISV|workbook-relay|workbook-relay/0.1");
        request.graphHeaders().forEach((name, value) -> message.setHeader(NangoProxyEndpoint.forGraph(name), value));
        if (request.postBody() != null) {
            // to Nango (which parses the JSON) and, as Nango's SDK does, for Graph
            message.setHeader(Exchange.CONTENT_TYPE, "application/json");
            message.setHeader(NangoProxyEndpoint.forGraph("Content-Type"), "application/json");
            message.setBody(request.postBody().getBytes(StandardCharsets.UTF_8));
        }
        message.setHeader(Exchange.HTTP_URI, nango.url(request.pathOrLink()));
        deadline.arm();
    }

    /** Whether the attempt is a POST (Excel's session actions) rather than a GET. */
    public static boolean isPost(Exchange exchange) {
        return exchange.getProperty(GraphRequest.PROPERTY, GraphRequest.class).postBody() != null;
    }

    /** Whether the attempt is a download (a file's content, saved to disk as it comes in). */
    public static boolean isDownload(Exchange exchange) {
        return exchange.getProperty(GraphRequest.PROPERTY, GraphRequest.class).downloadTo() != null;
    }

    /**
     * A download's answer: a 2xx body is copied to the request's file as it streams in (a big workbook is never held
     * in memory) and replaced by {@code {"bytes": n}}; any other answer is read as usual (Graph's or Nango's error).
     */
    public void saveDownload(@ExchangeProperty(GraphRequest.PROPERTY) GraphRequest request, Message message)
            throws IOException {
        int status = message.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        InputStream in = message.getBody(InputStream.class);
        if (status < 200 || status >= 300 || status == 204) {
            message.setBody(in == null ? new byte[0] : in.readAllBytes());
            return;
        }
        long bytes = in == null ? 0 : Files.copy(in, request.downloadTo(), StandardCopyOption.REPLACE_EXISTING);
        message.setBody(("{\"bytes\":" + bytes + "}").getBytes(StandardCharsets.UTF_8));
    }

    /** The attempt failed on the wire: said plainly when it was the call's deadline that cut it. */
    public void failedOnTheWire(@ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Exception failure) throws Exception {
        if (deadline.struck()) {
            throw new IOException("no complete answer within the call deadline of " + deadline.millis() + " ms"
                    + " (workbook-relay.graph.call-deadline-ms): connection closed", failure);
        }
        throw failure;
    }

    /** A call of Nango's own API ({@code direct:nango-api-get}): only the secret key, as Nango's API wants it. */
    public void prepareApiCall(@ExchangeProperty(NangoApiCalls.PATH) String path, Message message) {
        authentication.beforeCall();
        message.getHeaders().clear();
        message.setBody(null);
        nango.apiHeaders().forEach(message::setHeader);
        message.setHeader("Accept", "application/json");
        message.setHeader(Exchange.HTTP_URI, nango.apiUrl(path));
    }

    /** The attempt is back (or failed on the way): its in-flight permit is free. */
    public void sent(@ExchangeProperty(GraphRequest.PROPERTY) GraphRequest request) {
        deadline.disarm();
        if (request.onTheWire()) {
            request.onTheWire(false);
            inFlight.release();
        }
    }

    /** The answer as JSON, or the {@link GraphCallException} that says who refused and why; counted. */
    public JsonNode read(Message message) {
        metrics.graphCall(Integer.toString(message.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class)));
        return readApiAnswer(message);
    }

    /** The answer of a call of Nango's own API: JSON, or the exception that says why Nango refused. */
    public JsonNode readApiAnswer(Message message) {
        int status = message.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        byte[] body = message.getBody(byte[].class);
        Map<String, Object> headers = Map.copyOf(message.getHeaders());
        message.getHeaders().clear(); // the request headers (the secret among them) must not travel further
        try {
            JsonNode json = responses.read(status, body == null ? new byte[0] : body, name -> header(headers, name));
            authentication.accepted();
            message.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
            if (status == 202 && header(headers, "Location") != null) {
                message.setHeader(LOCATION, header(headers, "Location")); // a long-running action's status
            }
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

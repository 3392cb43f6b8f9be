package dev.workbookrelay.graphcall;

import com.fasterxml.jackson.databind.JsonNode;
import dev.workbookrelay.Causes;
import dev.workbookrelay.graph.GraphGet;
import dev.workbookrelay.nango.GraphCallException;
import dev.workbookrelay.nango.NangoConnection;
import java.nio.file.Path;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;

/** Graph calls of one Nango connection, each sent through the {@code graph-get} route ({@link GraphCallRoute}). */
public final class GraphCalls {

    private final ProducerTemplate template;

    public GraphCalls(ProducerTemplate template) {
        this.template = template;
    }

    /** Calls Graph as {@code connection}; {@code observer} hears of every attempt that goes out. */
    public GraphGet of(NangoConnection connection, GraphCallObserver observer) {
        return pathOrLink -> send(new GraphRequest(connection, pathOrLink, observer));
    }

    /** As above, each call carrying these Graph headers (a workbook session's id). */
    public GraphGet of(NangoConnection connection, GraphCallObserver observer, Map<String, String> graphHeaders) {
        return pathOrLink -> send(new GraphRequest(connection, pathOrLink, observer, null, graphHeaders));
    }

    /** What a POST was answered: its status, JSON (empty for a 204) and, for a 202, where to follow it up. */
    public record Answer(int status, JsonNode json, String location) {
    }

    /** POSTs a small JSON body (Excel's session actions). */
    public Answer post(NangoConnection connection, GraphCallObserver observer, String path, String json,
            Map<String, String> graphHeaders) {
        Message reply = exchange(new GraphRequest(connection, path, observer, json, graphHeaders)).getMessage();
        return new Answer(reply.getHeader(Exchange.HTTP_RESPONSE_CODE, 200, Integer.class),
                reply.getBody(JsonNode.class), reply.getHeader(ProxyCallSteps.LOCATION, String.class));
    }

    /**
     * GETs a file's content ({@code …/items/{id}/content}: Graph redirects to a download URL, which Nango follows)
     * into {@code file}, streamed to disk as it comes in; the bytes written.
     */
    public long download(NangoConnection connection, GraphCallObserver observer, String path, Path file) {
        return send(GraphRequest.download(connection, path, observer, file)).path("bytes").asLong();
    }

    private JsonNode send(GraphRequest request) {
        return exchange(request).getMessage().getBody(JsonNode.class);
    }

    /** The call's exchange once answered; the Graph or Nango error itself when it failed. */
    private Exchange exchange(GraphRequest request) {
        Exchange reply = template.send(GraphCallRoute.ENDPOINT, exchange -> exchange.setProperty(GraphRequest.PROPERTY,
                request));
        Exception failure = reply.getException();
        if (failure != null) {
            // callers decide on the Graph/Nango error itself (410 → resync), so hand it over unwrapped
            GraphCallException call = Causes.find(failure, GraphCallException.class);
            if (call != null) {
                throw call;
            }
            throw failure instanceof RuntimeException r ? r : new IllegalStateException(failure);
        }
        return reply;
    }
}

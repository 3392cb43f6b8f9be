package dev.workbookrelay.graphcall;

import com.fasterxml.jackson.databind.JsonNode;
import dev.workbookrelay.Causes;
import dev.workbookrelay.graph.GraphGet;
import dev.workbookrelay.nango.GraphCallException;
import dev.workbookrelay.nango.NangoConnection;
import java.util.Map;
import org.apache.camel.Exchange;
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

    /** POSTs a small JSON body (Excel's session actions); the answer's JSON (empty for a 204). */
    public JsonNode post(NangoConnection connection, GraphCallObserver observer, String path, String json,
            Map<String, String> graphHeaders) {
        return send(new GraphRequest(connection, path, observer, json, graphHeaders));
    }

    private JsonNode send(GraphRequest request) {
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
        return reply.getMessage().getBody(JsonNode.class);
    }
}

package dev.workbookrelay.graphcall;

import com.fasterxml.jackson.databind.JsonNode;
import dev.workbookrelay.Causes;
import dev.workbookrelay.nango.GraphCallException;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;

/** GETs of Nango's own API (the connections list), through the {@code nango-api-get} route. */
public final class NangoApiCalls {

    /** Exchange property: the path of Nango's API to get. */
    static final String PATH = "workbookRelayNangoApiPath";

    private final ProducerTemplate template;

    public NangoApiCalls(ProducerTemplate template) {
        this.template = template;
    }

    /** The answer's JSON, or the {@link GraphCallException} that says why Nango refused. */
    public JsonNode get(String path) {
        Exchange reply = template.send(GraphCallRoute.NANGO_API_ENDPOINT, exchange -> exchange.setProperty(PATH,
                path));
        Exception failure = reply.getException();
        if (failure != null) {
            GraphCallException call = Causes.find(failure, GraphCallException.class);
            throw call != null ? call : failure instanceof RuntimeException r ? r : new IllegalStateException(failure);
        }
        return reply.getMessage().getBody(JsonNode.class);
    }
}

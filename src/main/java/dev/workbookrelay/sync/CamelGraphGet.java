package dev.workbookrelay.sync;

import com.fasterxml.jackson.databind.JsonNode;
import dev.workbookrelay.graph.GraphGet;
import dev.workbookrelay.nango.GraphCallException;
import java.util.concurrent.Semaphore;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;

/**
 * {@link GraphGet} through the {@code direct:graph-get} route (which counts each attempt against the sync run);
 * with permits, each call holds one of them while it is in flight.
 */
final class CamelGraphGet implements GraphGet {

    static final String GRAPH_PATH = "workbookRelayGraphPath";

    private final ProducerTemplate template;
    private final SyncRun run;
    private final Semaphore permits;

    CamelGraphGet(ProducerTemplate template, SyncRun run) {
        this(template, run, null);
    }

    CamelGraphGet(ProducerTemplate template, SyncRun run, Semaphore permits) {
        this.template = template;
        this.run = run;
        this.permits = permits;
    }

    @Override
    public JsonNode get(String pathOrLink) {
        if (permits == null) {
            return send(pathOrLink);
        }
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to call Graph: " + pathOrLink, e);
        }
        try {
            return send(pathOrLink);
        } finally {
            permits.release();
        }
    }

    private JsonNode send(String pathOrLink) {
        Exchange reply = template.send(GraphCallRoute.ENDPOINT, exchange -> {
            exchange.setProperty(SyncRun.PROPERTY, run);
            exchange.setProperty(GRAPH_PATH, pathOrLink);
        });
        Exception failure = reply.getException();
        if (failure != null) {
            // callers decide on the Graph/Nango error itself (410 → resync), so hand it over unwrapped
            for (Throwable t = failure; t != null; t = t.getCause()) {
                if (t instanceof GraphCallException call) {
                    throw call;
                }
            }
            throw failure instanceof RuntimeException r ? r : new IllegalStateException(failure);
        }
        return reply.getMessage().getBody(JsonNode.class);
    }
}

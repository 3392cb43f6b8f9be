package dev.workbookrelay.graphcall;

import dev.workbookrelay.nango.NangoConnection;
import java.nio.file.Path;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.support.ExpressionAdapter;

/**
 * One Graph call on its way through the {@code graph-get} route — a GET (of JSON, or of a file saved as it comes
 * in), or a POST of a small JSON body (Excel's session actions) — with the Graph headers it carries (a workbook
 * session's id): whose connection, which path, who counts its attempts, and the bookkeeping of its retries. It
 * travels as the exchange property {@link #PROPERTY}, which Camel keeps across redeliveries (the message itself is
 * rebuilt by each attempt).
 */
public final class GraphRequest {

    public static final String PROPERTY = "workbookRelayGraphRequest";

    /** The request budget and the pauses are per Nango connection: the throttler's correlation key. */
    static final ExpressionAdapter CONNECTION_KEY = new ExpressionAdapter() {
        @Override
        public Object evaluate(Exchange exchange) {
            return exchange.getProperty(PROPERTY, GraphRequest.class).connectionKey();
        }
    };

    private final NangoConnection connection;
    private final String pathOrLink;
    private final GraphCallObserver observer;
    private final String postBody;
    private final Map<String, String> graphHeaders;
    private final Path downloadTo;
    private final long firstAttemptAt = System.currentTimeMillis();
    private int attempt = 1;
    private long budgetEnteredAt;
    private boolean onTheWire;

    public GraphRequest(NangoConnection connection, String pathOrLink, GraphCallObserver observer) {
        this(connection, pathOrLink, observer, null, Map.of());
    }

    /** @param postBody JSON to POST; null for a GET */
    public GraphRequest(NangoConnection connection, String pathOrLink, GraphCallObserver observer, String postBody,
            Map<String, String> graphHeaders) {
        this(connection, pathOrLink, observer, postBody, graphHeaders, null);
    }

    private GraphRequest(NangoConnection connection, String pathOrLink, GraphCallObserver observer, String postBody,
            Map<String, String> graphHeaders, Path downloadTo) {
        this.connection = connection;
        this.pathOrLink = pathOrLink;
        this.observer = observer;
        this.postBody = postBody;
        this.graphHeaders = Map.copyOf(graphHeaders);
        this.downloadTo = downloadTo;
    }

    /** A GET whose answer (a file's content) is written to {@code file} instead of being read as JSON. */
    static GraphRequest download(NangoConnection connection, String path, GraphCallObserver observer, Path file) {
        return new GraphRequest(connection, path, observer, null, Map.of(), file);
    }

    /** Where a download's bytes go; null for a call answered in JSON. */
    Path downloadTo() {
        return downloadTo;
    }

    /** The JSON body of a POST; null for a GET. */
    String postBody() {
        return postBody;
    }

    /** Headers for Graph itself (sent through Nango as {@code Nango-Proxy-*}). */
    Map<String, String> graphHeaders() {
        return graphHeaders;
    }

    public NangoConnection connection() {
        return connection;
    }

    public String pathOrLink() {
        return pathOrLink;
    }

    String connectionKey() {
        return connection.providerConfigKey() + "/" + connection.connectionId();
    }

    /** The path without its query, for log lines. */
    String pathForLogs() {
        int query = pathOrLink == null ? -1 : pathOrLink.indexOf('?');
        return query < 0 ? pathOrLink : pathOrLink.substring(0, query);
    }

    GraphCallObserver observer() {
        return observer;
    }

    long firstAttemptAt() {
        return firstAttemptAt;
    }

    int attempt() {
        return attempt;
    }

    void nextAttempt() {
        attempt++;
    }

    long budgetEnteredAt() {
        return budgetEnteredAt;
    }

    void budgetEntered() {
        budgetEnteredAt = System.currentTimeMillis();
    }

    /** Whether this request holds one of the instance's in-flight permits (between prepare and sent). */
    boolean onTheWire() {
        return onTheWire;
    }

    void onTheWire(boolean onTheWire) {
        this.onTheWire = onTheWire;
    }
}

package dev.workbookrelay.sync;

import com.fasterxml.jackson.databind.JsonNode;
import dev.workbookrelay.nango.NangoProxyEndpoint;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;

/**
 * One Graph GET through the Nango proxy: the request carries Nango's headers and nothing else of ours; the
 * response comes back parsed, or as a {@code GraphCallException} that says who refused and why.
 */
public class GraphCallRoute extends RouteBuilder {

    static final String ENDPOINT = "direct:graph-get";

    @Override
    public void configure() {
        RelayBeans beans = RelayBeans.of(getContext());
        NangoProxyEndpoint nango = beans.nango;

        from(ENDPOINT).routeId("graph-get")
                // failures go back to the caller (the paging iterator) untouched: no redelivery, no exchange dump
                .errorHandler(noErrorHandler())
                .process(exchange -> prepare(exchange, nango))
                .to(nango.baseUrl() + "?throwExceptionOnFailure=false")
                .process(exchange -> read(exchange, beans));
    }

    private static void prepare(Exchange exchange, NangoProxyEndpoint nango) {
        SyncRun run = exchange.getProperty(SyncRun.PROPERTY, SyncRun.class);
        Message in = exchange.getMessage();
        in.getHeaders().clear();
        in.setBody(null);
        for (Map.Entry<String, String> h : nango.headers(run.request().connection()).entrySet()) {
            in.setHeader(h.getKey(), h.getValue());
        }
        in.setHeader(NangoProxyEndpoint.forGraph("Accept"), "application/json");
        // Microsoft deprioritises undecorated traffic (sp-dev-docs throttling guidance)
        in.setHeader(NangoProxyEndpoint.forGraph("User-Agent"), "NONISV|workbook-relay|workbook-relay/0.1");
        in.setHeader(Exchange.HTTP_METHOD, "GET");
        in.setHeader(Exchange.HTTP_URI, nango.url(exchange.getProperty(CamelGraphGet.GRAPH_PATH, String.class)));
    }

    private static void read(Exchange exchange, RelayBeans beans) {
        Message out = exchange.getMessage();
        int status = out.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        byte[] body = out.getBody(byte[].class);
        Map<String, Object> headers = Map.copyOf(out.getHeaders());
        out.getHeaders().clear(); // the request headers (the secret among them) must not travel further
        JsonNode json = beans.responses.read(status, body == null ? new byte[0] : body,
                name -> header(headers, name));
        out.setBody(json);
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

package dev.workbookrelay.sandbox;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A request as Graph receives it from the proxy: method, path (raw and decoded segments), query options in
 * order, and only the headers the client forwarded with {@code Nango-Proxy-} (prefix stripped, lower-case).
 */
record GraphRequest(String method, String rawPath, List<String> rawSegments, List<String> segments,
                    List<Map.Entry<String, String>> query, Map<String, String> headers, String body) {

    static final String GRAPH_ORIGIN = "https://graph.microsoft.com";

    /** {@code endpoint} is what follows {@code /proxy}: a path and query, or a full Graph URL as Nango also accepts. */
    static GraphRequest parse(String method, String endpoint, Map<String, String> forwardedHeaders) {
        return parse(method, endpoint, forwardedHeaders, "");
    }

    /** As above, with the request's body (a POST's JSON). */
    static GraphRequest parse(String method, String endpoint, Map<String, String> forwardedHeaders, String body) {
        String target = endpoint.replaceFirst("^/+", "");
        if (target.startsWith(GRAPH_ORIGIN)) {
            target = target.substring(GRAPH_ORIGIN.length()).replaceFirst("^/+", "");
        }
        int question = target.indexOf('?');
        String path = "/" + (question < 0 ? target : target.substring(0, question));
        String rawQuery = question < 0 ? "" : target.substring(question + 1);

        List<String> rawSegments = List.of(path.substring(1).split("/", -1));
        List<String> segments = new ArrayList<>();
        for (String segment : rawSegments) {
            segments.add(UrlText.decode(segment, false));
        }
        List<Map.Entry<String, String>> query = new ArrayList<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = UrlText.decode(equals < 0 ? pair : pair.substring(0, equals), true);
            String value = equals < 0 ? "" : UrlText.decode(pair.substring(equals + 1), true);
            query.add(Map.entry(name, value));
        }
        return new GraphRequest(method, path, rawSegments, List.copyOf(segments), List.copyOf(query),
                Map.copyOf(forwardedHeaders), body);
    }

    /** The first value of a query option, names compared case-insensitively (OData system options are). */
    String option(String name) {
        for (Map.Entry<String, String> option : query) {
            if (option.getKey().equalsIgnoreCase(name)) {
                return option.getValue();
            }
        }
        return null;
    }

    /** The query options minus the named ones, re-encoded, ready to be followed by more: {@code ?a=1&} or {@code ?}. */
    String queryWithout(String... names) {
        StringBuilder out = new StringBuilder("?");
        for (Map.Entry<String, String> option : query) {
            boolean dropped = false;
            for (String name : names) {
                dropped |= option.getKey().equalsIgnoreCase(name);
            }
            if (!dropped) {
                out.append(UrlText.encodeQueryValue(option.getKey())).append('=')
                        .append(UrlText.encodeQueryValue(option.getValue())).append('&');
            }
        }
        return out.toString();
    }
}

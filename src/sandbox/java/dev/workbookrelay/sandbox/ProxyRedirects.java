package dev.workbookrelay.sandbox;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The Nango proxy's outbound call follows redirects itself (axios, at most 5), so a Graph {@code /content} 302 reaches
 * the caller as the downloaded file. The next hop is a plain request: none of the headers sent upstream is repeated
 * (the pre-authenticated URL needs none) unless the caller sent {@code Forward-Headers-On-Redirect: true}.
 */
final class ProxyRedirects {

    static final int MAX_REDIRECTS = 5;
    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
    /** Not passed on: hop-by-hop, and those the emulator's server sets itself. */
    private static final Set<String> DROPPED = Set.of("connection", "keep-alive", "transfer-encoding", "te", "trailer",
            "upgrade", "proxy-authenticate", "proxy-authorization", "content-length", "date");

    /** Made at the first redirect: a client starts a thread, and most emulators never follow one. */
    private HttpClient client;

    /**
     * The answer at the end of the redirects {@code reply} starts, or {@code reply} itself when it is no redirect;
     * {@code resent} are the headers repeated on each hop (empty unless asked for).
     */
    HttpReply follow(HttpReply reply, String method, Map<String, String> resent) {
        URI at = URI.create(GraphRequest.GRAPH_ORIGIN + "/");
        String hopMethod = method;
        for (int hops = 0; REDIRECTS.contains(reply.status()) && reply.header("location") != null; hops++) {
            if (hops == MAX_REDIRECTS) {
                return axiosError("Maximum number of redirects exceeded", "ERR_FR_TOO_MANY_REDIRECTS", hopMethod);
            }
            at = at.resolve(reply.header("location"));
            // follow-redirects: 303, and 301/302 after a POST, continue as GET; the others keep the method
            if (reply.status() == 303 || (reply.status() <= 302 && hopMethod.equals("POST"))) {
                hopMethod = "GET";
            }
            try {
                reply = get(at, hopMethod, resent);
            } catch (IOException e) {
                return axiosError(String.valueOf(e.getMessage()), "ECONNREFUSED", hopMethod);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return axiosError("aborted", "ECONNABORTED", hopMethod);
            }
        }
        return reply;
    }

    private HttpReply get(URI url, String method, Map<String, String> resent) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(Duration.ofMinutes(2))
                .method(method, HttpRequest.BodyPublishers.noBody())
                .header("Accept", "application/json, text/plain, */*")
                .header("User-Agent", "axios/1.12.2");
        resent.forEach(request::setHeader);
        HttpResponse<byte[]> response = client().send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        Map<String, String> headers = new LinkedHashMap<>();
        response.headers().map().forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!DROPPED.contains(lower) && !lower.startsWith(":") && !values.isEmpty()) {
                headers.put(lower, String.join(", ", values));
            }
        });
        return new HttpReply(response.statusCode(), headers, response.body());
    }

    private synchronized HttpClient client() {
        if (client == null) {
            client = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .connectTimeout(Duration.ofSeconds(10))
                    .build();
        }
        return client;
    }

    /**
     * What Nango answers when axios fails without a response: {@code {message, code, method}} (its status undefined,
     * so left out). The 500 is an assumption: the reference names the body, not the status.
     */
    private static HttpReply axiosError(String message, String code, String method) {
        ObjectNode body = DriveItemJson.MAPPER.createObjectNode();
        body.put("message", message);
        body.put("code", code);
        body.put("method", method);
        HttpReply reply = HttpReply.nango(500, body.toString());
        reply.headers().put("content-type", "application/json");
        return reply;
    }

    /** The headers a hop repeats when the caller asked for it: those that went to Graph. */
    static Map<String, String> resentHeaders(Map<String, List<String>> clientHeaders, Map<String, String> upstream) {
        List<String> flag = clientHeaders.get("forward-headers-on-redirect");
        boolean forward = flag != null && !flag.isEmpty() && flag.get(0).equals("true");
        Map<String, String> resent = new LinkedHashMap<>();
        if (forward) {
            upstream.forEach((name, value) -> {
                if (!DROPPED.contains(name) && !name.equals("host") && !name.equals("expect")) {
                    resent.put(name, value);
                }
            });
        }
        return resent;
    }
}

package dev.workbookrelay.sandbox;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Failures and latency to inject into the "Graph" side, for tests of retries and timeouts. A fault applies to
 * calls that passed Nango's checks (so it counts as a Graph call), matched against the path and query that
 * follow {@code /proxy}; it answers with Graph's usual headers plus the given ones.
 */
public final class FaultPlan {

    /** What a fault does to a matching call. */
    enum Kind {
        /** Graph answers an error (status, headers, body). */
        GRAPH_ERROR,
        /** Nango itself answers (no Graph headers, Nango's JSON); the call never reaches Graph. */
        NANGO_ERROR,
        /** The real answer, slower. */
        SLOW,
        /** The real answer's headers and half its body, then the connection is dropped. */
        RESET_MID_BODY,
        /**
         * The real answer, its body sent a byte at a time with a pause between bytes: each pause shorter than any
         * socket timeout, the whole answer far longer than a call may take.
         */
        TRICKLE,
        /** The real answer cut in half but delivered completely: a 200 whose JSON is truncated. */
        TRUNCATED_JSON,
        /**
         * A proxy on the way answers 502 with the request it got in its error text, headers included (the secret
         * key among them): what careless proxies and debug modes do. Answered before the call reaches Graph.
         */
        ECHO_REQUEST
    }

    /** What the emulator does for one call: answer {@code reply} instead, or alter the real answer. */
    record Action(Kind kind, HttpReply reply, Duration delay) {

        /** The real answer as this fault changes it. */
        HttpReply alter(HttpReply real) {
            return switch (kind) {
                case RESET_MID_BODY -> new HttpReply(real.status(), real.headers(), real.body(), true, null);
                case TRICKLE -> new HttpReply(real.status(), real.headers(), real.body(), false, delay);
                case TRUNCATED_JSON -> new HttpReply(real.status(), real.headers(),
                        java.util.Arrays.copyOf(real.body(), real.body().length / 2));
                default -> real;
            };
        }
    }

    private static final class Fault {
        final Kind kind;
        final Pattern path;
        final int status;
        final Map<String, String> headers;
        final String body;
        final Duration delay;
        int remaining;
        int skip;

        Fault(Kind kind, Pattern path, int skip, int times, int status, Map<String, String> headers, String body,
                Duration delay) {
            this.kind = kind;
            this.path = path;
            this.skip = skip;
            this.remaining = times;
            this.status = status;
            this.headers = headers;
            this.body = body;
            this.delay = delay;
        }
    }

    /** Nango's answer while a connection's token refresh is in its 30 s cooldown (nango-proxy.md §1.4). */
    public static final String NANGO_REFRESH_BACKOFF = "{\"error\":{\"code\":\"connection_refresh_backoff\","
            + "\"message\":\"A recent refresh attempt failed. Backing off before retrying.\"}}";
    /** Nango's answer when a connection's token could not be refreshed (invalid_grant and the like). */
    public static final String NANGO_REFRESH_FAILED = "{\"error\":{\"code\":\"server_error\",\"message\":"
            + "\"Failed to get connection credentials: 'The external API returned an error when trying to refresh "
            + "the access token. Please try again later.'\"}}";

    private final List<Fault> faults = new ArrayList<>();
    private volatile Duration delay = Duration.ZERO;

    FaultPlan() {
    }

    /**
     * The next {@code times} calls whose path and query contain a match of {@code pathRegex} answer
     * {@code status} with {@code headers} (e.g. {@code Retry-After}) and {@code body} (null: a typical Graph error
     * for that status, such as {@code activityLimitReached} for 429). Faults are used in the order they were added.
     */
    public synchronized FaultPlan failNext(String pathRegex, int times, int status, Map<String, String> headers,
                                           String body) {
        if (times < 1 || status < 100 || status > 599) {
            throw new IllegalArgumentException("times must be >= 1 and status an HTTP status");
        }
        Map<String, String> lowerCase = new LinkedHashMap<>();
        Objects.requireNonNullElse(headers, Map.<String, String>of())
                .forEach((name, value) -> lowerCase.put(name.toLowerCase(Locale.ROOT), value));
        faults.add(new Fault(Kind.GRAPH_ERROR, Pattern.compile(pathRegex), 0, times, status, lowerCase, body, null));
        return this;
    }

    /**
     * Lets the first {@code skip} matching calls through, then fails the next {@code times} with Graph's typical
     * error for the status (e.g. the third page of an enumeration, after two good ones).
     */
    public synchronized FaultPlan failAfter(String pathRegex, int skip, int times, int status) {
        if (skip < 0 || times < 1 || status < 100 || status > 599) {
            throw new IllegalArgumentException("skip must be >= 0, times >= 1 and status an HTTP status");
        }
        faults.add(new Fault(Kind.GRAPH_ERROR, Pattern.compile(pathRegex), skip, times, status, Map.of(), null,
                null));
        return this;
    }

    /**
     * Nango itself answers the next {@code times} matching calls with {@code status} and its JSON {@code body}
     * (e.g. 424 and {@link #NANGO_REFRESH_BACKOFF}); such a call never reaches Graph.
     */
    public synchronized FaultPlan nangoFailNext(String pathRegex, int times, int status, String body) {
        return nangoFailAfter(pathRegex, 0, times, status, body);
    }

    /**
     * As {@link #nangoFailNext}, after letting the first {@code skip} matching calls through (e.g. a failure that
     * comes while earlier calls are still in flight).
     */
    public synchronized FaultPlan nangoFailAfter(String pathRegex, int skip, int times, int status, String body) {
        check(times);
        if (skip < 0) {
            throw new IllegalArgumentException("skip must be >= 0");
        }
        faults.add(new Fault(Kind.NANGO_ERROR, Pattern.compile(pathRegex), skip, times, status, Map.of(),
                Objects.requireNonNull(body), null));
        return this;
    }

    /** The next {@code times} matching calls get their real answer after {@code delay}. */
    public synchronized FaultPlan slowNext(String pathRegex, int times, Duration delay) {
        check(times);
        faults.add(new Fault(Kind.SLOW, Pattern.compile(pathRegex), 0, times, 200, Map.of(), null,
                Objects.requireNonNull(delay)));
        return this;
    }

    /** The next {@code times} matching calls get the real headers and half the body, then the socket closes. */
    public synchronized FaultPlan resetMidBody(String pathRegex, int times) {
        check(times);
        faults.add(new Fault(Kind.RESET_MID_BODY, Pattern.compile(pathRegex), 0, times, 200, Map.of(), null, null));
        return this;
    }

    /** The next {@code times} matching calls get the real answer, its body a byte per {@code pause}. */
    public synchronized FaultPlan trickleNext(String pathRegex, int times, Duration pause) {
        check(times);
        faults.add(new Fault(Kind.TRICKLE, Pattern.compile(pathRegex), 0, times, 200, Map.of(), null,
                Objects.requireNonNull(pause)));
        return this;
    }

    /** The next {@code times} matching calls get a complete HTTP answer whose body is the real one cut in half. */
    public synchronized FaultPlan truncateJson(String pathRegex, int times) {
        check(times);
        faults.add(new Fault(Kind.TRUNCATED_JSON, Pattern.compile(pathRegex), 0, times, 200, Map.of(), null, null));
        return this;
    }

    /** The next {@code times} matching calls are answered 502 with the whole request, headers included. */
    public synchronized FaultPlan echoRequestNext(String pathRegex, int times) {
        check(times);
        faults.add(new Fault(Kind.ECHO_REQUEST, Pattern.compile(pathRegex), 0, times, 502, Map.of(), null, null));
        return this;
    }

    /** Whether every fault added so far has been used up. */
    public synchronized boolean exhausted() {
        return faults.isEmpty();
    }

    private static void check(int times) {
        if (times < 1) {
            throw new IllegalArgumentException("times must be >= 1");
        }
    }

    /** Same, with Graph's typical error body for the status and no extra headers. */
    public FaultPlan failNext(String pathRegex, int times, int status) {
        return failNext(pathRegex, times, status, Map.of(), null);
    }

    /** Every Graph call waits this long before answering (a fixed latency; zero to stop). */
    public FaultPlan delayEach(Duration latency) {
        this.delay = Objects.requireNonNull(latency);
        return this;
    }

    /** Drops pending faults and the latency. */
    public synchronized void clear() {
        faults.clear();
        delay = Duration.ZERO;
    }

    Duration delay() {
        return delay;
    }

    /**
     * Consumes one use of the first pending fault matching this call at this stage ({@code nango}: before the
     * call reaches Graph, which only Nango faults act on); null if none.
     */
    synchronized Action take(String pathAndQuery, GraphCall call, boolean nango) {
        for (Iterator<Fault> it = faults.iterator(); it.hasNext(); ) {
            Fault fault = it.next();
            boolean nangoStage = fault.kind == Kind.NANGO_ERROR || fault.kind == Kind.ECHO_REQUEST;
            if (nangoStage != nango || !fault.path.matcher(pathAndQuery).find()) {
                continue;
            }
            if (fault.skip > 0) {
                fault.skip--;
                return null;
            }
            if (--fault.remaining == 0) {
                it.remove();
            }
            return switch (fault.kind) {
                case NANGO_ERROR -> new Action(fault.kind, HttpReply.nango(fault.status, fault.body), null);
                case GRAPH_ERROR -> {
                    HttpReply reply = fault.body == null
                            ? call.defaultError(fault.status)
                            : new HttpReply(fault.status, call.headers(), fault.body.getBytes(StandardCharsets.UTF_8));
                    reply.headers().putAll(fault.headers);
                    yield new Action(fault.kind, reply, null);
                }
                default -> new Action(fault.kind, null, fault.delay);
            };
        }
        return null;
    }
}

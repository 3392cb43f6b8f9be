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

    private static final class Fault {
        final Pattern path;
        final int status;
        final Map<String, String> headers;
        final String body;
        int remaining;
        int skip;

        Fault(Pattern path, int skip, int times, int status, Map<String, String> headers, String body) {
            this.path = path;
            this.skip = skip;
            this.remaining = times;
            this.status = status;
            this.headers = headers;
            this.body = body;
        }
    }

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
        faults.add(new Fault(Pattern.compile(pathRegex), 0, times, status, lowerCase, body));
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
        faults.add(new Fault(Pattern.compile(pathRegex), skip, times, status, Map.of(), null));
        return this;
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

    /** Consumes one use of the first pending fault matching this call, and returns its reply; null if none. */
    synchronized HttpReply take(String pathAndQuery, GraphCall call) {
        for (Iterator<Fault> it = faults.iterator(); it.hasNext(); ) {
            Fault fault = it.next();
            if (!fault.path.matcher(pathAndQuery).find()) {
                continue;
            }
            if (fault.skip > 0) {
                fault.skip--;
                return null;
            }
            if (--fault.remaining == 0) {
                it.remove();
            }
            HttpReply reply = fault.body == null
                    ? call.defaultError(fault.status)
                    : new HttpReply(fault.status, call.headers(), fault.body.getBytes(StandardCharsets.UTF_8));
            reply.headers().putAll(fault.headers);
            return reply;
        }
        return null;
    }
}

package dev.workbookrelay.sandbox;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Graph's throttling as a client meets it: per connection, at most {@code requests} calls in any sliding
 * {@code window}. A call over the budget gets 429 {@code TooManyRequests} (the body of Graph's throttling doc) with
 * a fractional {@code Retry-After} that says when the oldest call in the window leaves it. Throttled calls do not
 * use the budget up, so a client that waits as told gets through.
 */
final class GraphRateLimiter {

    private final int requests;
    private final long windowNanos;
    private final Map<EmulatedDrive, Window> windows = new ConcurrentHashMap<>();
    private final AtomicInteger throttled = new AtomicInteger();

    GraphRateLimiter(int requests, Duration window) {
        if (requests < 1 || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("graphRateLimit needs requests >= 1 and a positive window");
        }
        this.requests = requests;
        this.windowNanos = window.toNanos();
    }

    /** Null when the call is within the connection's budget (and counts against it), else the 429 to answer. */
    HttpReply admit(EmulatedDrive drive, GraphCall call) {
        long waitNanos = windows.computeIfAbsent(drive, d -> new Window(requests)).admit(System.nanoTime(), windowNanos);
        if (waitNanos == 0) {
            return null;
        }
        throttled.incrementAndGet();
        ObjectNode body = call.errorBody("TooManyRequests", "Please retry again later.");
        ObjectNode inner = (ObjectNode) body.get("error").get("innerError");
        inner.put("code", "429");
        inner.put("message", "Please retry after");
        inner.put("status", "429");
        HttpReply reply = call.json(429, body);
        reply.headers().put("retry-after", String.format(Locale.ROOT, "%.3f", Math.max(0.001, waitNanos / 1e9)));
        return reply;
    }

    int throttledCalls() {
        return throttled.get();
    }

    /** The admission times of the last {@code requests} admitted calls, as a ring. */
    private static final class Window {
        private final long[] admitted;
        private int next;
        private int size;

        Window(int requests) {
            admitted = new long[requests];
        }

        /** 0 when admitted now, else nanoseconds until a slot frees up. */
        synchronized long admit(long now, long windowNanos) {
            if (size == admitted.length) {
                long oldest = admitted[next];
                long frees = oldest + windowNanos - now;
                if (frees > 0) {
                    return frees;
                }
            } else {
                size++;
            }
            admitted[next] = now;
            next = (next + 1) % admitted.length;
            return 0;
        }
    }
}

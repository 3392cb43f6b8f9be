package dev.workbookrelay.graphcall;

import java.io.IOException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.impl.io.HttpRequestExecutor;
import org.apache.hc.core5.http.io.HttpClientConnection;
import org.apache.hc.core5.http.io.HttpResponseInformationCallback;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.io.CloseMode;

/**
 * A deadline on a whole Graph call, from its request sent to the last byte of its answer. HttpClient's socket
 * timeout applies to each read, so an answer trickling in a byte at a time would hold the call (and its in-flight
 * permit) for ever. The call is armed on its thread by {@link #arm} before it goes out; the request executor this
 * configures into camel-http's client schedules the connection's closing at the deadline, which makes the blocked
 * read fail; {@link #disarm} (once the answer is in: camel-http reads it whole in the producer) cancels that, and
 * says whether the deadline struck.
 */
public final class CallDeadline implements HttpClientConfigurer {

    private final long millis;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "graph-call-deadline");
        t.setDaemon(true);
        return t;
    });
    private final ThreadLocal<Armed> armed = new ThreadLocal<>();

    /** One call's deadline, and the closing scheduled for it once it is on a connection. */
    private static final class Armed {
        final long deadlineNanos;
        volatile ScheduledFuture<?> closing;
        volatile boolean struck;

        Armed(long deadlineNanos) {
            this.deadlineNanos = deadlineNanos;
        }
    }

    public CallDeadline(long millis) {
        if (millis < 1) {
            throw new IllegalArgumentException("a call deadline must be positive: " + millis);
        }
        this.millis = millis;
    }

    public long millis() {
        return millis;
    }

    /** The call about to be made on this thread must be answered within the deadline. */
    public void arm() {
        armed.set(new Armed(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis)));
    }

    /** Whether the deadline of the call on this thread struck (its connection was closed for it). */
    public boolean struck() {
        Armed call = armed.get();
        return call != null && call.struck;
    }

    /** The call on this thread is over; true if its deadline struck (its connection was closed for it). */
    public boolean disarm() {
        Armed call = armed.get();
        armed.remove();
        if (call == null) {
            return false;
        }
        ScheduledFuture<?> closing = call.closing;
        if (closing != null) {
            closing.cancel(false);
        }
        return call.struck;
    }

    @Override
    public void configureHttpClient(HttpClientBuilder builder) {
        builder.setRequestExecutor(new HttpRequestExecutor() {
            @Override
            public ClassicHttpResponse execute(ClassicHttpRequest request, HttpClientConnection connection,
                    HttpResponseInformationCallback informationCallback, HttpContext context)
                    throws IOException, HttpException {
                Armed call = armed.get();
                if (call != null) {
                    long left = Math.max(0, call.deadlineNanos - System.nanoTime());
                    call.closing = timer.schedule(() -> {
                        call.struck = true;
                        connection.close(CloseMode.IMMEDIATE);
                    }, left, TimeUnit.NANOSECONDS);
                }
                return super.execute(request, connection, informationCallback, context);
            }
        });
    }
}

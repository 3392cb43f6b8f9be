package dev.workbookrelay.graphcall;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per Nango connection, the moment until which no Graph call may go out. Microsoft's scan guidance: while
 * waiting out a 429 or 503, pause every request to the service, not only the one that was refused, or the
 * throttling gets worse. A pause only ever grows; calls of other connections are not held.
 */
public final class ConnectionPauses {

    private final Map<String, Long> pausedUntil = new ConcurrentHashMap<>();

    /** Holds the connection's calls for {@code wait} from now (or longer, if already paused longer). */
    void pause(String connection, Duration wait) {
        long until = System.currentTimeMillis() + wait.toMillis();
        pausedUntil.merge(connection, until, Math::max);
    }

    /** Blocks until the connection is not paused; returns how long it waited, in milliseconds. */
    long awaitClear(String connection) throws InterruptedException {
        long waited = 0;
        for (;;) {
            Long until = pausedUntil.get(connection);
            long left = until == null ? 0 : until - System.currentTimeMillis();
            if (left <= 0) {
                pausedUntil.remove(connection, until);
                return waited;
            }
            Thread.sleep(left);
            waited += left;
        }
    }
}

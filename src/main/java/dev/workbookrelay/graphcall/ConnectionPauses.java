package dev.workbookrelay.graphcall;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per Nango connection, the moment until which no Graph call may go out. Microsoft's scan guidance: while
 * waiting out a 429 or 503, pause every request to the service, not only the one that was refused, or the
 * throttling gets worse. A pause only ever grows; calls of other connections are not held. A pause is forgotten
 * once it is over (by the next call of its connection, or by the next pause of any), so the map holds only the
 * connections paused now, however many connections the relay has known.
 */
public final class ConnectionPauses {

    private final Map<String, Long> pausedUntil = new ConcurrentHashMap<>();

    /** Holds the connection's calls for {@code wait} from now (or longer, if already paused longer). */
    void pause(String connection, Duration wait) {
        long now = System.currentTimeMillis();
        pausedUntil.values().removeIf(until -> until <= now); // pauses over, of connections that went quiet
        pausedUntil.merge(connection, now + wait.toMillis(), Math::max);
    }

    /** Connections paused now (or whose pause ended and nobody has looked since). */
    int size() {
        return pausedUntil.size();
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

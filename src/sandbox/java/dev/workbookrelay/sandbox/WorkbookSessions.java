package dev.workbookrelay.sandbox;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Excel's workbook sessions as the emulator keeps them: created by {@code createSession}, named by ids shaped like
 * Graph's ({@code cluster=…&session=…}, with {@code =} and {@code &}), closed by {@code closeSession}, and expired
 * on demand (Graph expires them after minutes of inactivity) so that a client's recovery can be tested.
 */
final class WorkbookSessions {

    /** One session: its workbook, whether changes persist, and what became of it. */
    record Session(String id, String itemId, boolean persistChanges, boolean closed, boolean expired, int calls) {
    }

    /** In the order they were created. */
    private final Map<String, Session> sessions = Collections.synchronizedMap(new LinkedHashMap<>());
    private final AtomicLong next = new AtomicLong();
    /** A session expires once this many calls were made in it (0: only when told to). */
    private volatile int expireAfterCalls;

    Session create(String itemId, boolean persistChanges) {
        String id = "cluster=EMU1&session=15." + Long.toHexString(System.nanoTime()) + "." + next.incrementAndGet()
                + ".V25";
        Session session = new Session(id, itemId, persistChanges, false, false, 0);
        sessions.put(id, session);
        return session;
    }

    /** Whether the id names a live session of this workbook; counts the call when it does. */
    boolean use(String id, String itemId) {
        Session session = sessions.get(id);
        if (session == null || session.closed() || session.expired() || !session.itemId().equals(itemId)) {
            return false;
        }
        if (expireAfterCalls > 0 && session.calls() >= expireAfterCalls) {
            sessions.computeIfPresent(id, (k, s) -> new Session(s.id(), s.itemId(), s.persistChanges(), s.closed(),
                    true, s.calls()));
            return false;
        }
        sessions.computeIfPresent(id, (k, s) -> new Session(s.id(), s.itemId(), s.persistChanges(), s.closed(),
                s.expired(), s.calls() + 1));
        return true;
    }

    boolean close(String id, String itemId) {
        if (!use(id, itemId)) {
            return false;
        }
        sessions.computeIfPresent(id, (k, s) -> new Session(s.id(), s.itemId(), s.persistChanges(), true,
                s.expired(), s.calls()));
        return true;
    }

    void expireAfterCalls(int calls) {
        expireAfterCalls = calls;
    }

    void expireAll() {
        sessions.replaceAll((id, s) -> new Session(s.id(), s.itemId(), s.persistChanges(), s.closed(), true,
                s.calls()));
    }

    List<Session> all() {
        synchronized (sessions) {
            return List.copyOf(sessions.values());
        }
    }
}

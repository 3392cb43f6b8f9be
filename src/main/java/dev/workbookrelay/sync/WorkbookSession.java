package dev.workbookrelay.sync;

import com.fasterxml.jackson.databind.JsonNode;
import dev.workbookrelay.graph.GraphGet;
import dev.workbookrelay.graphcall.GraphCalls;
import dev.workbookrelay.nango.GraphApiException;
import dev.workbookrelay.nango.GraphCallException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A non-persistent Excel session for reading one workbook's rows ({@code createSession} with
 * {@code persistChanges: false}): Graph keeps the workbook open between the block reads instead of finding it again
 * for each, and nothing the relay does can change the file. Its id goes to Graph as {@code workbook-session-id}
 * (through Nango as {@code Nango-Proxy-workbook-session-id}). Creation asks for Graph's long-running form
 * ({@code Prefer: respond-async}): a session ready at once comes back 201, one that takes longer 202, and its operation
 * is polled (from {@code pollInitial}, doubling up to 30 s, for at most {@link #MAX_WAIT}). A session that expired is
 * created again and the call repeated once; a workbook Graph gives no session is read without one.
 */
final class WorkbookSession implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WorkbookSession.class);
    static final String HEADER = "workbook-session-id";
    /** Graph suggests polling every 30 s and never more than 4 minutes apart; past this the reads go without one. */
    static final Duration MAX_WAIT = Duration.ofMinutes(4);
    private static final Duration MAX_POLL = Duration.ofSeconds(30);

    private final GraphCalls calls;
    private final SyncRun run;
    private final String workbook;
    private final Duration pollInitial;
    private String id;

    private WorkbookSession(GraphCalls calls, SyncRun run, String workbook, Duration pollInitial) {
        this.calls = calls;
        this.run = run;
        this.workbook = workbook;
        this.pollInitial = pollInitial;
    }

    /**
     * @param workbook    the workbook's address ({@code …/items/{id}/workbook})
     * @param pollInitial the first wait before a 202's operation is polled
     */
    static WorkbookSession open(GraphCalls calls, SyncRun run, String workbook, Duration pollInitial) {
        WorkbookSession session = new WorkbookSession(calls, run, workbook, pollInitial);
        session.create();
        return session;
    }

    /** GETs in this session (each holding one of the sync's workbook permits while in flight). */
    GraphGet graph() {
        return pathOrLink -> {
            try {
                return current().get(pathOrLink);
            } catch (GraphApiException e) {
                if (id == null || !expired(e)) {
                    throw e;
                }
                LOG.debug("sync {}: workbook session expired ({}), creating another", run.syncId(), e.reason());
                create();
                return current().get(pathOrLink);
            }
        };
    }

    private GraphGet current() {
        return calls.of(run.request().connection(), run, id == null ? Map.of() : Map.of(HEADER, id))
                .holding(run.workbookCalls());
    }

    private void create() {
        try {
            GraphCalls.Answer answer = calls.post(run.request().connection(), run, workbook + "/createSession",
                    "{\"persistChanges\":false}", Map.of("Prefer", "respond-async"));
            id = answer.status() == 202 ? awaitOperation(answer.location()) : answer.json().path("id").asText(null);
        } catch (GraphCallException | SessionNotReadyException e) {
            // sessionless reads work too (Graph finds the workbook for each); if the workbook API refuses this file,
            // the reads say so
            LOG.debug("sync {}: no workbook session for {} ({}); reading without one", run.syncId(), workbook,
                    e.getMessage());
            id = null;
        }
    }

    /** Polls a 202's operation until it succeeded (the session's id), failed or took too long. */
    private String awaitOperation(String operation) {
        if (operation == null) {
            throw new SessionNotReadyException("createSession answered 202 without a Location");
        }
        GraphGet graph = calls.of(run.request().connection(), run);
        long deadline = System.nanoTime() + MAX_WAIT.toNanos();
        for (Duration wait = pollInitial; System.nanoTime() < deadline; wait = min(wait.multipliedBy(2), MAX_POLL)) {
            sleep(wait);
            JsonNode status = graph.get(operation);
            switch (status.path("status").asText("").toLowerCase(Locale.ROOT)) {
                case "succeeded" -> {
                    return graph.get(status.path("resourceLocation").asText()).path("id").asText(null);
                }
                case "failed" -> throw new SessionNotReadyException("createSession failed: "
                        + status.path("error").path("code").asText("") + " "
                        + status.path("error").path("message").asText(""));
                default -> {
                    // notStarted, running: poll again
                }
            }
        }
        throw new SessionNotReadyException("createSession still running after " + MAX_WAIT.toMinutes() + " min");
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static void sleep(Duration wait) {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SessionNotReadyException("interrupted while waiting for createSession");
        }
    }

    /** No session to use: the reads go without one. */
    private static final class SessionNotReadyException extends RuntimeException {
        SessionNotReadyException(String message) {
            super(message);
        }
    }

    /** Graph's answer for a session it no longer has: 404 with an {@code invalidSession…} code. */
    static boolean expired(GraphApiException e) {
        return e.status() == 404 && (startsWithInvalidSession(e.code()) || startsWithInvalidSession(e.innerCode()));
    }

    private static boolean startsWithInvalidSession(String code) {
        return code != null && code.toLowerCase(Locale.ROOT).startsWith("invalidsession");
    }

    /** Closes the session (best effort: an unclosed non-persistent session expires by itself in minutes). */
    @Override
    public void close() {
        if (id == null) {
            return;
        }
        try {
            calls.post(run.request().connection(), run, workbook + "/closeSession", "{}", Map.of(HEADER, id));
        } catch (RuntimeException e) {
            LOG.debug("sync {}: closing the workbook session of {} failed ({}); it expires by itself",
                    run.syncId(), workbook, e.getMessage());
        }
    }
}

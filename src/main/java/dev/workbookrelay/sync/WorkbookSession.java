package dev.workbookrelay.sync;

import dev.workbookrelay.graph.GraphGet;
import dev.workbookrelay.graphcall.GraphCalls;
import dev.workbookrelay.nango.GraphApiException;
import dev.workbookrelay.nango.GraphCallException;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A non-persistent Excel session for reading one workbook's rows ({@code createSession} with
 * {@code persistChanges: false}): Graph keeps the workbook open between the block reads instead of finding it again
 * for each, and nothing the relay does can change the file. Its id goes to Graph as {@code workbook-session-id}
 * (through Nango as {@code Nango-Proxy-workbook-session-id}). A session that expired is created again and the call
 * repeated once; a workbook Graph gives no session is read without one.
 */
final class WorkbookSession implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WorkbookSession.class);
    static final String HEADER = "workbook-session-id";

    private final GraphCalls calls;
    private final SyncRun run;
    private final String workbook;
    private String id;

    private WorkbookSession(GraphCalls calls, SyncRun run, String workbook) {
        this.calls = calls;
        this.run = run;
        this.workbook = workbook;
    }

    /** @param workbook the workbook's address ({@code …/items/{id}/workbook}) */
    static WorkbookSession open(GraphCalls calls, SyncRun run, String workbook) {
        WorkbookSession session = new WorkbookSession(calls, run, workbook);
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
            id = calls.post(run.request().connection(), run, workbook + "/createSession",
                    "{\"persistChanges\":false}", Map.of()).path("id").asText(null);
        } catch (GraphCallException e) {
            // sessionless reads work too (Graph finds the workbook for each); if the workbook API refuses this file,
            // the reads say so
            LOG.debug("sync {}: no workbook session for {} ({}); reading without one", run.syncId(), workbook,
                    e.getMessage());
            id = null;
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

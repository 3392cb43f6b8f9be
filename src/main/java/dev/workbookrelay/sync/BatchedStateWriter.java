package dev.workbookrelay.sync;

import dev.workbookrelay.state.JdbcSyncState;
import dev.workbookrelay.state.JdbcSyncState.Cursor;
import dev.workbookrelay.state.JdbcSyncState.WorkbookWrite;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes the state of one sync's published workbooks in batches: one transaction per checkpoint (about a delta
 * page) instead of one per workbook. A workbook's write arrives here only once Kafka has acknowledged its events,
 * and it reaches the database with or before any checkpoint past its page, so a sync that dies resumes at a page
 * whose earlier workbooks are all stored (what was acknowledged but not yet written is published again, same ids).
 * Until written, the sync reads a workbook's state from here ({@link #waiting}).
 */
final class BatchedStateWriter {

    private final JdbcSyncState state;
    private final SyncRun run;
    private final int maxWaiting;
    private final Map<String, WorkbookWrite> waiting = new LinkedHashMap<>();

    BatchedStateWriter(JdbcSyncState state, SyncRun run, int maxWaiting) {
        this.state = state;
        this.run = run;
        this.maxWaiting = maxWaiting;
    }

    /**
     * A workbook's events are acknowledged: its write ({@code null} when there is nothing to store) waits for the
     * next batch. {@code page} is the delta page it came from (-1 when not from a delta page): when that completes
     * every item of the pages before some page, the batch is written now with that page's link as the checkpoint.
     */
    synchronized void acknowledged(WorkbookWrite write, long page) {
        if (write != null) {
            waiting.merge(write.workbookId(), write, WorkbookWrite::then);
        }
        String checkpoint = page < 0 ? null : run.progress().finished(page);
        if (checkpoint != null) {
            write(new Cursor(checkpoint, false, run.enumerationId(), run.snapshot()));
        } else if (waiting.size() >= maxWaiting) {
            write(null);
        }
    }

    /** The write of this workbook not yet in the database, or {@code null}. */
    synchronized WorkbookWrite waiting(String workbookId) {
        return waiting.get(workbookId);
    }

    /** Writes what waits: at the end of the items, and when a sync fails (what Kafka acknowledged is kept). */
    synchronized void flush() {
        write(null);
    }

    private void write(Cursor checkpoint) {
        state.apply(run.request().stateKey(), waiting.values(), checkpoint);
        waiting.clear();
    }
}

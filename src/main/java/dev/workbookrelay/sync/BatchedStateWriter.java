package dev.workbookrelay.sync;

import dev.workbookrelay.state.JdbcSyncState;
import dev.workbookrelay.state.JdbcSyncState.Cursor;
import dev.workbookrelay.state.JdbcSyncState.FolderWrite;
import dev.workbookrelay.state.JdbcSyncState.WorkbookWrite;
import dev.workbookrelay.state.SourceLeases;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one writer of a sync's state: workbooks, folders, checkpoints and, at the end, the deletions and the delta
 * link, each write only while the sync still holds its source's lease. Writes go in batches: one transaction per checkpoint (about a delta page) instead of one per workbook. A
 * workbook's write arrives here only once Kafka has acknowledged its events, and it reaches the database with or
 * before any checkpoint past its page, so a sync that dies resumes at a page whose earlier items are all stored
 * (what was acknowledged but not yet written is published again, same ids). Until written, the sync reads a
 * workbook's state from here ({@link #waiting}).
 */
final class BatchedStateWriter {

    private final JdbcSyncState state;
    private final String sourceKey;
    private final DriveEnumeration enumeration;
    private final int maxWaiting;
    private final SourceLeases.Lease lease;
    private final Map<String, WorkbookWrite> waiting = new LinkedHashMap<>();
    private final Map<String, FolderWrite> waitingFolders = new LinkedHashMap<>();

    /** {@code lease}: the source's, which every write checks (null: no check). */
    BatchedStateWriter(JdbcSyncState state, String sourceKey, DriveEnumeration enumeration, int maxWaiting,
            SourceLeases.Lease lease) {
        this.state = state;
        this.sourceKey = sourceKey;
        this.enumeration = enumeration;
        this.maxWaiting = maxWaiting;
        this.lease = lease;
    }

    /**
     * An item's events are acknowledged: its write ({@code null} when there is nothing to store) waits for the next
     * batch. {@code page} is the delta page it came from (-1 when not from a delta page): when that completes every
     * item of the pages before some page, the batch is written now with that page's link as the checkpoint.
     */
    synchronized void acknowledged(WorkbookWrite write, FolderWrite folder, long page) {
        if (write != null) {
            waiting.merge(write.workbookId(), write, WorkbookWrite::then);
        }
        if (folder != null) {
            waitingFolders.put(folder.folderId(), folder);
        }
        String checkpoint = page < 0 ? null : enumeration.progress().finished(page);
        if (checkpoint != null) {
            write(new Cursor(checkpoint, false, enumeration.enumerationId(), enumeration.snapshot()));
        } else if (waiting.size() + waitingFolders.size() >= maxWaiting) {
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

    /**
     * The sync is complete: forgets the workbooks reconciliation published as deleted, stores the delta link for
     * next time (a sync without one, e.g. of a single workbook, keeps the cursor it had) and records the requests
     * the sync stood for as done, together.
     */
    synchronized void complete(Collection<String> deletedWorkbooks, String deltaLink, Collection<String> requests) {
        deletedWorkbooks.forEach(id -> waiting.put(id, WorkbookWrite.delete(id)));
        write(deltaLink == null ? null : new Cursor(deltaLink, true, null), requests);
    }

    private void write(Cursor cursor) {
        write(cursor, List.of());
    }

    private void write(Cursor cursor, Collection<String> requestsDone) {
        state.apply(sourceKey, List.copyOf(waiting.values()), List.copyOf(waitingFolders.values()), cursor, lease,
                requestsDone);
        waiting.clear();
        waitingFolders.clear();
    }
}

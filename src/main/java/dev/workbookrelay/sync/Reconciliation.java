package dev.workbookrelay.sync;

import dev.workbookrelay.events.WorkbookImage;
import dev.workbookrelay.events.WorksheetImage;
import dev.workbookrelay.publish.EventBatch;
import dev.workbookrelay.state.JdbcSyncState;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.camel.ExchangeProperty;

/**
 * The end of a sync: after an enumeration from scratch (first, full, or after a 410) every workbook in state that
 * it did not return is gone and is published as deleted; then the state is completed (those deletions and the
 * delta link for next time).
 */
public final class Reconciliation {

    /** Gone workbooks read from state at once. */
    private static final int PAGE = 500;

    private final JdbcSyncState state;
    private final WorkbookDiff diff;
    private final RowSync rowSync;

    public Reconciliation(JdbcSyncState state, WorkbookDiff diff, RowSync rowSync) {
        this.state = state;
        this.diff = diff;
        this.rowSync = rowSync;
    }

    /**
     * The deletions the enumeration implies, one batch per workbook, read from state a page at a time as the split
     * streams them.
     */
    public Iterator<EventBatch> deletions(@ExchangeProperty(SyncRun.PROPERTY) SyncRun run) {
        DriveEnumeration enumeration = run.enumeration();
        if (enumeration.enumerationId() == null || run.request().workbookId() != null) {
            return Collections.emptyIterator();
        }
        String key = run.request().stateKey();
        return new Iterator<>() {
            private Iterator<WorkbookImage> page = Collections.emptyIterator();
            private String after = "";
            private boolean last;

            @Override
            public boolean hasNext() {
                if (!page.hasNext() && !last) {
                    List<WorkbookImage> next = state.workbooksNotSeenIn(key, enumeration.enumerationId(), after,
                            PAGE);
                    last = next.size() < PAGE;
                    after = next.isEmpty() ? after : next.get(next.size() - 1).id();
                    page = next.iterator();
                }
                return page.hasNext();
            }

            @Override
            public EventBatch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                WorkbookImage gone = page.next();
                enumeration.reconciledDeletion(gone.id());
                List<WorksheetImage> sheets = state.worksheets(key, gone.id());
                rowSync.gone(run, gone, sheets);
                return new ItemChanges(run, diff.diff(run.request().sourceRef(), gone, sheets, null, List::of, false,
                        false).events(), null, null);
            }
        };
    }

    /** Deletes from state what {@link #deletions} published and stores the delta link for next time, together. */
    public void complete(@ExchangeProperty(SyncRun.PROPERTY) SyncRun run) {
        DriveEnumeration enumeration = run.enumeration();
        enumeration.writer().complete(enumeration.reconciledDeletions(), enumeration.deltaLink(),
                run.request().requestIds());
    }
}

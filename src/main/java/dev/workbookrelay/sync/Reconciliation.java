package dev.workbookrelay.sync;

import dev.workbookrelay.events.WorkbookImage;
import dev.workbookrelay.publish.EventBatch;
import dev.workbookrelay.state.JdbcSyncState;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.ExchangeProperty;

/**
 * The end of a sync: after an enumeration from scratch (first, full, or after a 410) every workbook in state that
 * it did not return is gone and is published as deleted; then the state is completed (those deletions and the
 * delta link for next time).
 */
public final class Reconciliation {

    private final JdbcSyncState state;
    private final WorkbookDiff diff;

    public Reconciliation(JdbcSyncState state, WorkbookDiff diff) {
        this.state = state;
        this.diff = diff;
    }

    /** The deletions the enumeration implies, one batch per workbook. */
    public List<EventBatch> deletions(@ExchangeProperty(SyncRun.PROPERTY) SyncRun run) {
        DriveEnumeration enumeration = run.enumeration();
        if (enumeration.enumerationId() == null || run.request().workbookId() != null) {
            return List.of();
        }
        String key = run.request().stateKey();
        List<EventBatch> deletions = new ArrayList<>();
        for (WorkbookImage gone : state.workbooksNotSeenIn(key, enumeration.enumerationId())) {
            deletions.add(new ItemChanges(run, diff.diff(run.request().sourceRef(), gone, state.worksheets(key,
                    gone.id()), null, List::of, false).events(), null, null));
            enumeration.reconciledDeletion(gone.id());
        }
        return deletions;
    }

    /** Deletes from state what {@link #deletions} published and stores the delta link for next time, together. */
    public void complete(@ExchangeProperty(SyncRun.PROPERTY) SyncRun run) {
        DriveEnumeration enumeration = run.enumeration();
        enumeration.writer().complete(enumeration.reconciledDeletions(), enumeration.deltaLink(),
                run.request().requestIds());
    }
}

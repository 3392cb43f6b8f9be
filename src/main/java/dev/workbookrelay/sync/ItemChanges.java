package dev.workbookrelay.sync;

import dev.workbookrelay.events.CloudEvent;
import dev.workbookrelay.publish.EventBatch;
import dev.workbookrelay.state.JdbcSyncState.FolderWrite;
import dev.workbookrelay.state.JdbcSyncState.WorkbookWrite;
import java.util.List;

/**
 * What one drive item yields: the events to publish, and the state they stand for, stored only once Kafka has
 * acknowledged the events ({@code null} when there is nothing to store). A folder renamed, moved or deleted also
 * carries the writes of the workbooks stored below it ({@code below}).
 */
record ItemChanges(SyncRun run, List<CloudEvent> events, WorkbookWrite workbook, FolderWrite folder,
        List<WorkbookWrite> below) implements EventBatch {

    ItemChanges(SyncRun run, List<CloudEvent> events, WorkbookWrite workbook, FolderWrite folder) {
        this(run, events, workbook, folder, List.of());
    }

    static ItemChanges none(SyncRun run) {
        return new ItemChanges(run, List.of(), null, null);
    }

    @Override
    public void acknowledged() {
        run.eventsAcknowledged(events.size());
    }
}

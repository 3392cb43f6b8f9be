package dev.workbookrelay.sync;

import dev.workbookrelay.events.WorkbookImage;
import dev.workbookrelay.graph.DriveItem;
import dev.workbookrelay.graph.Identity;
import dev.workbookrelay.state.JdbcSyncState;
import dev.workbookrelay.state.JdbcSyncState.StoredWorkbook;
import dev.workbookrelay.state.JdbcSyncState.WorkbookWrite;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The workbooks of a source whose worksheets could not be read by an earlier sync: after the delta's own items,
 * each is read again, as the drive last described it (the delta lists a workbook only when it changes, so it would
 * never come back by itself). One the delta listed meanwhile, and read, is no longer pending and is passed over.
 */
final class PendingSheets {

    private final Deque<String> ids = new ArrayDeque<>();
    private final JdbcSyncState state;
    private final String sourceKey;
    private final DriveEnumeration enumeration;

    PendingSheets(JdbcSyncState state, String sourceKey, DriveEnumeration enumeration) {
        this.state = state;
        this.sourceKey = sourceKey;
        this.enumeration = enumeration;
        state.sheetsPending(sourceKey).forEach(image -> ids.add(image.id()));
    }

    /** The next workbook still pending now, as a drive item; null when none is left. */
    DriveItem next() {
        while (!ids.isEmpty()) {
            String id = ids.poll();
            WorkbookWrite waiting = enumeration.writer().waiting(id);
            StoredWorkbook stored = waiting != null ? waiting.asStored() : state.stored(sourceKey, id).orElse(null);
            if (stored != null && stored.sheetsPending()) {
                return asListed(stored.image());
            }
        }
        return null;
    }

    /** The workbook as the delta last listed it (what its stored image says). */
    private static DriveItem asListed(WorkbookImage image) {
        WorkbookImage.Modifier by = image.lastModifiedBy();
        return new DriveItem(image.id(), image.name(), image.size(), image.webUrl(), image.eTag(), image.cTag(),
                image.createdDateTime(), image.lastModifiedDateTime(),
                by == null ? null : new Identity(by.displayName(), by.email(), by.id()), image.driveId(),
                image.parentId(), image.parentPath(), DriveItem.XLSX_MIME_TYPE, true, false, false, false);
    }
}

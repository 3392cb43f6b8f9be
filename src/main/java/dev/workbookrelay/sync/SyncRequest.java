package dev.workbookrelay.sync;

import dev.workbookrelay.events.SourceRef;
import dev.workbookrelay.graph.DriveRef;
import dev.workbookrelay.nango.NangoConnection;

/**
 * A request to sync one source now, from its schedule or from a message on the sync-requests topic.
 *
 * @param source     the name used in events and status (defaults to the connection id)
 * @param folder     only workbooks below this drive folder ({@code /Finance}); null for the whole drive
 * @param workbookId only this workbook; null for all
 * @param trigger    {@code schedule} or {@code request}
 * @param full       re-enumerate and publish snapshots of everything (deletions reconciled)
 * @param startFromLatest on a source's first sync, start from "now" ({@code token=latest}) instead of a full read
 */
public record SyncRequest(
        String source,
        NangoConnection connection,
        DriveRef drive,
        String folder,
        String workbookId,
        String requestId,
        String trigger,
        boolean full,
        boolean startFromLatest) {

    public static final String SCHEDULE = "schedule";
    public static final String REQUEST = "request";

    /** Names this source's stored state: one delta link per connection, drive and folder. */
    public String stateKey() {
        return connection.providerConfigKey() + "/" + connection.connectionId() + "/" + drive.name()
                + (folder == null ? "" : ":" + folder);
    }

    public SourceRef sourceRef() {
        return new SourceRef(source, connection.providerConfigKey(), connection.connectionId(), drive.name());
    }

    /** True when the folder filter admits a workbook whose folder is {@code parentPath}. */
    public boolean inFolder(String parentPath) {
        if (folder == null) {
            return true;
        }
        if (parentPath == null) {
            return false;
        }
        return parentPath.equalsIgnoreCase(folder) || parentPath.toLowerCase(java.util.Locale.ROOT)
                .startsWith(folder.toLowerCase(java.util.Locale.ROOT) + "/");
    }
}

package dev.workbookrelay.sync;

import dev.workbookrelay.events.SourceRef;
import dev.workbookrelay.graph.DriveRef;
import dev.workbookrelay.nango.NangoConnection;
import dev.workbookrelay.rows.RowOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A request to sync one source now, from its schedule or from a message on the sync-requests topic.
 *
 * @param source     the name used in events and status (defaults to the connection id)
 * @param folder     only workbooks below this drive folder ({@code /Finance}); null for the whole drive
 * @param workbookId only this workbook; null for all
 * @param trigger    {@code schedule} or {@code request}
 * @param full       re-enumerate and publish snapshots of everything (deletions reconciled)
 * @param startFromLatest on a source's first sync, start from "now" ({@code token=latest}) instead of a full read
 * @param coalescedRequestIds requests that came while this source was syncing, merged into this one
 * @param rows       which worksheets' rows are published, and how rows are named
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
        boolean startFromLatest,
        List<String> coalescedRequestIds,
        RowOptions rows) {

    public static final String SCHEDULE = "schedule";
    public static final String REQUEST = "request";

    public SyncRequest {
        coalescedRequestIds = List.copyOf(coalescedRequestIds);
        rows = rows == null ? RowOptions.NONE : rows;
    }

    public SyncRequest(String source, NangoConnection connection, DriveRef drive, String folder, String workbookId,
            String requestId, String trigger, boolean full, boolean startFromLatest) {
        this(source, connection, drive, folder, workbookId, requestId, trigger, full, startFromLatest, List.of(),
                RowOptions.NONE);
    }

    /**
     * This request and a later one of the same source as one sync that does what both asked: the whole drive
     * unless both name the same workbook, everything again ({@code full}) if either asked for it, and the later's
     * rows unless it asked for none.
     */
    public SyncRequest coalescedWith(SyncRequest later) {
        if (!stateKey().equals(later.stateKey())) {
            throw new IllegalArgumentException("requests of different sources: " + stateKey() + ", "
                    + later.stateKey());
        }
        List<String> ids = new ArrayList<>(coalescedRequestIds);
        for (String id : later.requestIds()) {
            if (!id.equals(requestId) && !ids.contains(id)) { // the same request delivered twice is one request
                ids.add(id);
            }
        }
        return new SyncRequest(source, connection, drive, folder,
                Objects.equals(workbookId, later.workbookId()) ? workbookId : null, requestId, trigger,
                full || later.full(), startFromLatest, ids, later.rows().enabled() ? later.rows() : rows);
    }

    /** The same request, under the name of the configured source it is for. */
    public SyncRequest named(String sourceName) {
        return new SyncRequest(sourceName, connection, drive, folder, workbookId, requestId, trigger, full,
                startFromLatest, coalescedRequestIds, rows);
    }

    /** The same request, publishing these rows. */
    public SyncRequest withRows(RowOptions rowOptions) {
        return new SyncRequest(source, connection, drive, folder, workbookId, requestId, trigger, full,
                startFromLatest, coalescedRequestIds, rowOptions);
    }

    /** The ids of the requests this sync stands for: its own and those merged into it. */
    public List<String> requestIds() {
        List<String> ids = new ArrayList<>();
        ids.add(requestId);
        ids.addAll(coalescedRequestIds);
        return ids;
    }

    /**
     * Names this source's stored state: one delta link per connection, drive and folder. Folder names are not case
     * sensitive in OneDrive and SharePoint, so neither is the key: {@code /Finance} and {@code /finance} are one
     * source.
     */
    public String stateKey() {
        return connection.providerConfigKey() + "/" + connection.connectionId() + "/" + drive.name()
                + (folder == null ? "" : ":" + folder.toLowerCase(java.util.Locale.ROOT));
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

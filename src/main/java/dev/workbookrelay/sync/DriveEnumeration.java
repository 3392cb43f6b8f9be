package dev.workbookrelay.sync;

import dev.workbookrelay.graph.FolderPaths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;

/**
 * Where one sync is in its drive: how it reads it ({@link SyncMode}, snapshot or changes), the enumeration its
 * workbooks are marked seen in, the folders learnt, which pages are done, the state waiting to be written, and at
 * the end the delta link and the deletions reconciliation found.
 */
final class DriveEnumeration {

    private volatile SyncMode mode;
    private final boolean snapshot;
    private volatile String enumerationId;
    private final FolderPaths folders = new FolderPaths();
    private final EnumerationProgress progress;
    private final Semaphore workers;
    private volatile BatchedStateWriter writer;
    private volatile SeenItems unstoredSource;
    private volatile String deltaLink;
    private final List<String> reconciledDeletions = new ArrayList<>();

    /**
     * @param enumerationId set while enumerating from scratch: workbooks seen are marked with it, for reconciliation
     * @param maxInFlight   items of the enumeration processed at once, from listing to state written
     * @param maxWorking    items of the enumeration on a workbook thread at once (reading and diffing, before their
     *                      events are handed to Kafka): a sync's share of the threads all syncs use
     */
    DriveEnumeration(SyncMode mode, boolean snapshot, String enumerationId, int maxInFlight, int maxWorking) {
        this.mode = mode;
        this.snapshot = snapshot;
        this.enumerationId = enumerationId;
        this.progress = new EnumerationProgress(maxInFlight);
        this.workers = new Semaphore(maxWorking);
    }

    SyncMode mode() {
        return mode;
    }

    /** True when every workbook is published as an {@code r} snapshot rather than as changes. */
    boolean snapshot() {
        return snapshot;
    }

    String enumerationId() {
        return enumerationId;
    }

    /** Graph no longer honours the link: enumerate afresh, marking what is seen with {@code newEnumerationId}. */
    void resync(String newEnumerationId) {
        mode = SyncMode.RESYNC;
        enumerationId = newEnumerationId;
    }

    /** A snapshot cut short and resumed: what it wrote before is done, the rest is published as snapshots again. */
    boolean resumedSnapshot() {
        return snapshot && mode == SyncMode.RESUME;
    }

    FolderPaths folders() {
        return folders;
    }

    EnumerationProgress progress() {
        return progress;
    }

    /**
     * Permits for the enumeration's items on workbook threads: taken before an item is handed out, given back once
     * its changes are known. Without it a sync with a huge drive could fill every shared thread with its items
     * waiting for its own Graph permits, and starve the other syncs.
     */
    Semaphore workers() {
        return workers;
    }

    BatchedStateWriter writer() {
        return writer;
    }

    void writer(BatchedStateWriter writer) {
        this.writer = writer;
    }

    /** Set when the sync began with nothing stored for its source: the items it has handed out so far. */
    SeenItems unstoredSource() {
        return unstoredSource;
    }

    void unstoredSource(SeenItems seen) {
        this.unstoredSource = seen;
    }

    String deltaLink() {
        return deltaLink;
    }

    void deltaLink(String deltaLink) {
        this.deltaLink = deltaLink;
    }

    synchronized void reconciledDeletion(String workbookId) {
        reconciledDeletions.add(workbookId);
    }

    synchronized List<String> reconciledDeletions() {
        return List.copyOf(reconciledDeletions);
    }
}

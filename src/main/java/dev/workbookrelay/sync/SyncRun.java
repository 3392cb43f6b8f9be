package dev.workbookrelay.sync;

import dev.workbookrelay.events.SyncStatus;
import dev.workbookrelay.nango.GraphCallException;
import dev.workbookrelay.nango.NangoProxyException;
import dev.workbookrelay.graph.FolderPaths;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/** One sync in progress: what it was asked, what it has done so far, and how it ended. Shared by its split branches. */
public final class SyncRun {

    /** Exchange property under which the run travels through the pipeline. */
    public static final String PROPERTY = "workbookRelaySyncRun";

    private final SyncRequest request;
    private final String syncId = UUID.randomUUID().toString();
    private final Instant startedAt = Instant.now();
    private final AtomicInteger pages = new AtomicInteger();
    private final AtomicInteger workbooks = new AtomicInteger();
    private final AtomicInteger worksheets = new AtomicInteger();
    private final AtomicInteger graphCalls = new AtomicInteger();
    private final AtomicInteger events = new AtomicInteger();
    private volatile SyncStatus.Error error;
    private final FolderPaths folders = new FolderPaths();
    private final List<String> reconciledDeletions = new ArrayList<>();
    private final List<SyncStatus.Skipped> skipped = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final EnumerationProgress progress;
    private final Semaphore workbookCalls;
    private volatile String mode = "snapshot";
    private volatile boolean snapshot;
    private volatile String enumerationId;
    private volatile String deltaLink;
    private volatile BatchedStateWriter stateWriter;
    private volatile SeenItems unstoredSource;

    /**
     * {@code concurrency}: workbook Graph requests of this sync in flight at once; {@code maxInFlight}: items of the
     * enumeration processed at once, from listing to state written.
     */
    public SyncRun(SyncRequest request, int concurrency, int maxInFlight) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1: " + concurrency);
        }
        this.request = request;
        this.workbookCalls = new Semaphore(concurrency);
        this.progress = new EnumerationProgress(maxInFlight);
    }

    /**
     * Permits for the workbooks' Graph requests, one held per request while it is in flight (retries included):
     * the sync's Graph concurrency. A workbook's other work (state, diff, events) holds none, so it never keeps
     * another workbook's request waiting. The listing's own page requests are not counted.
     */
    Semaphore workbookCalls() {
        return workbookCalls;
    }

    public SyncRequest request() {
        return request;
    }

    public String syncId() {
        return syncId;
    }

    public void pageFetched() {
        pages.incrementAndGet();
    }

    public void graphCalled() {
        graphCalls.incrementAndGet();
    }

    public void workbookSeen() {
        workbooks.incrementAndGet();
    }

    public void worksheetsSeen(int count) {
        worksheets.addAndGet(count);
    }

    /** snapshot (first sync), full (asked for), incremental, resume (from a checkpoint), resync (after 410), single. */
    public String mode() {
        return mode;
    }

    public void mode(String mode) {
        this.mode = mode;
    }

    /** True when every workbook is published as an {@code r} snapshot rather than as changes. */
    public boolean snapshot() {
        return snapshot;
    }

    public void snapshot(boolean snapshot) {
        this.snapshot = snapshot;
    }

    /** Set while enumerating from scratch: workbooks seen are marked with it, for reconciliation at the end. */
    public String enumerationId() {
        return enumerationId;
    }

    public void enumerationId(String enumerationId) {
        this.enumerationId = enumerationId;
    }

    public FolderPaths folders() {
        return folders;
    }

    public String deltaLink() {
        return deltaLink;
    }

    public void deltaLink(String deltaLink) {
        this.deltaLink = deltaLink;
    }

    public void reconciledDeletion(String workbookId) {
        reconciledDeletions.add(workbookId);
    }

    public List<String> reconciledDeletions() {
        return reconciledDeletions;
    }

    public void eventsPublished(int count) {
        events.addAndGet(count);
    }

    /** A workbook Graph refused to show: left out of this sync, named in its status. */
    public void skipped(String workbookId, String name, Integer status, String reason) {
        skipped.add(new SyncStatus.Skipped(workbookId, name, status, reason));
    }

    EnumerationProgress progress() {
        return progress;
    }

    BatchedStateWriter stateWriter() {
        return stateWriter;
    }

    void stateWriter(BatchedStateWriter stateWriter) {
        this.stateWriter = stateWriter;
    }

    /** Set when the sync began with nothing stored for its source: the items it has handed out so far. */
    SeenItems unstoredSource() {
        return unstoredSource;
    }

    void unstoredSource(SeenItems seen) {
        this.unstoredSource = seen;
    }

    public int workbooks() {
        return workbooks.get();
    }

    public int events() {
        return events.get();
    }

    public int pages() {
        return pages.get();
    }

    public void failed(Throwable cause) {
        Throwable t = cause;
        while (t != null && !(t instanceof GraphCallException) && !(t instanceof InvalidSyncRequestException)
                && t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        if (t instanceof GraphCallException call) {
            error = new SyncStatus.Error(call instanceof NangoProxyException ? "nango" : "graph", call.status(),
                    call.code(), call.reason());
        } else {
            Throwable shown = t == null ? cause : t;
            error = new SyncStatus.Error("relay", null, shown.getClass().getSimpleName(), String.valueOf(shown
                    .getMessage()));
        }
    }

    public SyncStatus.Error error() {
        return error;
    }

    public SyncStatus status() {
        Instant finishedAt = Instant.now();
        var connection = request.connection();
        return new SyncStatus(syncId, request.requestId(), request.trigger(), mode, request.source(),
                connection.providerConfigKey(), connection.connectionId(), request.drive().name(), request.folder(),
                request.workbookId(), startedAt.toString(), finishedAt.toString(),
                finishedAt.toEpochMilli() - startedAt.toEpochMilli(), pages.get(), workbooks.get(), worksheets.get(),
                graphCalls.get(), events.get(), error == null ? SyncStatus.SUCCEEDED : SyncStatus.FAILED, error,
                List.copyOf(skipped));
    }
}

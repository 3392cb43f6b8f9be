package dev.workbookrelay.sync;

import dev.workbookrelay.events.SyncStatus;
import dev.workbookrelay.graphcall.GraphCallObserver;
import dev.workbookrelay.rows.SheetReader;
import dev.workbookrelay.state.SourceLeases;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One sync in progress, as its status event will tell it: what it was asked, what it has done so far, how it
 * ended. Shared by its split branches (exchange property {@link #PROPERTY}); where it is in the drive is its
 * {@link DriveEnumeration}.
 */
public final class SyncRun implements GraphCallObserver {

    /** Exchange property under which the run travels through the pipeline. */
    public static final String PROPERTY = "workbookRelaySyncRun";
    /** Skipped workbooks named in the status; beyond, only counted, so the status stays small. */
    static final int SKIPPED_LISTED = 100;

    private final SyncRequest request;
    private final String syncId = UUID.randomUUID().toString();
    private final Instant startedAt = Instant.now();
    private final Semaphore workbookCalls;
    private final AtomicInteger pages = new AtomicInteger();
    private final AtomicInteger workbooks = new AtomicInteger();
    private final AtomicInteger changed = new AtomicInteger();
    private final AtomicInteger unchanged = new AtomicInteger();
    private final AtomicInteger skippedCount = new AtomicInteger();
    private final AtomicInteger worksheets = new AtomicInteger();
    private final AtomicInteger graphCalls = new AtomicInteger();
    private final AtomicInteger events = new AtomicInteger();
    private final List<SyncStatus.Skipped> skipped = Collections.synchronizedList(new ArrayList<>());
    private final List<SyncStatus.RowKeyProblem> rowKeyProblems = Collections.synchronizedList(new ArrayList<>());
    private final SourceLeases.Lease lease;
    private volatile ScheduledFuture<?> renewal;
    private volatile DriveEnumeration enumeration;
    private volatile SyncStatus.Error error;

    /**
     * {@code concurrency}: workbook Graph requests of this sync in flight at once; {@code lease}: the source's,
     * held while the run lasts (its state writes check it).
     */
    SyncRun(SyncRequest request, int concurrency, SourceLeases.Lease lease) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1: " + concurrency);
        }
        this.request = request;
        this.workbookCalls = new Semaphore(concurrency);
        this.lease = lease;
    }

    SourceLeases.Lease lease() {
        return lease;
    }

    ScheduledFuture<?> renewal() {
        return renewal;
    }

    void renewal(ScheduledFuture<?> renewal) {
        this.renewal = renewal;
    }

    public SyncRequest request() {
        return request;
    }

    public String syncId() {
        return syncId;
    }

    /**
     * Permits for the workbooks' Graph requests, one held per request while it is in flight (retries included):
     * the sync's Graph concurrency. A workbook's other work (state, diff, events) holds none, so it never keeps
     * another workbook's request waiting. The listing's own page requests are not counted.
     */
    Semaphore workbookCalls() {
        return workbookCalls;
    }

    /** Where the sync is in the drive; null until the items are opened. */
    DriveEnumeration enumeration() {
        return enumeration;
    }

    void begin(DriveEnumeration enumeration) {
        this.enumeration = enumeration;
    }

    /** Every Graph call attempt of this sync that goes out. */
    @Override
    public void attempted() {
        graphCalls.incrementAndGet();
    }

    void pageRead() {
        pages.incrementAndGet();
    }

    /** A workbook the drive lists, read whole: changed (it yielded events) or not. */
    void workbookListed(boolean changes) {
        workbooks.incrementAndGet();
        (changes ? changed : unchanged).incrementAndGet();
    }

    void worksheetsSeen(int count) {
        worksheets.addAndGet(count);
    }

    void eventsAcknowledged(int count) {
        events.addAndGet(count);
    }

    /**
     * A workbook the drive lists whose worksheets could not be read: its own events go out, its worksheets are read
     * again next time. Named in the status (the first {@link #SKIPPED_LISTED}, the rest counted).
     *
     * @return how many workbooks this sync skipped so far
     */
    int skipped(String workbookId, String name, Integer status, String code, String reason) {
        workbooks.incrementAndGet();
        int count = skippedCount.incrementAndGet();
        if (count <= SKIPPED_LISTED) {
            skipped.add(new SyncStatus.Skipped(workbookId, name, status, code, reason));
        }
        return count;
    }

    /** A sheet whose key column could not name every row; listed in the status (the first hundred). */
    void rowKeyProblems(String workbookId, String worksheet, String rowKey, SheetReader.KeyProblems problems) {
        synchronized (rowKeyProblems) {
            if (rowKeyProblems.size() < SKIPPED_LISTED) {
                rowKeyProblems.add(new SyncStatus.RowKeyProblem(workbookId, worksheet, rowKey,
                        problems.keyColumnMissing(), problems.blank(), problems.duplicate()));
            }
        }
    }

    /** A copy of a list other threads add to (synchronized lists must be copied holding their lock). */
    private static <T> List<T> copyOf(List<T> synchronizedList) {
        synchronized (synchronizedList) {
            return List.copyOf(synchronizedList);
        }
    }

    int pages() {
        return pages.get();
    }

    int workbooks() {
        return workbooks.get();
    }

    int events() {
        return events.get();
    }

    void failed(Throwable cause) {
        error = SyncFailure.blame(cause);
    }

    public SyncStatus.Error error() {
        return error;
    }

    SyncStatus status() {
        Instant finishedAt = Instant.now();
        var connection = request.connection();
        SyncMode mode = enumeration == null ? SyncMode.SNAPSHOT : enumeration.mode();
        return new SyncStatus(syncId, request.requestId(), request.coalescedRequestIds(), request.trigger(), mode.label(), request.source(),
                connection.providerConfigKey(), connection.connectionId(), request.drive().name(), request.folder(),
                request.workbookId(), startedAt.toString(), finishedAt.toString(),
                finishedAt.toEpochMilli() - startedAt.toEpochMilli(), pages.get(), workbooks.get(), changed.get(),
                unchanged.get(), skippedCount.get(), worksheets.get(), graphCalls.get(), events.get(),
                error == null ? SyncStatus.SUCCEEDED : SyncStatus.FAILED, error, copyOf(skipped),
                copyOf(rowKeyProblems));
    }

}

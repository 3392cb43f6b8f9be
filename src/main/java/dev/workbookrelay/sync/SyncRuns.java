package dev.workbookrelay.sync;

import dev.workbookrelay.RelayMetrics;
import dev.workbookrelay.events.CloudEvent;
import dev.workbookrelay.events.SyncStatus;
import dev.workbookrelay.events.SyncStatusEvents;
import dev.workbookrelay.state.JdbcSyncState;
import dev.workbookrelay.state.SourceLeases;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The life of a sync as the {@code sync} route sees it: begun, perhaps failed, reported in its status event. */
public final class SyncRuns {

    private static final Logger LOG = LoggerFactory.getLogger(SyncRuns.class);

    private final int concurrency;
    private final SyncStatusEvents statusEvents;
    private final RelayMetrics metrics;
    private final JdbcSyncState state;
    private final SourceLeases leases;
    private final Duration leasePeriod;
    private final ScheduledExecutorService timer;

    /**
     * @param leasePeriod how long a source's lease lasts unless renewed; it is renewed every third of it, so a
     *                    dead instance's sources can be synced elsewhere after at most this long
     */
    public SyncRuns(int concurrency, SyncStatusEvents statusEvents, RelayMetrics metrics, JdbcSyncState state,
            SourceLeases leases, Duration leasePeriod, ScheduledExecutorService timer) {
        this.concurrency = concurrency;
        this.statusEvents = statusEvents;
        this.metrics = metrics;
        this.state = state;
        this.leases = leases;
        this.leasePeriod = leasePeriod;
        this.timer = timer;
    }

    /**
     * A new run of the requested source, holding the source's lease (renewed while the run lasts); or
     * {@link SourceBusyException} when another sync holds it, or {@link AlreadySyncedException} when every request
     * it stands for was synced already (the lease taken first, so that a sync of them that is just ending is seen).
     */
    public SyncRun begin(@Body SyncRequest request) {
        String key = request.stateKey();
        SourceLeases.Lease lease = leases.tryAcquire(key, leasePeriod)
                .orElseThrow(() -> new SourceBusyException(key, leases.holder(key).orElse(null)));
        if (state.done(request.requestIds()).containsAll(request.requestIds())) {
            leases.release(lease);
            LOG.info("requests {} of {} were synced already: not again", request.requestIds(), key);
            throw new AlreadySyncedException(key, request.requestIds());
        }
        SyncRun run = new SyncRun(request, concurrency, lease);
        long every = Math.max(1, leasePeriod.toMillis() / 3);
        run.renewal(timer.scheduleAtFixedRate(() -> renew(run), every, every, TimeUnit.MILLISECONDS));
        LOG.info("sync {} started: source={} connection={} drive={}{}{} trigger={} request={}", run.syncId(),
                request.source(), request.connection().connectionId(), request.drive().name(),
                request.folder() == null ? "" : " folder=" + request.folder(),
                request.workbookId() == null ? "" : " workbook=" + request.workbookId(), request.trigger(),
                request.requestId());
        return run;
    }

    /** The run is over, whichever way: its source's lease is given back. */
    public void release(@ExchangeProperty(SyncRun.PROPERTY) SyncRun run) {
        if (run == null) {
            return;
        }
        run.renewal().cancel(false);
        try {
            leases.release(run.lease());
        } catch (RuntimeException e) {
            LOG.warn("sync {}: the lease of {} could not be released; it runs out by itself in {} ms: {}",
                    run.syncId(), run.request().stateKey(), leasePeriod.toMillis(), e.getMessage());
        }
    }

    private void renew(SyncRun run) {
        try {
            if (!leases.renew(run.lease(), leasePeriod)) {
                LOG.warn("sync {}: the lease of {} was lost; the sync can write no more state and will fail",
                        run.syncId(), run.request().stateKey());
                run.renewal().cancel(false);
            }
        } catch (RuntimeException e) {
            LOG.warn("sync {}: the lease of {} could not be renewed ({}); trying again", run.syncId(),
                    run.request().stateKey(), e.getMessage());
        }
    }

    public void failed(@ExchangeProperty(SyncRun.PROPERTY) SyncRun run,
            @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Exception failure) {
        run.failed(failure);
    }

    /** The status event, whatever happened; logged and counted. */
    public CloudEvent finish(@ExchangeProperty(SyncRun.PROPERTY) SyncRun run) {
        SyncStatus status = run.status();
        metrics.syncFinished(status.outcome());
        if (status.error() == null) {
            metrics.sourceSucceeded(run.request().stateKey());
            LOG.info("sync {} succeeded: {} pages, {} workbooks ({} skipped), {} worksheets, {} Graph calls, {} events"
                    + " in {} ms", run.syncId(), status.pages(), status.workbooks(), status.skippedCount(),
                    status.worksheets(), status.graphCalls(), status.events(), status.durationMs());
        } else {
            LOG.warn("sync {} of {} failed after {} events: {}", run.syncId(), status.source(), status.events(),
                    status.error().reason());
        }
        return statusEvents.of(status);
    }
}

package dev.workbookrelay.sync;

import dev.workbookrelay.RelayMetrics;
import dev.workbookrelay.events.CloudEvent;
import dev.workbookrelay.events.SyncStatus;
import dev.workbookrelay.events.SyncStatusEvents;
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

    public SyncRuns(int concurrency, SyncStatusEvents statusEvents, RelayMetrics metrics) {
        this.concurrency = concurrency;
        this.statusEvents = statusEvents;
        this.metrics = metrics;
    }

    public SyncRun begin(@Body SyncRequest request) {
        SyncRun run = new SyncRun(request, concurrency);
        LOG.info("sync {} started: source={} connection={} drive={}{}{} trigger={} request={}", run.syncId(),
                request.source(), request.connection().connectionId(), request.drive().name(),
                request.folder() == null ? "" : " folder=" + request.folder(),
                request.workbookId() == null ? "" : " workbook=" + request.workbookId(), request.trigger(),
                request.requestId());
        return run;
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
            LOG.info("sync {} succeeded: {} pages, {} workbooks, {} worksheets, {} Graph calls, {} events in {} ms",
                    run.syncId(), status.pages(), status.workbooks(), status.worksheets(), status.graphCalls(),
                    status.events(), status.durationMs());
        } else {
            LOG.warn("sync {} of {} failed after {} events: {}", run.syncId(), status.source(), status.events(),
                    status.error().reason());
        }
        return statusEvents.of(status);
    }
}

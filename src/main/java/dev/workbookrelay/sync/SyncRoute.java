package dev.workbookrelay.sync;

import dev.workbookrelay.events.CloudEvent;
import dev.workbookrelay.events.SyncStatus;
import java.util.concurrent.ExecutorService;
import org.apache.camel.Exchange;
import org.apache.camel.util.concurrent.ThreadPoolRejectedPolicy;
import org.apache.camel.builder.ThreadPoolProfileBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one pipeline: a sync request in, workbook and worksheet events out, then one status event whatever
 * happened. Delta pages are split in streaming mode and their items processed in parallel
 * ({@code workbook-relay.sync.concurrency}); an item's state is written only after its events are acknowledged
 * by Kafka, a page is checkpointed once every item before it is done, and the delta link stored only at the end.
 */
public class SyncRoute extends RouteBuilder {

    public static final String ENDPOINT = "direct:sync";

    private static final Logger LOG = LoggerFactory.getLogger(SyncRoute.class);

    @Override
    public void configure() {
        RelayBeans beans = RelayBeans.of(getContext());
        DriveSync drive = new DriveSync(getContext().createProducerTemplate(), beans.state(),
                new WorkbookDiff(beans.workbookEvents), beans.pageSize);

        from(ENDPOINT).routeId("sync")
                .process(exchange -> begin(exchange, beans))
                .doTry()
                    .to("direct:sync-drive")
                .doCatch(Exception.class)
                    .process(exchange -> run(exchange).failed(exchange.getProperty(Exchange.EXCEPTION_CAUGHT,
                            Exception.class)))
                .end()
                .process(exchange -> finish(exchange, beans))
                .to(EventPublishRoute.ENDPOINT);

        // changed items, handed out in drive order and processed in parallel; a workbook's Graph requests go one at
        // a time (one in flight per workbook), and at most `concurrency` of the sync's are in flight
        // (SyncRun.workbookCalls). Twice as many threads as requests: while one thread diffs and publishes the
        // workbook it has just read, another's request already takes the freed Graph slot. Each item's events are
        // acknowledged before its state is written, in batches with the page checkpoints, and what waits is
        // written when the items end, whichever way
        int threads = beans.concurrency * 2;
        ExecutorService workbookThreads = getContext().getExecutorServiceManager().newThreadPool(this,
                "workbook-sync", new ThreadPoolProfileBuilder("workbook-sync").poolSize(threads)
                        .maxPoolSize(threads).maxQueueSize(threads * 2)
                        .rejectedPolicy(ThreadPoolRejectedPolicy.CallerRuns).build());
        from("direct:sync-drive").routeId("sync-drive")
                .errorHandler(noErrorHandler())
                .doTry()
                    .to("direct:sync-items")
                .doFinally()
                    .process(drive::flush)
                .end()
                .split(method(drive, "reconcile")).stopOnException()
                    .to(EventPublishRoute.BATCH_ENDPOINT)
                .end()
                .process(drive::complete);

        from("direct:sync-items").routeId("sync-items")
                .errorHandler(noErrorHandler())
                .split(method(drive, "items")).streaming().parallelProcessing().executorService(workbookThreads)
                        .stopOnException()
                    .to("direct:sync-item")
                .end();

        from("direct:sync-item").routeId("sync-item")
                .errorHandler(noErrorHandler())
                .doTry()
                    .setBody(method(drive, "changes"))
                    .to(EventPublishRoute.BATCH_ENDPOINT)
                    .process(drive::commit)
                .doFinally()
                    .process(drive::release)
                .end();
    }

    private static void begin(Exchange exchange, RelayBeans beans) {
        SyncRequest request = exchange.getMessage().getBody(SyncRequest.class);
        SyncRun run = new SyncRun(request, beans.concurrency, beans.maxInFlight);
        exchange.setProperty(SyncRun.PROPERTY, run);
        LOG.info("sync {} started: source={} connection={} drive={}{}{} trigger={} request={}", run.syncId(),
                request.source(), request.connection().connectionId(), request.drive().name(),
                request.folder() == null ? "" : " folder=" + request.folder(),
                request.workbookId() == null ? "" : " workbook=" + request.workbookId(), request.trigger(),
                request.requestId());
    }

    private static void finish(Exchange exchange, RelayBeans beans) {
        SyncRun run = run(exchange);
        SyncStatus status = run.status();
        beans.metrics.syncFinished(status.outcome());
        if (status.error() == null) {
            LOG.info("sync {} succeeded: {} pages, {} workbooks, {} worksheets, {} Graph calls, {} events in {} ms",
                    run.syncId(), status.pages(), status.workbooks(), status.worksheets(), status.graphCalls(),
                    status.events(), status.durationMs());
        } else {
            LOG.warn("sync {} of {} failed after {} events: {}", run.syncId(), status.source(), status.events(),
                    status.error().reason());
        }
        CloudEvent event = beans.statusEvents.of(status);
        exchange.getMessage().setBody(event);
    }

    static SyncRun run(Exchange exchange) {
        return exchange.getProperty(SyncRun.PROPERTY, SyncRun.class);
    }
}

package dev.workbookrelay.sync;

import dev.workbookrelay.RelaySettings;
import dev.workbookrelay.publish.EventPublishRoute;
import java.util.concurrent.ExecutorService;
import org.apache.camel.BeanInject;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.builder.ThreadPoolProfileBuilder;
import org.apache.camel.util.concurrent.ThreadPoolRejectedPolicy;

/**
 * The one pipeline: a sync request in, workbook, worksheet (and row) events out, then one status event whatever
 * happened.
 *
 * <pre>
 * Route map (→ calls; [Java] where the decision lives)
 *
 *  quartz tick (routes/workbook-source.camel.yaml;     integration tick (routes/nango-integration.camel.yaml)
 *  clustered on PostgreSQL [trigger/ClusteredSchedules])   │ its connections listed [trigger/NangoIntegrations]
 *        │                                                 │          Nango webhook (routes/nango-webhooks.camel.yaml)
 *  scheduled-sync ── request from the template's      integration-tick   nango-webhook ── signature, creation ──┐
 *        │           parameters by name                    │              [trigger/NangoWebhooks]                │
 *        └──────────────► sync-requests topic, keyed by source ◄─────────────────────────────────────────────────┘
 *                                  │ (routes/sync-requests.camel.yaml; offsets committed once handled
 *                                  │  [trigger/RequestOffsets])
 *                           sync-request ── parse [trigger/SyncRequestParser]; invalid → dead letter
 *                                  │ queued: many sources at once, merged per source [trigger/SyncQueue]
 *                              run-sync (a queue worker) ── a failed sync's requests → dead letters [events/DeadLetters]
 *                                  ▼
 *  sync ── begin: the source's lease, requests not done yet [SyncRuns] ── sync-drive ── status ──► publish-event
 *            failure blamed [SyncFailure]                                   │                    ── lease released
 *                                            ├─ sync-items: split(open [DriveItems]: where to start, 410 →
 *                                            │    resync [DeltaItems]) streaming, in parallel, a share of the threads
 *                                            │    └─ sync-item: changes [ItemSync, WorkbookDiff; 404/401/403 per
 *                                            │         workbook; rows of changed sheets and tables read
 *                                            │         (workbook API or download [WorkbookRowReader]), published
 *                                            │         and stored first [RowSync]] ──► publish-events ──► commit
 *                                            │         (state waits for the checkpoint [BatchedStateWriter]) ── release
 *                                            ├─ an item's failure fails the sync [ItemSync.failIfAnItemFailed]
 *                                            ├─ flush what waits, whichever way the items ended
 *                                            ├─ split(deletions [Reconciliation], paged) ──► publish-events
 *                                            └─ complete: deletions, delta link, requests done [BatchedStateWriter]
 *
 *  every Graph call: graph-get (retries [graphcall/GraphRetryPolicy]) → graph-attempt (pause, Nango-key
 *  breaker, per-connection budget, the instance's in-flight bound, the proxied GET, or POST of Excel's session
 *  actions [graphcall/ProxyCallSteps])
 * </pre>
 *
 * Delta pages are split in streaming mode and their items processed in parallel; an item's state is written only
 * after its events are acknowledged by Kafka, a page is checkpointed once every item before it is done, and the
 * delta link stored only at the end.
 */
public class SyncRoute extends RouteBuilder {

    public static final String ENDPOINT = "direct:sync";

    @BeanInject
    RelaySettings settings;
    @BeanInject
    SyncRuns runs;
    @BeanInject
    DriveItems items;
    @BeanInject
    ItemSync itemSync;
    @BeanInject
    Reconciliation reconciliation;

    @Override
    public void configure() {
        // a source busy elsewhere (its lease held) fails begin with SourceBusyException, quietly: the queue retries
        from(ENDPOINT).routeId("sync")
                .errorHandler(noErrorHandler())
                .setProperty(SyncRun.PROPERTY, method(runs, "begin"))
                .doTry()
                    .doTry()
                        .to("direct:sync-drive")
                    .doCatch(Exception.class)
                        .bean(runs, "failed")
                    .end()
                    .setBody(method(runs, "finish"))
                    .to(EventPublishRoute.ENDPOINT)
                .endDoTry()
                .doFinally()
                    .bean(runs, "release")
                .end();

        from("direct:sync-drive").routeId("sync-drive")
                .errorHandler(noErrorHandler())
                .doTry()
                    .to("direct:sync-items")
                    .bean(itemSync, "failIfAnItemFailed")
                .doFinally()
                    .bean(itemSync, "flush")
                .end()
                .split(method(reconciliation, "deletions")).streaming().stopOnException()
                    .to(EventPublishRoute.BATCH_ENDPOINT)
                .end()
                .bean(reconciliation, "complete");

        // changed items, handed out in drive order and processed in parallel; a workbook's Graph requests go one at
        // a time (one in flight per workbook), and at most `concurrency` of the sync's are in flight
        // (SyncRun.workbookCalls), at most graph.max-in-flight of all syncs'. The syncs running at once share the
        // workbook threads, each at most twice its concurrency (DriveEnumeration.workers): while one thread diffs
        // and publishes the workbook it has just read, another's request already takes the freed Graph slot, and
        // no sync can take the threads of the others. Each item's events are acknowledged before its state is
        // written, in batches with the page checkpoints, and what waits is written when the items end, whichever way
        int threads = settings.sync().maxConcurrentSyncs() * 2 * settings.sync().concurrency();
        ExecutorService workbookThreads = getContext().getExecutorServiceManager().newThreadPool(this,
                "workbook-sync", new ThreadPoolProfileBuilder("workbook-sync").poolSize(threads)
                        .maxPoolSize(threads).maxQueueSize(threads * 2)
                        .rejectedPolicy(ThreadPoolRejectedPolicy.CallerRuns).build());
        from("direct:sync-items").routeId("sync-items")
                .errorHandler(noErrorHandler())
                .split(method(items, "open")).streaming().parallelProcessing().executorService(workbookThreads)
                        .stopOnException()
                    .to("direct:sync-item")
                .end();

        from("direct:sync-item").routeId("sync-item")
                .errorHandler(noErrorHandler())
                .setProperty(PagedItem.PROPERTY, body())
                .doTry()
                    .bean(itemSync, "changes")
                    .to(EventPublishRoute.BATCH_ENDPOINT)
                    .bean(itemSync, "commit")
                .doCatch(Exception.class)
                    // the split stops on it: no more items handed out (nor drained by the splitter when it ends)
                    .bean(itemSync, "stopOnFailure")
                .doFinally()
                    .bean(itemSync, "release")
                .end();
    }
}

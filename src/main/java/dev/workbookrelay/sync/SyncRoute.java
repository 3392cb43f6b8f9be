package dev.workbookrelay.sync;

import dev.workbookrelay.events.CloudEvent;
import dev.workbookrelay.events.SyncStatus;
import dev.workbookrelay.events.WorkbookImage;
import dev.workbookrelay.events.WorksheetImage;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one pipeline: a sync request in, workbook and worksheet events out, then one status event whatever
 * happened. Pages, workbooks and worksheets are split in streaming mode, one at a time, in drive order.
 */
public class SyncRoute extends RouteBuilder {

    public static final String ENDPOINT = "direct:sync";

    private static final Logger LOG = LoggerFactory.getLogger(SyncRoute.class);

    @Override
    public void configure() {
        RelayBeans beans = RelayBeans.of(getContext());
        DriveWorkbooks drive = new DriveWorkbooks(getContext().createProducerTemplate(), beans.pageSize);

        from(ENDPOINT).routeId("sync")
                .process(SyncRoute::begin)
                .doTry()
                    .split(method(drive, "workbooks")).streaming().stopOnException()
                        .to("direct:sync-workbook")
                    .endDoTry()
                .doCatch(Exception.class)
                    .process(exchange -> run(exchange).failed(exchange.getProperty(Exchange.EXCEPTION_CAUGHT,
                            Exception.class)))
                .end()
                .process(exchange -> finish(exchange, beans))
                .to(EventPublishRoute.ENDPOINT);

        from("direct:sync-workbook").routeId("sync-workbook")
                .process(exchange -> {
                    WorkbookImage workbook = exchange.getMessage().getBody(WorkbookImage.class);
                    exchange.setProperty(DriveWorkbooks.WORKBOOK, workbook);
                    exchange.getMessage().setBody(beans.workbookEvents.workbookSnapshot(
                            run(exchange).request().sourceRef(), workbook));
                })
                .to(EventPublishRoute.ENDPOINT)
                .split(method(drive, "worksheets")).streaming().stopOnException()
                    .process(exchange -> exchange.getMessage().setBody(beans.workbookEvents.worksheetSnapshot(
                            run(exchange).request().sourceRef(),
                            exchange.getProperty(DriveWorkbooks.WORKBOOK, WorkbookImage.class),
                            exchange.getMessage().getBody(WorksheetImage.class))))
                    .to(EventPublishRoute.ENDPOINT)
                .end();
    }

    private static void begin(Exchange exchange) {
        SyncRequest request = exchange.getMessage().getBody(SyncRequest.class);
        SyncRun run = new SyncRun(request);
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

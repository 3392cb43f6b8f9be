package dev.workbookrelay.trigger;

import dev.workbookrelay.publish.EventPublishRoute;
import dev.workbookrelay.sync.AlreadySyncedException;
import dev.workbookrelay.sync.SyncRoute;
import org.apache.camel.BeanInject;
import org.apache.camel.builder.RouteBuilder;

/**
 * Work arrives in one place, the sync-requests topic: a scheduled source's tick ({@code direct:scheduled-sync},
 * from the route template in routes/workbook-source.camel.yaml) is published there as a request keyed by its
 * source, and every record of the topic ({@code direct:sync-request}, from routes/sync-requests.camel.yaml) is
 * read into a {@code SyncRequest} and handed to the {@link SyncQueue}, which runs it ({@code direct:run-sync})
 * through {@link SyncRoute} off the consumer's thread. A record that is not a valid request, and each request of a
 * sync that failed, go to the dead-letter topic with the reason and their origin. A record's offset is committed
 * only once it and every earlier record of its partition are handled ({@link RequestOffsets}).
 */
public class SyncTriggerRoute extends RouteBuilder {

    @BeanInject
    SyncTriggers triggers;
    @BeanInject
    SyncQueue queue;

    @Override
    public void configure() {
        // a tick becomes a request on the one work queue, the sync-requests topic (Quartz fires it once per cluster)
        from("direct:scheduled-sync").routeId("scheduled-sync")
                .setBody(method(triggers, "scheduled"))
                .setBody(method(triggers, "toRecord"))
                .to("kafka:{{workbook-relay.topics.sync-requests}}");

        // a record of the sync-requests topic: queued for its sync, and handled (its offset free to commit) once the
        // sync is done; a record that is not a request is handled once its dead letter is acknowledged
        from("direct:sync-request").routeId("sync-request")
                .setProperty(RequestOrigin.PROPERTY, method(triggers, "received"))
                .doTry()
                    .setBody(method(triggers, "parse"))
                    .bean(queue, "submit")
                .doCatch(InvalidSyncRequestException.class)
                    .setBody(method(triggers, "rejected"))
                    .to(EventPublishRoute.ENDPOINT)
                    .bean(triggers, "handled")
                .end();

        // one sync of the queue (on its worker); if it failed (after its status event), each request it stood for
        // goes to the dead-letter topic too
        from("direct:run-sync").routeId("run-sync")
                .errorHandler(noErrorHandler())
                .doTry()
                    .to(SyncRoute.ENDPOINT)
                    .filter(method(triggers, "failed"))
                        .split(method(triggers, "syncFailed")).stopOnException()
                            .to(EventPublishRoute.ENDPOINT)
                        .end()
                    .end()
                .endDoTry()
                // delivered again, synced already: handled, nothing to publish
                .doCatch(AlreadySyncedException.class)
                .end()
                .bean(triggers, "allHandled");
    }
}

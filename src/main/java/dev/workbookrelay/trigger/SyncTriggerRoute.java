package dev.workbookrelay.trigger;

import dev.workbookrelay.publish.EventPublishRoute;
import dev.workbookrelay.sync.SyncRoute;
import org.apache.camel.BeanInject;
import org.apache.camel.builder.RouteBuilder;

/**
 * Where the two triggers meet: a scheduled source ({@code direct:scheduled-sync}, from the route template in
 * routes/workbook-source.camel.yaml) and a message from the sync-requests topic ({@code direct:sync-request},
 * from routes/sync-requests.camel.yaml). Both become a {@code SyncRequest} for {@link SyncRoute}. A message that
 * is not a valid request, and the request of a sync that failed, go to the dead-letter topic with the reason and
 * their origin; the consumer moves on. The consumer commits a message's offset only after this route is done
 * with it, i.e. after the sync's events (or the dead letter) were acknowledged by Kafka.
 */
public class SyncTriggerRoute extends RouteBuilder {

    @BeanInject
    SyncTriggers triggers;

    @Override
    public void configure() {
        from("direct:scheduled-sync").routeId("scheduled-sync")
                .removeHeaders("*")
                .setBody(method(triggers, "scheduled"))
                .setProperty(RequestOrigin.PROPERTY, method(triggers, "scheduledOrigin"))
                .to("direct:run-sync");

        from("direct:sync-request").routeId("sync-request")
                .setProperty(RequestOrigin.PROPERTY, method(triggers, "received"))
                .doTry()
                    .setBody(method(triggers, "parse"))
                    .to("direct:run-sync")
                .doCatch(InvalidSyncRequestException.class)
                    .setBody(method(triggers, "rejected"))
                    .to(EventPublishRoute.ENDPOINT)
                .end()
                .bean(triggers, "handled");

        // the sync; if it failed (after its status event), its request goes to the dead-letter topic too
        from("direct:run-sync").routeId("run-sync")
                .to(SyncRoute.ENDPOINT)
                .filter(method(triggers, "failed"))
                    .setBody(method(triggers, "syncFailed"))
                    .to(EventPublishRoute.ENDPOINT)
                .end();
    }
}

package dev.workbookrelay.trigger;

import dev.workbookrelay.Causes;
import dev.workbookrelay.sync.SourceBusyException;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;

/** Runs a queued sync through {@code direct:run-sync} on the queue's worker thread. */
public final class SyncRunner implements SyncQueue.Runner {

    /** Exchange property: the requests a queued sync stands for. */
    static final String ORIGINS = "workbookRelayRequestOrigins";

    private final ProducerTemplate template;

    public SyncRunner(ProducerTemplate template) {
        this.template = template;
    }

    @Override
    public SyncQueue.Outcome run(SyncQueue.QueuedSync sync) {
        Exchange done = template.send("direct:run-sync", exchange -> {
            exchange.getMessage().setBody(sync.request());
            exchange.setProperty(ORIGINS, sync.origins());
        });
        Exception failure = done.getException();
        if (failure == null) {
            return SyncQueue.Outcome.DONE;
        }
        if (Causes.find(failure, SourceBusyException.class) != null) {
            return SyncQueue.Outcome.SOURCE_BUSY;
        }
        // not even the status or the dead letter could be published (Kafka away): the requests are not handled
        throw new IllegalStateException("sync of " + sync.request().stateKey() + " not completed: "
                + failure.getMessage(), failure);
    }
}

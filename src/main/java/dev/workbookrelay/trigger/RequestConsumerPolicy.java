package dev.workbookrelay.trigger;

import org.apache.camel.Route;
import org.apache.camel.support.RoutePolicySupport;

/**
 * Puts the {@link RequestConsumerListener} on the sync-requests route's Kafka consumer (the route's
 * {@code routePolicy}): Camel calls this before it creates the route's consumer, which takes the route's listener.
 */
public final class RequestConsumerPolicy extends RoutePolicySupport {

    private final RequestConsumerListener listener;

    public RequestConsumerPolicy(RequestConsumerListener listener) {
        this.listener = listener;
    }

    @Override
    public void onInit(Route route) {
        route.setConsumerListener(listener);
    }
}

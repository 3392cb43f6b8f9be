package dev.workbookrelay.sync;

import dev.workbookrelay.Causes;
import dev.workbookrelay.events.SyncStatus;
import dev.workbookrelay.nango.GraphCallException;
import dev.workbookrelay.nango.NangoProxyException;

/** Who a failed sync blames in its status event: Nango, Graph (with their status and code), or the relay itself. */
final class SyncFailure {

    private SyncFailure() {
    }

    static SyncStatus.Error blame(Throwable failure) {
        GraphCallException call = Causes.find(failure, GraphCallException.class);
        if (call != null) {
            return new SyncStatus.Error(call instanceof NangoProxyException ? "nango" : "graph", call.status(),
                    call.code(), call.reason());
        }
        Throwable shown = innermost(failure);
        return new SyncStatus.Error("relay", null, shown.getClass().getSimpleName(), String.valueOf(shown
                .getMessage()));
    }

    private static Throwable innermost(Throwable failure) {
        Throwable t = failure;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }
}

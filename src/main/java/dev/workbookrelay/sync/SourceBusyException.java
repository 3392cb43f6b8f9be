package dev.workbookrelay.sync;

/** A sync not started: its source's lease is held, by another instance or another sync of this one. */
public final class SourceBusyException extends RuntimeException {

    public SourceBusyException(String sourceKey, String holder) {
        super("source " + sourceKey + " is being synced by " + (holder == null ? "another holder" : holder));
    }
}

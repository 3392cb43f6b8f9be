package dev.workbookrelay.trigger;

/** A sync request that cannot be acted on; its message is the reason given in the dead-letter record. */
public final class InvalidSyncRequestException extends RuntimeException {

    public InvalidSyncRequestException(String reason) {
        super(reason);
    }
}

package dev.workbookrelay.state;

/** The state database could not be opened, migrated, read or written. */
public final class SyncStateException extends RuntimeException {

    public SyncStateException(String message, Throwable cause) {
        super(message, cause);
    }
}

package dev.workbookrelay.sync;

/**
 * A sync not started: every request it stands for was synced already (delivered again after a partition moved, or
 * after the instance that synced it died before its commit). Its requests are handled.
 */
public final class AlreadySyncedException extends RuntimeException {

    public AlreadySyncedException(String sourceKey, Object requestIds) {
        super("requests " + requestIds + " of " + sourceKey + " were synced already");
    }
}

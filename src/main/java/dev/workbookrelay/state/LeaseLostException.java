package dev.workbookrelay.state;

/** A sync's state write refused: its source's lease ran out and another holder may be syncing the source now. */
public final class LeaseLostException extends RuntimeException {

    public LeaseLostException(String sourceKey) {
        super("the lease of " + sourceKey + " was lost (not renewed in time); another instance may be syncing it,"
                + " so this sync writes no more state");
    }
}

package dev.workbookrelay;

/** The one walk of an exception's cause chain: Camel wraps what a step threw, the relay decides on what is inside. */
public final class Causes {

    private Causes() {
    }

    /** The first throwable of {@code type} in {@code failure}'s cause chain (itself included), or null. */
    public static <T extends Throwable> T find(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}

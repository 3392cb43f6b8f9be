package dev.workbookrelay.sync;

/** How a sync reads the drive; the status event names it by {@link #label()}. */
public enum SyncMode {
    /** The first sync of a source: everything, as snapshots. */
    SNAPSHOT("snapshot"),
    /** Asked for ({@code "mode":"full"}): everything again, as snapshots, deletions reconciled. */
    FULL("full"),
    /** From the stored delta link: only what changed. */
    INCREMENTAL("incremental"),
    /** From the checkpoint of an enumeration a crash or failure cut short. */
    RESUME("resume"),
    /** Graph no longer honoured the stored link (410): everything afresh, deletions reconciled. */
    RESYNC("resync"),
    /** One named workbook, no enumeration. */
    SINGLE("single");

    private final String label;

    SyncMode(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}

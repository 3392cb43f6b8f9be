package dev.workbookrelay.events;

/**
 * The data of a sync status event: one per sync, whatever its outcome. {@code error} is null on success;
 * {@code skipped} lists workbooks left out because Graph refused them (the sync still succeeds).
 */
public record SyncStatus(
        String syncId,
        String requestId,
        java.util.List<String> coalescedRequestIds,
        String trigger,
        String mode,
        String source,
        String providerConfigKey,
        String connectionId,
        String drive,
        String folder,
        String workbookId,
        String startedAt,
        String finishedAt,
        long durationMs,
        int pages,
        int workbooks,
        int worksheets,
        int graphCalls,
        int events,
        String outcome,
        Error error,
        java.util.List<Skipped> skipped) {

    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";

    /** A workbook the sync could not read (Graph 401/403 on it alone) and left out; the rest went on. */
    public record Skipped(String workbookId, String name, Integer status, String reason) {
    }

    /** Why a sync failed: who refused ({@code nango}, {@code graph}, {@code relay}), their status and code. */
    public record Error(String origin, Integer status, String code, String reason) {
    }
}

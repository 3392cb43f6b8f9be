package dev.workbookrelay.events;

/**
 * The data of a sync status event: one per sync, whatever its outcome. {@code error} is null on success.
 */
public record SyncStatus(
        String syncId,
        String requestId,
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
        Error error) {

    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";

    /** Why a sync failed: who refused ({@code nango}, {@code graph}, {@code relay}), their status and code. */
    public record Error(String origin, Integer status, String code, String reason) {
    }
}

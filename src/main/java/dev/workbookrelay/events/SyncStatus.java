package dev.workbookrelay.events;

/**
 * The data of a sync status event: one per sync, whatever its outcome. {@code error} is null on success. The
 * workbooks the drive listed present add up: {@code workbooks = changed + unchanged + skippedCount}; a skipped one
 * (its worksheets could not be read, read again at the next sync) is named in {@code skipped}, the first hundred.
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
        int changed,
        int unchanged,
        int skippedCount,
        int worksheets,
        int graphCalls,
        int events,
        String outcome,
        Error error,
        java.util.List<Skipped> skipped,
        java.util.List<RowKeyProblem> rowKeyProblems) {

    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";

    /** A workbook whose worksheets could not be read: Graph's status and reason; read again at the next sync. */
    public record Skipped(String workbookId, String name, Integer status, String code, String reason) {
    }

    /**
     * A worksheet whose rows the {@code rowKey} column could not all name: the column is missing, or rows have a
     * blank or repeated key. Those rows are named by content instead ({@code #1}, {@code #2}…), never dropped.
     */
    public record RowKeyProblem(String workbookId, String worksheet, String rowKey, boolean keyColumnMissing,
            int blankKeys, int duplicateKeys) {
    }

    /** Why a sync failed: who refused ({@code nango}, {@code graph}, {@code relay}), their status and code. */
    public record Error(String origin, Integer status, String code, String reason) {
    }
}

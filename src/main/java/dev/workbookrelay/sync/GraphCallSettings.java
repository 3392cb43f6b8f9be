package dev.workbookrelay.sync;

/**
 * How Graph calls are paced and retried ({@code workbook-relay.graph.*}, documented in
 * config/application.properties).
 */
record GraphCallSettings(int budgetRequests, long budgetPeriodMillis, int maxAttempts, long initialDelayMillis,
        long maxDelayMillis, long maxTotalMillis, long retryAfterCapMillis, long refreshBackoffMillis,
        long authFailureHoldMillis) {
}

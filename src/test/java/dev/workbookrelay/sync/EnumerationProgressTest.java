package dev.workbookrelay.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class EnumerationProgressTest {

    @Test
    void theCheckpointIsThePageBeforeWhichEveryItemIsDone() throws Exception {
        EnumerationProgress progress = new EnumerationProgress(10);
        progress.started(1, "page-1", "a");
        progress.started(1, "page-1", "b");
        progress.started(2, "page-2", "c");

        assertEquals("page-1", progress.finished(2), "b of page 1 is still in flight: resume at page 1");
        assertNull(progress.finished(1), "b's page is still the first unfinished one");
        // both done: every item handed out is finished, so resuming starts at the last page handed out
        assertEquals("page-2", progress.finished(1));
        progress.started(3, "page-3", "d");
        assertEquals("page-3", progress.finished(3));
    }

    @Test
    @Timeout(10)
    void aSecondOccurrenceOfAnItemWaitsUntilTheFirstIsReleased() throws Exception {
        EnumerationProgress progress = new EnumerationProgress(10);
        progress.started(1, "page-1", "a");

        CompletableFuture<Void> again = CompletableFuture.runAsync(() -> start(progress, 2, "a"));
        assertStillWaiting(again);

        progress.released("a");
        again.get(5, TimeUnit.SECONDS);
    }

    @Test
    @Timeout(10)
    void noMoreThanTheMostItemsInFlightAreHandedOut() throws Exception {
        EnumerationProgress progress = new EnumerationProgress(2);
        progress.started(1, "page-1", "a");
        progress.started(1, "page-1", "b");

        CompletableFuture<Void> third = CompletableFuture.runAsync(() -> start(progress, 1, "c"));
        assertStillWaiting(third);

        progress.released("b");
        third.get(5, TimeUnit.SECONDS);
        CompletableFuture<Void> fourth = CompletableFuture.runAsync(() -> start(progress, 2, "d"));
        assertStillWaiting(fourth);
        progress.released("a");
        fourth.get(5, TimeUnit.SECONDS);
    }

    private static void assertStillWaiting(CompletableFuture<Void> start) throws InterruptedException {
        Thread.sleep(200);
        assertFalse(start.isDone(), "should wait");
    }

    private static void start(EnumerationProgress progress, long page, String item) {
        try {
            progress.started(page, "page-" + page, item);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}

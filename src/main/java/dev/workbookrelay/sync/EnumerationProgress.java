package dev.workbookrelay.sync;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which delta pages of an enumeration are done, while its workbooks are processed in parallel. A page is safe to
 * resume from when every item of every earlier page is done; that page's link is the checkpoint. Also keeps
 * Microsoft's rule of one request in flight per workbook: delta may list the same item twice, and its second
 * occurrence waits for the first to finish, so its events follow the first's. And bounds how many items are in
 * flight at once (listed, not yet acknowledged by Kafka and written to state), so a sync never runs far ahead of
 * Kafka: while the broker is away it stops calling Graph after that many workbooks.
 */
final class EnumerationProgress {

    private final int maxInFlight;

    private final TreeMap<Long, Integer> unfinished = new TreeMap<>();
    private final TreeMap<Long, String> links = new TreeMap<>();
    private final Set<String> inFlight = new HashSet<>();
    /** Items being read and published now (in flight and past {@link #reading}). */
    private final Set<String> reading = new HashSet<>();
    private long lastStartedPage = -1;
    private long checkpointPage = -1;
    private boolean stopped;
    /** What failed the first item that failed, if one did. */
    private Exception failure;

    EnumerationProgress(int maxInFlight) {
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be at least 1: " + maxInFlight);
        }
        this.maxInFlight = maxInFlight;
    }

    /**
     * An item handed out for processing; blocks while the same item is still in flight, or while the most items
     * are in flight.
     */
    synchronized void started(long page, String link, String itemId) throws InterruptedException {
        while (!stopped && itemId != null && (inFlight.contains(itemId) || inFlight.size() >= maxInFlight)) {
            wait();
        }
        if (itemId != null) {
            inFlight.add(itemId);
        }
        unfinished.merge(page, 1, Integer::sum);
        links.putIfAbsent(page, link);
        lastStartedPage = Math.max(lastStartedPage, page);
    }

    /**
     * The item's events are published and its state written.
     *
     * @return the link of the page to checkpoint now, or null if the safe page did not move
     */
    synchronized String finished(long page) {
        unfinished.computeIfPresent(page, (p, n) -> n == 1 ? null : n - 1);
        long safe = unfinished.isEmpty() ? lastStartedPage : Math.min(unfinished.firstKey(), lastStartedPage);
        if (safe <= checkpointPage) {
            return null;
        }
        checkpointPage = safe;
        String link = links.get(safe);
        links.headMap(safe).clear();
        return link;
    }

    /** The item is no longer in flight, done or failed (a failed one keeps its page unfinished). */
    synchronized void released(String itemId) {
        if (itemId != null && inFlight.remove(itemId)) {
            reading.remove(itemId);
            notifyAll();
        }
    }

    /**
     * The item's thread starts reading it; false once the sync {@link #stop stopped} (the item is then given up).
     * Items handed to the split but never run (the split drops its queued ones on a failure) are not waited for.
     */
    synchronized boolean reading(String itemId) {
        if (stopped) {
            return false;
        }
        reading.add(itemId);
        return true;
    }

    /**
     * The sync failed: items handed out but not yet read are given up (their pages stay unfinished, so the next
     * sync reads them), and {@link #awaitIdle} waits for those already being read.
     */
    synchronized void stop() {
        stopped = true;
        notifyAll();
    }

    /** As {@link #stop()}, because an item failed with {@code cause} (the first cause is kept). */
    synchronized void stop(Exception cause) {
        if (failure == null) {
            failure = cause;
        }
        stop();
    }

    /** What failed the first item that failed; null if none did. */
    synchronized Exception failure() {
        return failure;
    }

    /** Whether the sync stopped on a failure: no more items are handed out. */
    synchronized boolean stopped() {
        return stopped;
    }

    /**
     * Waits until no item is being read, at most {@code maxMillis}: a failed sync reports only once its items in
     * the parallel split have published and handed over their state, so nothing of it comes after its status.
     *
     * @return whether none is left
     */
    synchronized boolean awaitIdle(long maxMillis) throws InterruptedException {
        long deadline = System.nanoTime() + maxMillis * 1_000_000L;
        while (!reading.isEmpty()) {
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0) {
                return false;
            }
            wait(left);
        }
        return true;
    }
}

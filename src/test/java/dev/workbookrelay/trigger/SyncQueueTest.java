package dev.workbookrelay.trigger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workbookrelay.events.DeadLetters;
import dev.workbookrelay.sync.SyncRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** How the queue runs syncs: many sources at once up to its bound, one at a time per source, merged when busy. */
class SyncQueueTest {

    private final SyncRequestParser parser = new SyncRequestParser(new ObjectMapper(), "microsoft-excel", 65536);
    private final ExecutorService workers = Executors.newCachedThreadPool();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        workers.shutdownNow();
        timer.shutdownNow();
    }

    @Test
    void syncsOfDifferentSourcesRunSideBySideUpToTheBound() throws Exception {
        AtomicInteger now = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(10);
        SyncQueue queue = new SyncQueue(sync -> {
            most.accumulateAndGet(now.incrementAndGet(), Math::max);
            sleep(100);
            now.decrementAndGet();
            done.countDown();
            return SyncQueue.Outcome.DONE;
        }, 4, workers, timer, Duration.ofMillis(50));

        for (int i = 0; i < 10; i++) {
            queue.submit(request("c" + i, "r" + i), origin(i));
        }

        assertTrue(done.await(10, TimeUnit.SECONDS));
        assertEquals(4, most.get(), "four at once, never more");
    }

    @Test
    void requestsArrivingWhileTheirSourceSyncsAreMergedIntoOneMoreSync() throws Exception {
        List<SyncQueue.QueuedSync> runs = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch firstStarted = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        CountDownLatch bothDone = new CountDownLatch(2);
        SyncQueue queue = new SyncQueue(sync -> {
            runs.add(sync);
            firstStarted.countDown();
            await(releaseFirst);
            bothDone.countDown();
            return SyncQueue.Outcome.DONE;
        }, 4, workers, timer, Duration.ofMillis(50));

        queue.submit(request("alice", "r0"), origin(0));
        assertTrue(firstStarted.await(5, TimeUnit.SECONDS));
        for (int i = 1; i <= 5; i++) {
            queue.submit(request("alice", "r" + i), origin(i));
        }
        assertEquals(1, queue.running());
        assertEquals(1, queue.waiting(), "five requests, one waiting sync");
        releaseFirst.countDown();

        assertTrue(bothDone.await(5, TimeUnit.SECONDS));
        Thread.sleep(100);
        assertEquals(2, runs.size(), "the running sync and one more: " + runs);
        assertEquals("r1", runs.get(1).request().requestId());
        assertEquals(List.of("r2", "r3", "r4", "r5"), runs.get(1).request().coalescedRequestIds());
        assertEquals(5, runs.get(1).origins().size(), "every merged request is handled with it");
        assertEquals(0, queue.waiting());
    }

    @Test
    void aBusySourceWaitsWithoutAWorkerAndIsTriedAgain() throws Exception {
        Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
        CountDownLatch otherDone = new CountDownLatch(1);
        CountDownLatch busyDone = new CountDownLatch(1);
        SyncQueue queue = new SyncQueue(sync -> {
            String source = sync.request().connection().connectionId();
            int attempt = attempts.computeIfAbsent(source, s -> new AtomicInteger()).incrementAndGet();
            if (source.equals("busy") && attempt < 3) {
                return SyncQueue.Outcome.SOURCE_BUSY; // held by another instance for now
            }
            (source.equals("busy") ? busyDone : otherDone).countDown();
            return SyncQueue.Outcome.DONE;
        }, 1, workers, timer, Duration.ofMillis(200));

        queue.submit(request("busy", "b1"), origin(0));
        queue.submit(request("free", "f1"), origin(1));

        assertTrue(otherDone.await(150, TimeUnit.MILLISECONDS), "the one worker was not kept by the busy source");
        assertTrue(busyDone.await(5, TimeUnit.SECONDS));
        assertEquals(3, attempts.get("busy").get());
    }

    @Test
    void aHundredThousandSourcesSyncedOnceLeaveNothingBehind() throws Exception {
        CountDownLatch done = new CountDownLatch(100_000);
        SyncQueue queue = new SyncQueue(sync -> {
            done.countDown();
            return SyncQueue.Outcome.DONE;
        }, 8, workers, timer, Duration.ofMillis(50));
        for (int i = 0; i < 100_000; i++) {
            queue.submit(request("user-" + i, "r" + i), origin(i));
        }
        assertTrue(done.await(60, TimeUnit.SECONDS));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (queue.tracked() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(0, queue.tracked(), "no per-source state once the sources are idle");
    }

    private SyncRequest request(String connectionId, String requestId) {
        return parser.fromMessage(("{\"connectionId\":\"" + connectionId + "\",\"requestId\":\"" + requestId + "\"}")
                .getBytes(StandardCharsets.UTF_8));
    }

    private static RequestOrigin origin(int offset) {
        return new RequestOrigin(DeadLetters.Origin.record("workbook-relay.sync-requests", 0, offset, null),
                new byte[0], null);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package dev.workbookrelay.trigger;

import dev.workbookrelay.sync.SyncRequest;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the syncs that sync requests ask for, off the consumer's thread: many sources at once (at most
 * {@code maxConcurrent}), in the order their requests came, never two syncs of one source in this instance. A
 * request that arrives while its source syncs (or waits) is merged into the one sync that waits after it, never
 * queued as another. When the source is syncing elsewhere in the cluster (its lease is held), the sync waits,
 * without holding a worker, and is tried again. A request counts as handled when the sync it ended up in is done.
 */
public final class SyncQueue {

    /** How a run ended: done (succeeded, or failed and dead-lettered), or not started because the source is busy. */
    public enum Outcome { DONE, SOURCE_BUSY }

    /** One sync to run and the requests it stands for. */
    public record QueuedSync(SyncRequest request, List<RequestOrigin> origins) {
        QueuedSync with(SyncRequest later, List<RequestOrigin> laterOrigins) {
            List<RequestOrigin> all = new ArrayList<>(origins);
            all.addAll(laterOrigins);
            return new QueuedSync(request.coalescedWith(later), List.copyOf(all));
        }
    }

    /** Runs one sync to its end (status and dead letters published); called on a worker thread. */
    @FunctionalInterface
    public interface Runner {
        Outcome run(QueuedSync sync);
    }

    private static final Logger LOG = LoggerFactory.getLogger(SyncQueue.class);

    /** One source's place in the queue: whether its sync runs, and the one sync waiting after it. */
    private static final class Source {
        boolean running;
        boolean retryScheduled;
        QueuedSync waiting;
    }

    private final Runner runner;
    private final int maxConcurrent;
    private final Executor workers;
    private final ScheduledExecutorService timer;
    private final Duration busyRetry;
    private final Map<String, Source> sources = new HashMap<>();
    private final ArrayDeque<String> ready = new ArrayDeque<>();
    private int running;

    /**
     * @param workers   at least {@code maxConcurrent} threads
     * @param busyRetry how long a sync whose source is held elsewhere waits before it is tried again
     */
    public SyncQueue(Runner runner, int maxConcurrent, Executor workers, ScheduledExecutorService timer,
            Duration busyRetry) {
        this.runner = runner;
        this.maxConcurrent = maxConcurrent;
        this.workers = workers;
        this.timer = timer;
        this.busyRetry = busyRetry;
    }

    /** Queues the sync a request asks for, or merges it into the one its source has waiting; never blocks. */
    public void submit(@Body SyncRequest request, @ExchangeProperty(RequestOrigin.PROPERTY) RequestOrigin origin) {
        List<Runnable> starts;
        synchronized (this) {
            Source source = sources.computeIfAbsent(request.stateKey(), k -> new Source());
            if (source.waiting == null) {
                source.waiting = new QueuedSync(request, List.of(origin));
                if (!source.running && !source.retryScheduled) {
                    ready.add(request.stateKey());
                }
            } else {
                source.waiting = source.waiting.with(request, List.of(origin));
            }
            starts = startable();
        }
        starts.forEach(workers::execute);
    }

    /** Syncs running now. */
    public synchronized int running() {
        return running;
    }

    /** Sources with a sync waiting: for a worker, or for their lease to be free. */
    public synchronized int waiting() {
        return (int) sources.values().stream().filter(s -> s.waiting != null).count();
    }

    /** Sources the queue holds anything of: running, or waiting. An idle source leaves nothing behind. */
    synchronized int tracked() {
        return sources.size();
    }

    /** Hands ready sources to workers while there is room; called holding the lock, started outside it. */
    private List<Runnable> startable() {
        List<Runnable> starts = new ArrayList<>();
        while (running < maxConcurrent && !ready.isEmpty()) {
            String key = ready.poll();
            Source source = sources.get(key);
            QueuedSync sync = source.waiting;
            source.waiting = null;
            source.running = true;
            running++;
            starts.add(() -> run(key, sync));
        }
        return starts;
    }

    private void run(String key, QueuedSync sync) {
        Outcome outcome;
        try {
            if (sync.origins().stream().allMatch(RequestOrigin::abandoned)) {
                // every request of it moved to another member with its partition, which syncs it there
                LOG.info("sync of {} dropped: its requests' partitions moved to another instance", key);
                outcome = Outcome.DONE;
            } else {
                outcome = runner.run(sync);
            }
        } catch (RuntimeException e) {
            // the runner publishes failures itself; reaching here means not even that worked: try again later
            LOG.warn("sync of {} could not be run ({}); trying again in {} ms", key, e.getMessage(),
                    busyRetry.toMillis());
            outcome = Outcome.SOURCE_BUSY;
        }
        List<Runnable> starts;
        synchronized (this) {
            Source source = sources.get(key);
            source.running = false;
            running--;
            if (outcome == Outcome.SOURCE_BUSY) {
                source.waiting = source.waiting == null ? sync : sync.with(source.waiting.request(),
                        source.waiting.origins());
                source.retryScheduled = true;
                scheduleRetry(key);
            } else if (source.waiting != null) {
                ready.add(key);
            } else {
                sources.remove(key);
            }
            starts = startable();
        }
        starts.forEach(workers::execute);
    }

    private void scheduleRetry(String key) {
        try {
            timer.schedule(() -> {
                List<Runnable> starts;
                synchronized (this) {
                    Source source = sources.get(key);
                    source.retryScheduled = false;
                    if (!source.running && source.waiting != null) {
                        ready.add(key);
                    }
                    starts = startable();
                }
                starts.forEach(workers::execute);
            }, busyRetry.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException shuttingDown) {
            LOG.debug("not retrying the sync of {}: shutting down", key);
        }
    }
}

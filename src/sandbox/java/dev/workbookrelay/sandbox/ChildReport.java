package dev.workbookrelay.sandbox;

import java.io.IOException;
import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.GcInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * The report a child JVM started by {@link RelayProcess} keeps for its parent, in the file named by the system
 * property {@code relay.report}. It is rewritten every 200 ms and at shutdown, so it stays meaningful even after a
 * {@code kill -9}:
 * <pre>
 * ready=true|false          the program is ready for work (e.g. the CamelContext has started)
 * peakHeapBytes=N           the most heap in use at once: the largest of the heap in use right before each GC
 *                           (from GC notifications) and of the heap in use at each 200 ms sample
 * fullGcs=N                 how many full (major) collections there were, e.g. asked for by {@code jcmd GC.run}
 * heapAfterFullGcBytes=N    the heap in use right after the latest of them: what the program retains
 * </pre>
 */
public final class ChildReport {

    private static final long INTERVAL_MS = 200;

    private final Path file;
    private final List<MemoryPoolMXBean> pools = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getType() == MemoryType.HEAP).toList();
    private volatile boolean ready;
    private long peak;
    private long fullGcs;
    private long afterFullGc = -1;

    private ChildReport(Path file) {
        this.file = file;
        // the heap is fullest right before a collection: each GC notification tells how full it was
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener((notification, handback) -> {
                    if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                        GarbageCollectionNotificationInfo gcInfo = GarbageCollectionNotificationInfo.from(
                                (CompositeData) notification.getUserData());
                        GcInfo info = gcInfo.getGcInfo();
                        collected(heapUsed(info.getMemoryUsageBeforeGc()), heapUsed(info.getMemoryUsageAfterGc()),
                                gcInfo.getGcAction().equals("end of major GC"));
                    }
                }, null, null);
            }
        }
    }

    private long heapUsed(Map<String, MemoryUsage> byPool) {
        long used = 0;
        for (MemoryPoolMXBean pool : pools) {
            MemoryUsage usage = byPool.get(pool.getName());
            used += usage == null ? 0 : usage.getUsed();
        }
        return used;
    }

    private synchronized void collected(long before, long after, boolean full) {
        peak = Math.max(peak, before);
        if (full) {
            // a young collection's "after" still holds the old generation's garbage; only a full one shows what
            // the program keeps
            fullGcs++;
            afterFullGc = after;
        }
    }

    /** Starts reporting when {@code relay.report} is set; otherwise a report that writes nothing. */
    public static ChildReport start() {
        String name = System.getProperty("relay.report");
        ChildReport report = new ChildReport(name == null ? null : Path.of(name));
        if (name != null) {
            Thread sampler = new Thread(() -> {
                while (true) {
                    report.write();
                    try {
                        Thread.sleep(INTERVAL_MS);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "child-report");
            sampler.setDaemon(true);
            sampler.start();
            Runtime.getRuntime().addShutdownHook(new Thread(report::write, "child-report-final"));
        }
        return report;
    }

    public void markReady() {
        ready = true;
        write();
    }

    /** The most heap in use at once so far (see the class comment). */
    public synchronized long peakHeapBytes() {
        return peak;
    }

    private synchronized void write() {
        peak = Math.max(peak, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        if (file == null) {
            return;
        }
        String text = "ready=" + ready + "\npeakHeapBytes=" + peakHeapBytes() + "\nfullGcs=" + fullGcs
                + "\nheapAfterFullGcBytes=" + afterFullGc + "\n";
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            // a measurement aid: a missed write is caught up by the next one
        }
    }
}

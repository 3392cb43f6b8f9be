package dev.workbookrelay.sandbox;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * The report a child JVM started by {@link RelayProcess} keeps for its parent, in the file named by the system
 * property {@code relay.report}. It is rewritten every 200 ms and at shutdown, so it stays meaningful even after a
 * {@code kill -9}:
 * <pre>
 * ready=true|false          the program is ready for work (e.g. the CamelContext has started)
 * peakHeapBytes=N           sum over heap memory pools of getPeakUsage().getUsed() (an upper bound of the peak)
 * peakHeapAfterGcBytes=N    the largest sum over heap pools of getCollectionUsage().getUsed() seen (live set)
 * </pre>
 */
public final class ChildReport {

    private static final long INTERVAL_MS = 200;

    private final Path file;
    private final List<MemoryPoolMXBean> pools = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getType() == MemoryType.HEAP).toList();
    private volatile boolean ready;
    private long peakAfterGc;

    private ChildReport(Path file) {
        this.file = file;
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

    /** Sum over heap pools of their peak used bytes so far. */
    public long peakHeapBytes() {
        return pools.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
    }

    private synchronized void write() {
        long afterGc = 0;
        for (MemoryPoolMXBean pool : pools) {
            MemoryUsage collected = pool.getCollectionUsage();
            afterGc += collected == null ? 0 : collected.getUsed();
        }
        peakAfterGc = Math.max(peakAfterGc, afterGc);
        if (file == null) {
            return;
        }
        String text = "ready=" + ready + "\npeakHeapBytes=" + peakHeapBytes() + "\npeakHeapAfterGcBytes="
                + peakAfterGc + "\n";
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            // a measurement aid: a missed write is caught up by the next one
        }
    }
}

package dev.workbookrelay.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * The relay in a child JVM of its own, as an operator would run it, so that it can be killed with
 * {@code kill -9} and measured apart from the test or benchmark that drives it.
 *
 * <p>The child runs {@link RelayMain} ({@code Application.create().run()} plus a {@link ChildReport} of its heap)
 * with this JVM's {@code java.home} and class path, working directory = the project root (so {@code routes/} and
 * {@code config/} resolve as in production), stdout and stderr appended to {@link #logFile()}. Settings reach it
 * as environment variables ({@link Launcher#env}) or as system properties ({@link Launcher#setting}), which
 * Camel's property placeholders let override {@code config/application.properties}.
 *
 * <pre>
 * try (RelayProcess relay = RelayProcess.launcher()
 *         .brokers(kafka.bootstrapServers()).nango(emulator.baseUrl(), key).stateDir(dir)
 *         .jvmArgs("-Xmx256m").logFile(dir.resolve("relay.log")).start()) {
 *     relay.awaitReady(Duration.ofSeconds(60));
 *     ...
 *     relay.killHard();
 * }
 * </pre>
 * Measurements read {@code /proc} (Linux): {@link #cpuSeconds()}, {@link #peakRssBytes()}; the heap figures come
 * from the child's report file. Each returns the last value seen once the child has exited.
 */
public final class RelayProcess implements AutoCloseable {

    /** The shipped trigger and source template, without the shipped sources. */
    /** Every shipped route file (the shipped sources.camel.yaml has none): tests add their own sources. */
    public static final String ROUTES = "file:routes/*.camel.yaml";

    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final Path logFile;
    private final Path reportFile;
    private final String managementUrl;
    private volatile double lastCpuSeconds;
    private volatile long lastPeakRss;

    private RelayProcess(Process process, Path logFile, Path reportFile, String managementUrl) {
        this.process = process;
        this.logFile = logFile;
        this.reportFile = reportFile;
        this.managementUrl = managementUrl;
    }

    public static Launcher launcher() {
        return new Launcher();
    }

    /** {@code http://127.0.0.1:<port>} of the child's /observe/health and /observe/metrics. */
    public String managementUrl() {
        return managementUrl;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path logFile() {
        return logFile;
    }

    /** Waits until the child's CamelContext has started; fails early, with the log's tail, if the child dies. */
    public RelayProcess awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if ("true".equals(report().getProperty("ready"))) {
                return this;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("relay exited with " + process.exitValue() + " before it was ready; "
                        + "log " + logFile + ":\n" + logTail(40));
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("relay not ready after " + timeout + "; log " + logFile + ":\n" + logTail(40));
    }

    /** {@code kill -9}: no shutdown hook, no graceful stop. Returns once the process is gone. */
    public void killHard() throws InterruptedException {
        sample();
        process.destroyForcibly();
        awaitExit();
    }

    /** {@code kill} (SIGTERM): camel-main stops gracefully. Returns the exit code once the process is gone. */
    public int stop() throws InterruptedException {
        sample();
        process.destroy();
        return awaitExit();
    }

    /** User + system CPU time of the child so far (utime + stime of /proc/&lt;pid&gt;/stat). */
    public double cpuSeconds() {
        sample();
        return lastCpuSeconds;
    }

    /** The child's peak resident set size (VmHWM of /proc/&lt;pid&gt;/status). */
    public long peakRssBytes() {
        sample();
        return lastPeakRss;
    }

    /** The most heap the child had in use at once (before-GC figures and samples), as last reported (-1 if never). */
    public long peakHeapBytes() {
        return Long.parseLong(report().getProperty("peakHeapBytes", "-1"));
    }

    /**
     * The heap the child retains: has it run a full GC ({@code jcmd <pid> GC.run}) and returns the heap in use
     * right after it, as the child reports it (-1 if it does not within 10 s).
     */
    public long retainedHeapBytes() throws IOException, InterruptedException {
        long before = Long.parseLong(report().getProperty("fullGcs", "0"));
        Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid()), "GC.run").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        jcmd.waitFor(10, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            Properties report = report();
            if (Long.parseLong(report.getProperty("fullGcs", "0")) > before) {
                return Long.parseLong(report.getProperty("heapAfterFullGcBytes", "-1"));
            }
            Thread.sleep(50);
        }
        return -1;
    }

    /** The last {@code lines} lines of the log. */
    public String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    /** Stops the child gracefully if it is still running (forcibly if it does not stop in time). */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            stop();
        }
    }

    private int awaitExit() throws InterruptedException {
        if (!process.waitFor(EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
        return process.exitValue();
    }

    /** Reads /proc while the process is there; keeps the last values for after it has gone. */
    private synchronized void sample() {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid()), "stat"));
            // the command name (field 2) is in parentheses and may hold spaces: count fields after the last ')'
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
            // fields 14 (utime) and 15 (stime) of the whole line are the 12th and 13th after the name
            lastCpuSeconds = (Long.parseLong(f[11]) + Long.parseLong(f[12])) / (double) ClockTicks.PER_SECOND;
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    lastPeakRss = Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (NoSuchFileException gone) {
            // exited (or reaped) since: keep the last values
        } catch (IOException | RuntimeException e) {
            // a zombie's status has no VmHWM; a racing exit can cut a read short: keep the last values
        }
    }

    private Properties report() {
        Properties p = new Properties();
        try {
            p.load(new java.io.StringReader(Files.readString(reportFile)));
        } catch (NoSuchFileException e) {
            // not written yet
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    /** Clock ticks per second of /proc/&lt;pid&gt;/stat ({@code getconf CLK_TCK}; 100 on Linux in practice). */
    private static final class ClockTicks {
        static final long PER_SECOND = read();

        private static long read() {
            try {
                Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
                p.waitFor();
                return Long.parseLong(out);
            } catch (IOException | RuntimeException e) {
                return 100;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 100;
            }
        }
    }

    /** What to start: settings, JVM arguments, where the log goes. */
    public static final class Launcher {
        private final Map<String, String> env = new LinkedHashMap<>();
        private final Map<String, String> settings = new LinkedHashMap<>();
        private final List<String> jvmArgs = new ArrayList<>();
        private Path workDir = Path.of("").toAbsolutePath();
        private Path logFile;
        private String mainClass = RelayMain.class.getName();

        private Launcher() {
            env.put("WORKBOOK_RELAY_ROUTES", ROUTES);
            // health, metrics and webhooks on free ports, so that several relays (and builds) can run side by side
            env.put("WORKBOOK_RELAY_MANAGEMENT_PORT", Integer.toString(freePort()));
            env.put("WORKBOOK_RELAY_WEBHOOK_PORT", Integer.toString(freePort()));
            // children sync the emulator's connections on request (a test that wants the shipped default sets it)
            env.put("WORKBOOK_RELAY_AD_HOC_REQUESTS", "true");
        }

        private static int freePort() {
            try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
                return free.getLocalPort();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        /** {@code http://127.0.0.1:<port>} of the child's webhook server (POST /webhooks/nango). */
        public String webhookUrl() {
            return "http://127.0.0.1:" + env.get("WORKBOOK_RELAY_WEBHOOK_PORT");
        }

        /** {@code http://127.0.0.1:<port>} of the child's /observe/health and /observe/metrics. */
        public String managementUrl() {
            return "http://127.0.0.1:" + env.get("WORKBOOK_RELAY_MANAGEMENT_PORT");
        }

        /** {@code KAFKA_BROKERS} (the variable config/application.properties reads) and its generic form. */
        public Launcher brokers(String bootstrapServers) {
            return env("KAFKA_BROKERS", bootstrapServers).env("CAMEL_COMPONENT_KAFKA_BROKERS", bootstrapServers);
        }

        /** {@code NANGO_BASE_URL} and {@code NANGO_SECRET_KEY}. */
        public Launcher nango(String baseUrl, String secretKey) {
            return env("NANGO_BASE_URL", baseUrl).env("NANGO_SECRET_KEY", secretKey);
        }

        /** The state database: an H2 file in {@code dir} (reuse the dir to restart on the same state). */
        public Launcher stateDir(Path dir) {
            return env("WORKBOOK_RELAY_STATE_JDBC_URL",
                    "jdbc:h2:file:" + dir.toAbsolutePath().resolve("workbook-relay") + ";MODE=PostgreSQL");
        }

        /** An environment variable of the child (e.g. {@code WORKBOOK_RELAY_ROUTES}, which has a default here). */
        public Launcher env(String name, String value) {
            env.put(name, value);
            return this;
        }

        /** A setting by its property name ({@code workbook-relay.sync.concurrency}), as a system property. */
        public Launcher setting(String key, String value) {
            settings.put(key, value);
            return this;
        }

        /** JVM options such as {@code -Xmx256m} or {@code -XX:StartFlightRecording=...}. */
        public Launcher jvmArgs(String... args) {
            jvmArgs.addAll(List.of(args));
            return this;
        }

        /** The child's working directory; default this JVM's (the project root under Maven). */
        public Launcher workDir(Path dir) {
            workDir = dir.toAbsolutePath();
            return this;
        }

        /** Where stdout and stderr go (appended); default a new temporary file. */
        public Launcher logFile(Path file) {
            logFile = file.toAbsolutePath();
            return this;
        }

        /** Another main class; it should keep a {@link ChildReport} (and mark it ready) for {@link #awaitReady}. */
        public Launcher mainClass(String className) {
            mainClass = className;
            return this;
        }

        public RelayProcess start() throws IOException {
            Path log = logFile != null ? logFile : Files.createTempFile("relay-", ".log");
            Files.createDirectories(log.toAbsolutePath().getParent());
            Path report = log.resolveSibling(log.getFileName() + ".report");
            Files.deleteIfExists(report);
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(jvmArgs);
            settings.forEach((k, v) -> command.add("-D" + k + "=" + v));
            command.add("-Drelay.report=" + report);
            command.add("-cp");
            command.add(classPath());
            command.add(mainClass);
            ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().putAll(env);
            return new RelayProcess(builder.start(), log, report, managementUrl());
        }

        /** This JVM's class path; under Surefire's manifest-only booter jar, the test class path it stands for. */
        static String classPath() {
            String cp = System.getProperty("java.class.path");
            String surefire = System.getProperty("surefire.test.class.path");
            if (surefire != null && !surefire.isBlank() && cp.contains("surefirebooter")) {
                return surefire;
            }
            return cp;
        }
    }
}

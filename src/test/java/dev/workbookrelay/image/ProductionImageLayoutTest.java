package dev.workbookrelay.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.workbookrelay.sandbox.EmbeddedKafka;
import dev.workbookrelay.sandbox.NangoGraphEmulator;
import dev.workbookrelay.sandbox.SampleWorkbooks;
import dev.workbookrelay.sandbox.SampleWorkbooks.SheetSpec;
import dev.workbookrelay.support.FreePort;
import dev.workbookrelay.support.RawRecords;
import dev.workbookrelay.support.RelayFixture;
import dev.workbookrelay.support.SyncStatuses;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * No Docker engine is at hand, so this does what the image does without one: docker/Dockerfile's runtime stage is
 * read ({@link DockerfileRuntime}), the packaged jar, its libraries, routes and config are copied where the image
 * puts them, into a root-owned read-only application folder, the volumes are created with the owner the image gives
 * them, and the entrypoint is run with the image's environment, as the image's non-root user (its uid, through
 * setpriv, when the build runs as root). It must become ready, sync, keep its state in the volume, and when
 * "recreated" (a new process on the same volume) resume instead of snapshotting again.
 *
 * <p>Runs after {@code package} (surefire execution {@code image-layout}), since it needs the real jar.
 */
class ProductionImageLayoutTest {

    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void stopRelays() throws InterruptedException {
        for (Process p : processes) {
            p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void theJarLaidOutAsTheImageStartsAsItsUserKeepsItsStateInTheVolumeAndResumesWhenRecreated() throws Exception {
        Path dockerfile = Path.of(System.getProperty("image.dockerfile", "docker/Dockerfile")).toAbsolutePath();
        Path buildDir = Path.of(System.getProperty("image.build-dir", "target")).toAbsolutePath();
        DockerfileRuntime image = DockerfileRuntime.read(dockerfile);
        assertNotEquals(0, image.uid(), "the image runs as a user of its own, not root");

        Path root = Files.createTempDirectory("image-layout");
        Path drive = Files.createDirectories(root.resolve("onedrive-of-carol"));
        SampleWorkbooks.write(drive.resolve("Budget.xlsx"), SheetSpec.of("Q1"), SheetSpec.of("Q2"));
        SampleWorkbooks.write(drive.resolve("Forecast.xlsx"), SheetSpec.of("2027"));
        Path fs = Files.createDirectories(root.resolve("image"));
        lay(image, fs, buildDir, dockerfile.getParent().getParent());

        String secret = UUID.randomUUID().toString();
        try (EmbeddedKafka kafka = EmbeddedKafka.start();
                NangoGraphEmulator nango = NangoGraphEmulator.builder().secretKey(secret)
                        .connection("microsoft-excel", "carol", drive).build().start()) {
            kafka.createTopics(RelayFixture.TOPICS);
            Map<String, String> runtime = Map.of("KAFKA_BROKERS", kafka.bootstrapServers(),
                    "NANGO_BASE_URL", nango.baseUrl(), "NANGO_SECRET_KEY", secret,
                    // the shipped routes configure no source: this deployment syncs its connection on request
                    "WORKBOOK_RELAY_AD_HOC_REQUESTS", "true");

            int firstPort = FreePort.next();
            Process first = start(image, fs, runtime, firstPort, buildDir.resolve("image-layout-first.log"));
            awaitReady(first, firstPort, buildDir.resolve("image-layout-first.log"));
            JsonNode snapshot = sync(kafka.bootstrapServers(), "first-start");
            assertEquals("succeeded", snapshot.get("outcome").asText(), snapshot.toString());
            assertEquals(2, snapshot.get("workbooks").asInt(), snapshot.toString());

            for (String volume : image.volumes()) {
                Path data = inImage(fs, volume);
                try (Stream<Path> files = Files.list(data)) {
                    List<Path> written = files.toList();
                    assertTrue(written.stream().anyMatch(f -> f.getFileName().toString().endsWith(".mv.db")),
                            "the state database is in the volume " + volume + ": " + written);
                    for (Path f : written) {
                        assertEquals(image.uid(), Files.getAttribute(f, "unix:uid"), f + " written by the image's user");
                    }
                }
            }

            // docker stop: SIGTERM, then the container is recreated on the same volume
            first.destroy();
            assertTrue(first.waitFor(60, TimeUnit.SECONDS), "stopped on SIGTERM");
            int secondPort = FreePort.next();
            Process second = start(image, fs, runtime, secondPort, buildDir.resolve("image-layout-second.log"));
            awaitReady(second, secondPort, buildDir.resolve("image-layout-second.log"));
            JsonNode resumed = sync(kafka.bootstrapServers(), "after-recreate");
            assertEquals("succeeded", resumed.get("outcome").asText(), resumed.toString());
            assertEquals("incremental", resumed.get("mode").asText(), "the state survived: " + resumed);
            assertEquals(0, resumed.get("workbooks").asInt(), "nothing changed, nothing snapshotted again: " + resumed);
            try (RawRecords workbooks = new RawRecords(kafka.bootstrapServers(), "workbook-relay.workbooks")) {
                assertEquals(2, workbooks.readQuiet(Duration.ofSeconds(2), Duration.ofSeconds(15)).size(),
                        "one event per workbook, from the first start only");
            }
        } finally {
            deleteAll(root);
        }
    }

    /** Copies what the image copies, where it copies it; the application folder read-only, the volumes created. */
    private static void lay(DockerfileRuntime image, Path fs, Path buildDir, Path context) throws IOException {
        Files.setPosixFilePermissions(fs.getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(fs, PosixFilePermissions.fromString("rwxr-xr-x"));
        for (DockerfileRuntime.Copy copy : image.copies()) {
            Path source;
            if (copy.fromBuild()) {
                assertTrue(copy.source().startsWith("/src/target/"), "the build stage packages into /src/target: "
                        + copy);
                source = buildDir.resolve(copy.source().substring("/src/target/".length()));
            } else {
                source = context.resolve(copy.source());
            }
            assertTrue(Files.exists(source), "what the image copies exists (run after package): " + source);
            copyTree(source, inImage(fs, copy.target()));
        }
        Files.createDirectories(inImage(fs, image.workdir()));
        Set<Path> volumes = new TreeSet<>();
        for (String volume : image.volumes()) {
            volumes.add(Files.createDirectories(inImage(fs, volume)));
        }
        // everything but the volumes: root's (or, when the build is not root, this user's) and read-only
        try (Stream<Path> all = Files.walk(fs)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                if (volumes.stream().noneMatch(p::startsWith)) {
                    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(
                            Files.isDirectory(p) ? "r-xr-xr-x" : "r--r--r--"));
                }
            }
        }
        boolean root = isRoot();
        for (String volume : image.volumes()) {
            Path dir = inImage(fs, volume);
            boolean owned = image.ownedByUser().contains(volume);
            if (owned && root) {
                Files.setAttribute(dir, "unix:uid", image.uid());
            }
            // a volume the image does not give its user stays root's: writable only by root
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString(owned ? "rwxr-xr-x" : "r-xr-xr-x"));
        }
    }

    private Process start(DockerfileRuntime image, Path fs, Map<String, String> runtime, int managementPort,
            Path log) throws IOException {
        List<String> command = new ArrayList<>();
        if (isRoot()) {
            command.addAll(List.of("setpriv", "--reuid=" + image.uid(), "--regid=" + image.uid(), "--clear-groups",
                    "--"));
        }
        List<String> entrypoint = image.entrypoint();
        assertEquals("java", entrypoint.get(0), "the entrypoint starts the JRE");
        command.add(ProcessHandle.current().info().command().orElse("java"));
        Set<String> imagePaths = imagePaths(image);
        for (String arg : entrypoint.subList(1, entrypoint.size())) {
            command.add(mapped(arg, fs, imagePaths));
        }
        ProcessBuilder builder = new ProcessBuilder(command).directory(inImage(fs, image.workdir()).toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        String path = env.get("PATH");
        env.clear();
        env.put("PATH", path);
        image.env().forEach((k, v) -> env.put(k, mapped(v, fs, imagePaths)));
        env.putAll(runtime);
        env.put("WORKBOOK_RELAY_MANAGEMENT_PORT", Integer.toString(managementPort));
        env.put("WORKBOOK_RELAY_WEBHOOK_PORT", Integer.toString(FreePort.next()));
        Process process = builder.start();
        processes.add(process);
        return process;
    }

    private static void awaitReady(Process process, int port, Path log) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("the relay exited with " + process.exitValue() + " before it was ready:\n"
                        + tail(log));
            }
            try {
                HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/observe/health/ready")).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (ready.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError("not ready after 120 s:\n" + tail(log));
    }

    private static JsonNode sync(String brokers, String requestId) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>("workbook-relay.sync-requests", null,
                    ("{\"connectionId\":\"carol\",\"requestId\":\"" + requestId + "\"}")
                            .getBytes(StandardCharsets.UTF_8))).get();
        }
        return SyncStatuses.await(brokers, requestId);
    }

    /** The folders at the image's root that the layout creates (/app, /data): their paths are mapped into it. */
    private static Set<String> imagePaths(DockerfileRuntime image) {
        Set<String> tops = new TreeSet<>();
        List<String> paths = new ArrayList<>(image.volumes());
        paths.add(image.workdir());
        image.copies().forEach(c -> paths.add(c.target()));
        for (String p : paths) {
            tops.add("/" + p.substring(1).split("/")[0]);
        }
        return tops;
    }

    /** An image path inside a value (a JDBC URL, a -jar argument) as the same path in the laid-out folder. */
    private static String mapped(String value, Path fs, Set<String> imagePaths) {
        String out = value;
        for (String top : imagePaths) {
            Matcher m = Pattern.compile("(^|[:=\\s])" + Pattern.quote(top) + "(?=/|$|[;\\s])").matcher(out);
            out = m.replaceAll(r -> Matcher.quoteReplacement(r.group(1) + inImage(fs, top)));
        }
        return out;
    }

    private static Path inImage(Path fs, String imagePath) {
        return fs.resolve(imagePath.replaceFirst("^/", ""));
    }

    private static boolean isRoot() throws IOException {
        return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
    }

    private static void copyTree(Path source, Path target) throws IOException {
        try (Stream<Path> all = Files.walk(source)) {
            for (Path p : all.toList()) {
                Path to = target.resolve(source.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.createDirectories(to.getParent());
                    Files.copy(p, to, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    private static void deleteAll(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                if (!p.equals(root)) {
                    p.getParent().toFile().setWritable(true, true);
                }
                Files.deleteIfExists(p);
            }
        }
    }
}

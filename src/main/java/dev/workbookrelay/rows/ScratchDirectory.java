package dev.workbookrelay.rows;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance's folder for the temporary files of rows (downloaded workbooks, spooled row values), under
 * {@code workbook-relay.rows.scratch-dir}. A relay killed with -9 cannot delete its files, so each instance holds a
 * lock on its folder while it runs, and at start deletes the folders whose lock nobody holds: other instances
 * sharing the parent folder keep theirs (a lock, unlike a process id, means the same inside containers).
 */
public final class ScratchDirectory implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ScratchDirectory.class);
    private static final String PREFIX = "workbook-relay-";
    private static final String LOCK = ".lock";
    private static final long UNLOCKED_GRACE_MS = 60_000;

    private final Path folder;
    private final FileChannel lockFile;
    private final FileLock lock;

    private ScratchDirectory(Path folder, FileChannel lockFile, FileLock lock) {
        this.folder = folder;
        this.lockFile = lockFile;
        this.lock = lock;
    }

    /** Deletes the folders dead instances left under {@code parent}, then makes and locks this instance's. */
    public static ScratchDirectory open(Path parent) {
        try {
            Files.createDirectories(parent);
            sweep(parent);
            Path folder = Files.createTempDirectory(parent, PREFIX);
            FileChannel channel = FileChannel.open(folder.resolve(LOCK), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            return new ScratchDirectory(folder, channel, channel.lock());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a scratch folder for rows under " + parent
                    + " (workbook-relay.rows.scratch-dir)", e);
        }
    }

    /** A new empty file in this instance's folder. */
    public Path newFile(String prefix, String suffix) {
        try {
            return Files.createTempFile(folder, prefix, suffix);
        } catch (IOException e) {
            throw new UncheckedIOException("no temporary file in " + folder, e);
        }
    }

    public Path folder() {
        return folder;
    }

    private static void sweep(Path parent) throws IOException {
        try (DirectoryStream<Path> folders = Files.newDirectoryStream(parent, PREFIX + "*")) {
            for (Path folder : folders) {
                if (Files.isDirectory(folder) && abandoned(folder)) {
                    LOG.info("deleting {}: left by a relay that is no longer running", folder);
                    delete(folder);
                }
            }
        }
    }

    /**
     * Whether no running relay holds the folder's lock (taking it, and letting go at once, tells). A folder without a
     * lock yet may be another instance's, starting this very moment: it counts as abandoned only once it is old.
     */
    private static boolean abandoned(Path folder) throws IOException {
        Path lockPath = folder.resolve(LOCK);
        if (!Files.exists(lockPath)) {
            return Files.getLastModifiedTime(folder).toMillis() < System.currentTimeMillis() - UNLOCKED_GRACE_MS;
        }
        try (FileChannel channel = FileChannel.open(lockPath, StandardOpenOption.WRITE);
                FileLock held = channel.tryLock()) {
            return held != null;
        } catch (OverlappingFileLockException e) {
            return false; // this very JVM holds it
        } catch (IOException e) {
            return false;
        }
    }

    private static void delete(Path folder) throws IOException {
        try (Stream<Path> all = Files.walk(folder)) {
            for (Path path : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            lockFile.close();
            delete(folder);
        } catch (IOException e) {
            LOG.warn("could not delete the scratch folder {}: {}", folder, e.getMessage());
        }
    }
}

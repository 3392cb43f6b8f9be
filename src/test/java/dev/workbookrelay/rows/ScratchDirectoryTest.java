package dev.workbookrelay.rows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each instance's scratch folder: locked while it runs, swept at the next start once its relay is gone. */
class ScratchDirectoryTest {

    @TempDir
    Path parent;

    @Test
    void foldersOfRelaysThatAreGoneAreDeletedAndThoseOfRunningOnesKept() throws Exception {
        // left by a relay killed with -9: its lock file is there, but nobody holds it
        Path dead = Files.createDirectories(parent.resolve("workbook-relay-123"));
        Files.createFile(dead.resolve(".lock"));
        Files.writeString(dead.resolve("download-1.xlsx"), "half a workbook");
        // another instance starting this very moment: no lock yet, but new
        Path starting = Files.createDirectories(parent.resolve("workbook-relay-456"));
        // one that died before it could take its lock, long ago
        Path old = Files.createDirectories(parent.resolve("workbook-relay-789"));
        Files.setLastModifiedTime(old, FileTime.from(Instant.now().minusSeconds(3600)));
        Path unrelated = Files.createDirectories(parent.resolve("other-tool"));

        try (ScratchDirectory running = ScratchDirectory.open(parent)) {
            assertFalse(Files.exists(dead), "a dead relay's files go");
            assertFalse(Files.exists(old));
            assertTrue(Files.exists(starting), "a folder that may be another instance's, starting, stays");
            assertTrue(Files.exists(unrelated), "only the relay's own folders are touched");
            Path file = running.newFile("rows-", ".spool");
            assertEquals(running.folder(), file.getParent());

            try (ScratchDirectory second = ScratchDirectory.open(parent)) {
                assertTrue(Files.exists(file), "a running instance's folder is kept by the next one's start");
                assertEquals(List.of(running.folder(), second.folder(), starting).stream().sorted().toList(),
                        relayFolders());
            }
            assertTrue(Files.exists(file));
        }
        assertEquals(List.of(starting), relayFolders(), "a relay that stops deletes its folder");
    }

    private List<Path> relayFolders() throws Exception {
        try (Stream<Path> all = Files.list(parent)) {
            return all.filter(p -> p.getFileName().toString().startsWith("workbook-relay-")).sorted().toList();
        }
    }
}

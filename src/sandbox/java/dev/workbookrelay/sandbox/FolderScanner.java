package dev.workbookrelay.sandbox;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One pass over a drive folder: every visible file and folder with the attributes the index compares, in tree
 * order (the root, then each folder right before its contents, names sorted) so parents always come first.
 * Hidden entries ({@code .name}) and Office lock files ({@code ~$name}) are not part of the drive.
 */
final class FolderScanner {

    /** {@code relPath} uses {@code /} and is empty for the root; {@code fileKey} is the inode where the OS has one. */
    record Scanned(Path path, String relPath, String name, boolean folder, Object fileKey, long size,
                   FileTime lastModified, FileTime created) {

        String parentRelPath() {
            int slash = relPath.lastIndexOf('/');
            return slash < 0 ? "" : relPath.substring(0, slash);
        }

        int depth() {
            return relPath.isEmpty() ? 0 : (int) relPath.chars().filter(c -> c == '/').count() + 1;
        }
    }

    private FolderScanner() {
    }

    static boolean isPartOfDrive(String name) {
        return !name.startsWith(".") && !name.startsWith("~$");
    }

    static List<Scanned> scan(Path root) throws IOException {
        Map<String, List<Scanned>> children = new HashMap<>();
        Scanned[] rootEntry = new Scanned[1];
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                if (dir.equals(root)) {
                    rootEntry[0] = entry(root, dir, attrs, true);
                    return FileVisitResult.CONTINUE;
                }
                if (!isPartOfDrive(dir.getFileName().toString())) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                add(entry(root, dir, attrs, true));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (attrs.isRegularFile() && isPartOfDrive(file.getFileName().toString())) {
                    add(entry(root, file, attrs, false));
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                // a file deleted while the walk runs is simply not there
                if (e instanceof NoSuchFileException && !file.equals(root)) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }

            private void add(Scanned scanned) {
                children.computeIfAbsent(scanned.parentRelPath(), k -> new ArrayList<>()).add(scanned);
            }
        });
        List<Scanned> ordered = new ArrayList<>();
        ordered.add(rootEntry[0]);
        appendChildren("", children, ordered);
        return ordered;
    }

    private static void appendChildren(String folder, Map<String, List<Scanned>> children, List<Scanned> out) {
        List<Scanned> entries = children.get(folder);
        if (entries == null) {
            return;
        }
        entries.sort(Comparator.comparing(Scanned::name));
        for (Scanned entry : entries) {
            out.add(entry);
            if (entry.folder()) {
                appendChildren(entry.relPath(), children, out);
            }
        }
    }

    private static Scanned entry(Path root, Path path, BasicFileAttributes attrs, boolean folder) {
        String relPath = root.relativize(path).toString().replace(path.getFileSystem().getSeparator(), "/");
        String name = relPath.isEmpty() ? "root" : path.getFileName().toString();
        return new Scanned(path, relPath, name, folder, attrs.fileKey(), folder ? 0 : attrs.size(),
                attrs.lastModifiedTime(), attrs.creationTime());
    }
}

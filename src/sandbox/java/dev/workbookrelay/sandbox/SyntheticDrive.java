package dev.workbookrelay.sandbox;

import dev.workbookrelay.sandbox.SampleWorkbooks.SheetSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A large drive for benchmarks: {@code workbooks} real .xlsx files of {@code worksheets} sheets each, 100 to a
 * folder, ten folders to a parent ({@code b000/f0/Workbook 0000000.xlsx}), so a drive of N workbooks holds about
 * 1.1 × N/100 folders. One template is written with POI and its bytes copied into each file, so each workbook is a
 * file of its own (its own inode, hence its own item id in the emulator) at the cost of a plain write.
 *
 * <p>A folder that already holds the same drive (a hidden {@code .synthetic-drive} marker says which) is reused
 * as it is, so scenarios and runs share it; any other content is deleted and written anew.
 */
public final class SyntheticDrive {

    private static final String MARKER = ".synthetic-drive";
    private static final int PER_FOLDER = 100;
    private static final int FOLDERS_PER_PARENT = 10;

    private SyntheticDrive() {
    }

    /** The drive folder {@code dir}, holding exactly that drive when this returns. */
    public static Path ensure(Path dir, int workbooks, int worksheets) throws IOException {
        if (workbooks < 0 || worksheets < 1) {
            throw new IllegalArgumentException("need workbooks >= 0 and worksheets >= 1");
        }
        String identity = "workbooks=" + workbooks + "\nworksheets=" + worksheets + "\nlayout=1\n";
        Path marker = dir.resolve(MARKER);
        if (Files.isRegularFile(marker) && Files.readString(marker, StandardCharsets.UTF_8).equals(identity)) {
            return dir;
        }
        deleteTree(dir);
        Files.createDirectories(dir);
        byte[] template = template(dir.resolveSibling(dir.getFileName() + ".template.xlsx"), worksheets);
        Path folder = null;
        for (int i = 0; i < workbooks; i++) {
            if (i % PER_FOLDER == 0) {
                folder = Files.createDirectories(dir.resolve(folderOf(i)));
            }
            Files.write(folder.resolve(String.format(Locale.ROOT, "Workbook %07d.xlsx", i)), template);
        }
        Files.writeString(marker, identity, StandardCharsets.UTF_8);
        return dir;
    }

    /** How many items a delta enumeration of such a drive lists: the root, the folders and the workbooks. */
    public static int items(int workbooks) {
        int leaves = (workbooks + PER_FOLDER - 1) / PER_FOLDER;
        int parents = (leaves + FOLDERS_PER_PARENT - 1) / FOLDERS_PER_PARENT;
        return 1 + parents + leaves + workbooks;
    }

    private static String folderOf(int workbook) {
        int leaf = workbook / PER_FOLDER;
        return String.format(Locale.ROOT, "b%03d/f%d", leaf / FOLDERS_PER_PARENT, leaf % FOLDERS_PER_PARENT);
    }

    private static byte[] template(Path file, int worksheets) throws IOException {
        List<SheetSpec> sheets = new ArrayList<>();
        for (int s = 1; s <= worksheets; s++) {
            sheets.add(SheetSpec.of("Sheet " + s, List.of("Region", "Quarter", "Amount"), List.of("North", "Q" + s, 1000 * s)));
        }
        SampleWorkbooks.write(file, sheets);
        try {
            return Files.readAllBytes(file);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}

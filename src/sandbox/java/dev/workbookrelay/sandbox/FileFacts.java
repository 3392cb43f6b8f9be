package dev.workbookrelay.sandbox;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What is costly to learn about a file (its quickXorHash, its sheet list, its tables), remembered per path for as long as the
 * file keeps the same size and modification time, so rescanning a large drive only reads what changed.
 */
final class FileFacts {

    private record Version(long size, FileTime lastModified) {
    }

    private static final class Known {
        final Version version;
        volatile String quickXorHash;
        volatile List<XlsxSheets.Sheet> sheets;
        volatile IOException sheetsFailure;
        volatile List<XlsxTables.Table> tables;

        Known(Version version) {
            this.version = version;
        }
    }

    private final Map<Path, Known> known = new ConcurrentHashMap<>();

    String quickXorHash(Path file, long size, FileTime lastModified) throws IOException {
        Known facts = factsOf(file, size, lastModified);
        if (facts.quickXorHash == null) {
            facts.quickXorHash = QuickXorHash.of(file);
        }
        return facts.quickXorHash;
    }

    /** The sheet list, or the same failure again for a file that could not be read. */
    List<XlsxSheets.Sheet> sheets(Path file, long size, FileTime lastModified) throws IOException {
        Known facts = factsOf(file, size, lastModified);
        if (facts.sheets == null && facts.sheetsFailure == null) {
            try {
                facts.sheets = XlsxSheets.read(file);
            } catch (XlsxSheets.NotAnXlsxException e) {
                facts.sheetsFailure = e;
            }
        }
        if (facts.sheetsFailure != null) {
            throw facts.sheetsFailure;
        }
        return facts.sheets;
    }

    /** The workbook's tables (read after its sheets, so a broken file fails as the sheet list does). */
    List<XlsxTables.Table> tables(Path file, long size, FileTime lastModified) throws IOException {
        sheets(file, size, lastModified);
        Known facts = factsOf(file, size, lastModified);
        if (facts.tables == null) {
            facts.tables = XlsxTables.read(file);
        }
        return facts.tables;
    }

    /** Forgets files that are no longer in the drive. */
    void retainOnly(Set<Path> paths) {
        known.keySet().retainAll(paths);
    }

    private Known factsOf(Path file, long size, FileTime lastModified) {
        Version version = new Version(size, lastModified);
        return known.compute(file, (path, existing) ->
                existing != null && existing.version.equals(version) ? existing : new Known(version));
    }
}

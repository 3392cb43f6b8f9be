package dev.workbookrelay.support;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;

/**
 * What a drive folder holds, read from the files with Apache POI (independently of the emulator's own reader):
 * workbook path → its sheet names in workbook order.
 */
public final class DriveTruth {

    private DriveTruth() {
    }

    /** {@code /Folder/Book.xlsx} → sheet names by position, for every .xlsx under {@code root}. */
    public static Map<String, List<String>> of(Path root) throws IOException {
        Map<String, List<String>> truth = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".xlsx")).toList()) {
                String path = "/" + root.relativize(file).toString().replace('\\', '/');
                List<String> sheets = new ArrayList<>();
                try (InputStream in = Files.newInputStream(file); XSSFWorkbook workbook = new XSSFWorkbook(in)) {
                    workbook.forEach(sheet -> sheets.add(sheet.getSheetName()));
                }
                truth.put(path, sheets);
            }
        }
        return truth;
    }
}

package dev.workbookrelay.sandbox;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.IntFunction;

import org.apache.poi.hssf.usermodel.HSSFWorkbook;
import org.apache.poi.ss.SpreadsheetVersion;
import org.apache.poi.ss.usermodel.DataFormatter;
import org.apache.poi.ss.util.AreaReference;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.FormulaError;
import org.apache.poi.ss.usermodel.FormulaEvaluator;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.usermodel.SheetVisibility;
import org.apache.poi.ss.usermodel.Workbook;
import org.apache.poi.ss.util.CellReference;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;
import org.apache.poi.xssf.usermodel.XSSFSheet;
import org.apache.poi.xssf.usermodel.XSSFTable;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.openxmlformats.schemas.spreadsheetml.x2006.main.CTTable;
import org.openxmlformats.schemas.spreadsheetml.x2006.main.CTTableStyleInfo;

/**
 * Writes real .xlsx files with Apache POI, and changes them the ways users do (rename, add, remove, move, hide a
 * sheet, edit a cell, insert, delete or replace rows, add or rename a table). Every change rewrites the file in place, so it keeps its inode
 * (and its drive item id), and makes sure the modification time moves even when two writes fall in the same clock
 * tick. Formula results are stored, as Excel stores them; {@link #writeLarge} streams a big sheet.
 *
 * <p>{@link #main(String[])} (re)creates the sample drive shipped in {@code src/sandbox/drive}.
 */
public final class SampleWorkbooks {

    /** An error value in a cell, as Excel shows it: {@code #N/A}, {@code #REF!}, {@code #DIV/0!}… */
    public record CellError(String text) {
        public static final CellError NA = new CellError("#N/A");
        public static final CellError REF = new CellError("#REF!");
        public static final CellError DIV0 = new CellError("#DIV/0!");
        public static final CellError VALUE = new CellError("#VALUE!");
        public static final CellError NAME = new CellError("#NAME?");
        public static final CellError NUM = new CellError("#NUM!");
        public static final CellError NULL = new CellError("#NULL!");

        /** Only Excel's error texts: anything else could not be written as an error cell. */
        public CellError {
            FormulaError.forString(text); // IllegalArgumentException for an unknown one
        }
    }

    /**
     * A worksheet to write. Row values: {@link String} (one starting with {@code =} is a formula), {@link Number},
     * {@link Boolean}, {@link LocalDate}, {@link LocalDateTime}, {@link CellError}, or null for an empty cell.
     */
    public record SheetSpec(String name, WorksheetVisibility visibility, List<List<Object>> rows) {

        public SheetSpec {
            Objects.requireNonNull(name);
            Objects.requireNonNull(visibility);
            List<List<Object>> copy = new ArrayList<>();
            for (List<?> row : rows) {
                copy.add(Collections.unmodifiableList(new ArrayList<>(row)));
            }
            rows = Collections.unmodifiableList(copy);
        }

        /** A visible sheet with these rows. */
        public static SheetSpec of(String name, List<?>... rows) {
            List<List<Object>> list = new ArrayList<>();
            for (List<?> row : rows) {
                list.add(new ArrayList<>(row));
            }
            return new SheetSpec(name, WorksheetVisibility.VISIBLE, list);
        }

        public SheetSpec withVisibility(WorksheetVisibility visibility) {
            return new SheetSpec(name, visibility, rows);
        }
    }

    private SampleWorkbooks() {
    }

    /** Writes a new workbook (or replaces the content of an existing file, in place). */
    public static void write(Path file, List<SheetSpec> sheets) throws IOException {
        if (sheets.isEmpty() || sheets.stream().allMatch(s -> s.visibility() != WorksheetVisibility.VISIBLE)) {
            throw new IllegalArgumentException("a workbook needs at least one visible sheet");
        }
        try (XSSFWorkbook workbook = new XSSFWorkbook()) {
            workbook.getProperties().getCoreProperties().setCreator("workbook-relay sandbox");
            for (SheetSpec spec : sheets) {
                fill(workbook, workbook.createSheet(spec.name()), spec.rows());
            }
            for (SheetSpec spec : sheets) {
                workbook.setSheetVisibility(workbook.getSheetIndex(spec.name()), poi(spec.visibility()));
            }
            recalculate(workbook);
            activateFirstVisible(workbook);
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            save(file, workbook);
        }
    }

    public static void write(Path file, SheetSpec... sheets) throws IOException {
        write(file, List.of(sheets));
    }

    public static void renameSheet(Path file, String from, String to) throws IOException {
        change(file, workbook -> workbook.setSheetName(indexOf(workbook, from, file), to));
    }

    /** Appends a sheet after the existing ones. */
    public static void addSheet(Path file, SheetSpec sheet) throws IOException {
        change(file, workbook -> {
            fill(workbook, workbook.createSheet(sheet.name()), sheet.rows());
            workbook.setSheetVisibility(workbook.getSheetIndex(sheet.name()), poi(sheet.visibility()));
        });
    }

    public static void removeSheet(Path file, String name) throws IOException {
        change(file, workbook -> workbook.removeSheetAt(indexOf(workbook, name, file)));
    }

    /** Moves a sheet to a zero-based position among the sheets. */
    public static void moveSheet(Path file, String name, int position) throws IOException {
        change(file, workbook -> {
            indexOf(workbook, name, file);
            workbook.setSheetOrder(name, position);
        });
    }

    public static void hideSheet(Path file, String name) throws IOException {
        setVisibility(file, name, WorksheetVisibility.HIDDEN);
    }

    public static void setVisibility(Path file, String name, WorksheetVisibility visibility) throws IOException {
        change(file, workbook -> {
            int index = indexOf(workbook, name, file);
            if (workbook.getActiveSheetIndex() == index && visibility != WorksheetVisibility.VISIBLE) {
                // Excel will not show a hidden sheet as the active one: hand the focus to another sheet first
                workbook.setActiveSheet(firstVisibleOtherThan(workbook, index));
            }
            workbook.setSheetVisibility(index, poi(visibility));
        });
    }

    /** Sets one cell, e.g. {@code editCell(file, "Q1", "B2", 1250.5)}; values as in {@link SheetSpec}. */
    public static void editCell(Path file, String sheet, String cellRef, Object value) throws IOException {
        change(file, workbook -> {
            Sheet target = workbook.getSheetAt(indexOf(workbook, sheet, file));
            CellReference ref = new CellReference(cellRef);
            Row row = target.getRow(ref.getRow()) != null ? target.getRow(ref.getRow()) : target.createRow(ref.getRow());
            setValue(workbook, row.getCell(ref.getCol(), Row.MissingCellPolicy.CREATE_NULL_AS_BLANK), value);
        });
    }

    /** Inserts a row above the zero-based {@code rowIndex} (the rows from there move down one). */
    public static void insertRow(Path file, String sheet, int rowIndex, List<?> values) throws IOException {
        change(file, workbook -> {
            Sheet target = workbook.getSheetAt(indexOf(workbook, sheet, file));
            if (rowIndex <= target.getLastRowNum()) {
                target.shiftRows(rowIndex, target.getLastRowNum(), 1);
            }
            fillRow(workbook, target.createRow(rowIndex), values);
        });
    }

    /** Deletes the zero-based {@code rowIndex} (the rows below move up one). */
    public static void deleteRow(Path file, String sheet, int rowIndex) throws IOException {
        change(file, workbook -> {
            Sheet target = workbook.getSheetAt(indexOf(workbook, sheet, file));
            Row row = target.getRow(rowIndex);
            if (row != null) {
                target.removeRow(row);
            }
            if (rowIndex < target.getLastRowNum()) {
                target.shiftRows(rowIndex + 1, target.getLastRowNum(), -1);
            }
        });
    }

    /** Replaces every row of a sheet (values as in {@link SheetSpec}). */
    public static void setRows(Path file, String sheet, List<? extends List<?>> rows) throws IOException {
        change(file, workbook -> {
            Sheet target = workbook.getSheetAt(indexOf(workbook, sheet, file));
            for (int r = target.getLastRowNum(); r >= 0; r--) {
                if (target.getRow(r) != null) {
                    target.removeRow(target.getRow(r));
                }
            }
            for (int r = 0; r < rows.size(); r++) {
                fillRow(workbook, target.createRow(r), rows.get(r));
            }
        });
    }

    /**
     * Writes (or rewrites in place) a workbook of one sheet with a header and {@code rows} rows made by
     * {@code row} (given the zero-based row number), streaming (a few rows in memory at a time), so a sheet of
     * 100,000 rows takes seconds. Values as in {@link SheetSpec}; a formula is written without its result (rows
     * already on disk cannot be computed), so readers see it as empty. Strings go to a shared-strings table, as
     * Excel writes them.
     */
    public static void writeLarge(Path file, String sheetName, List<?> header, int rows, IntFunction<List<?>> row)
            throws IOException {
        try (SXSSFWorkbook workbook = new SXSSFWorkbook(null, 200, false, true)) {
            Sheet sheet = workbook.createSheet(sheetName);
            fillRow(workbook, sheet.createRow(0), header);
            for (int r = 0; r < rows; r++) {
                fillRow(workbook, sheet.createRow(r + 1), row.apply(r));
            }
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            save(file, workbook); // close() then deletes the temporary files the rows were streamed to
        }
    }

    /**
     * Makes {@code areaRef} (e.g. {@code A1:D20}) of a sheet an Excel table (a ListObject) named {@code tableName},
     * as Excel's Format as Table does with "My table has headers": the area's first row is the header row (a blank
     * or repeated header cell gets Excel's {@code Column<n>} name, written into the cell), default style
     * {@code TableStyleMedium2} with banded rows and filter buttons.
     */
    public static void addTable(Path file, String sheet, String tableName, String areaRef) throws IOException {
        change(file, workbook -> {
            XSSFSheet target = workbook.getSheetAt(indexOf(workbook, sheet, file));
            AreaReference area = new AreaReference(areaRef, SpreadsheetVersion.EXCEL2007);
            nameHeaderCells(target, area);
            long id = 1 + allTables(workbook).stream().mapToLong(t -> t.getCTTable().getId()).max().orElse(0);
            XSSFTable table = target.createTable(area);
            table.setName(tableName);
            table.setDisplayName(tableName);
            CTTable ct = table.getCTTable();
            ct.setId(id);
            (ct.isSetAutoFilter() ? ct.getAutoFilter() : ct.addNewAutoFilter()).setRef(ct.getRef());
            CTTableStyleInfo style = ct.isSetTableStyleInfo() ? ct.getTableStyleInfo() : ct.addNewTableStyleInfo();
            style.setName("TableStyleMedium2");
            style.setShowFirstColumn(false);
            style.setShowLastColumn(false);
            style.setShowRowStripes(true);
            style.setShowColumnStripes(false);
        });
    }

    /** Renames a table (its id stays, as in Excel); names compare case-insensitively, as Excel's do. */
    public static void renameTable(Path file, String from, String to) throws IOException {
        change(file, workbook -> {
            XSSFTable table = allTables(workbook).stream().filter(t -> t.getName().equalsIgnoreCase(from))
                    .findFirst().orElseThrow(() -> new IllegalArgumentException("no table '" + from + "' in " + file));
            table.setName(to);
            table.setDisplayName(to);
        });
    }

    // ---- the shipped sample drive

    /** Writes the sample drive below {@code root}. Files already there under the same names are overwritten. */
    public static void createSampleDrive(Path root) throws IOException {
        write(root.resolve("Finance/Budget 2026.xlsx"), budget());
        write(root.resolve("Finance/Reports/Monthly report.xlsx"),
                SheetSpec.of("January", List.of("Account", "Amount"), List.of("Sales", 48200), List.of("Payroll", -31000)),
                SheetSpec.of("February", List.of("Account", "Amount"), List.of("Sales", 51750), List.of("Payroll", -31000)),
                SheetSpec.of("Workings", List.of("Note"), List.of("FX rates taken on the last business day"))
                        .withVisibility(WorksheetVisibility.HIDDEN));
        write(root.resolve("Sales/Pipeline.xlsx"),
                SheetSpec.of("Open deals", List.of("Customer", "Stage", "Value", "Close date"),
                        List.of("Fabrikam", "Proposal", 120000, LocalDate.of(2026, 3, 31)),
                        List.of("Northwind", "Negotiation", 86000, LocalDate.of(2026, 2, 27))),
                SheetSpec.of("Won", List.of("Customer", "Value", "Won on"),
                        List.of("Tailspin Toys", 42000, LocalDate.of(2026, 1, 14))));
        write(root.resolve("Team roster.xlsx"),
                SheetSpec.of("Team", List.of("Name", "Role", "Since"),
                        List.of("Adele Vance", "Finance lead", LocalDate.of(2021, 9, 1)),
                        List.of("Megan Bowen", "Sales", LocalDate.of(2023, 4, 17))));
        // files the pipeline must skip: not Office Open XML workbooks
        Files.writeString(root.resolve("notes.txt"), "Sandbox drive for workbook-relay. Edit, add, rename or delete "
                + "files here while the sandbox runs; the next sync picks the change up.\n", StandardCharsets.UTF_8);
        Files.writeString(root.resolve("Sales/export.csv"),
                "Customer,Stage,Value\nFabrikam,Proposal,120000\nNorthwind,Negotiation,86000\n", StandardCharsets.UTF_8);
        Files.createDirectories(root.resolve("Legacy"));
        try (HSSFWorkbook legacy = new HSSFWorkbook()) {
            legacy.createSheet("Old").createRow(0).createCell(0).setCellValue("Excel 97-2003 format");
            save(root.resolve("Legacy/old-format.xls"), legacy);
        }
    }

    private static List<SheetSpec> budget() {
        List<SheetSpec> sheets = new ArrayList<>();
        sheets.add(SheetSpec.of("Summary", List.of("Quarter", "Budget", "Actual"),
                List.of("Q1", "=SUM(Q1!B2:B4)", "=SUM(Q1!C2:C4)"),
                List.of("Q2", "=SUM(Q2!B2:B4)", "=SUM(Q2!C2:C4)"),
                List.of("Q3", "=SUM(Q3!B2:B4)", "=SUM(Q3!C2:C4)"),
                List.of("Q4", "=SUM(Q4!B2:B4)", "=SUM(Q4!C2:C4)")));
        int[][] figures = {{120000, 118400}, {125000, 131250}, {118000, 0}, {140000, 0}};
        for (int q = 0; q < 4; q++) {
            int budget = figures[q][0];
            int actual = figures[q][1];
            sheets.add(SheetSpec.of("Q" + (q + 1), List.of("Category", "Budget", "Actual"),
                    List.of("Salaries", budget * 6 / 10, actual * 6 / 10),
                    List.of("Marketing", budget * 3 / 10, actual * 3 / 10),
                    List.of("Travel", budget / 10, actual / 10)));
        }
        return sheets;
    }

    /** {@code java ... SampleWorkbooks [folder]}: (re)creates the sample drive, by default {@code src/sandbox/drive}. */
    public static void main(String[] args) throws IOException {
        Path root = Path.of(args.length > 0 ? args[0] : "src/sandbox/drive");
        createSampleDrive(root);
        System.out.println("sample drive written to " + root.toAbsolutePath());
    }

    // ---- POI plumbing

    private interface Change {
        void apply(XSSFWorkbook workbook) throws IOException;
    }

    private static void change(Path file, Change change) throws IOException {
        try (XSSFWorkbook workbook = new XSSFWorkbook(new ByteArrayInputStream(Files.readAllBytes(file)))) {
            change.apply(workbook);
            recalculate(workbook);
            activateFirstVisible(workbook);
            save(file, workbook);
        }
    }

    /**
     * Stores each formula's result in the file, as Excel does when it saves, so readers (and the emulator's range
     * API) see values; a formula POI cannot compute is left without one.
     */
    private static void recalculate(Workbook workbook) {
        FormulaEvaluator evaluator = workbook.getCreationHelper().createFormulaEvaluator();
        for (Sheet sheet : workbook) {
            for (Row row : sheet) {
                for (Cell cell : row) {
                    if (cell.getCellType() == CellType.FORMULA) {
                        try {
                            evaluator.evaluateFormulaCell(cell);
                        } catch (RuntimeException e) {
                            // a function POI does not implement: Excel computes it on open, we leave it out
                        }
                    }
                }
            }
        }
    }

    /** Rewrites the bytes of the existing file (same inode) and makes sure its modification time changed. */
    private static void save(Path file, Workbook workbook) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        workbook.write(bytes);
        FileTime before = Files.exists(file) ? Files.getLastModifiedTime(file) : null;
        Files.write(file, bytes.toByteArray());
        if (before != null && Files.getLastModifiedTime(file).compareTo(before) <= 0) {
            Files.setLastModifiedTime(file, FileTime.fromMillis(before.toMillis() + 1));
        }
    }

    private static void fill(Workbook workbook, Sheet sheet, List<List<Object>> rows) {
        for (int r = 0; r < rows.size(); r++) {
            fillRow(workbook, sheet.createRow(r), rows.get(r));
        }
    }

    private static void fillRow(Workbook workbook, Row row, List<?> values) {
        for (int c = 0; c < values.size(); c++) {
            if (values.get(c) != null) {
                setValue(workbook, row.createCell(c), values.get(c));
            }
        }
    }

    private static void setValue(Workbook workbook, Cell cell, Object value) {
        if (value == null) {
            cell.setBlank();
        } else if (value instanceof String text && text.startsWith("=") && text.length() > 1) {
            cell.setCellFormula(text.substring(1));
        } else if (value instanceof String text) {
            cell.setCellValue(text);
        } else if (value instanceof Number number) {
            cell.setCellValue(number.doubleValue());
        } else if (value instanceof Boolean flag) {
            cell.setCellValue(flag);
        } else if (value instanceof LocalDate date) {
            cell.setCellValue(date);
            cell.setCellStyle(dateStyle(workbook, "yyyy-mm-dd"));
        } else if (value instanceof LocalDateTime dateTime) {
            cell.setCellValue(dateTime);
            cell.setCellStyle(dateStyle(workbook, "yyyy-mm-dd hh:mm:ss"));
        } else if (value instanceof CellError error) {
            cell.setCellErrorValue(FormulaError.forString(error.text()).getCode());
        } else {
            throw new IllegalArgumentException("unsupported cell value " + value.getClass().getName());
        }
    }

    /** One style per date format and workbook: a style per cell would hit Excel's limit of 64,000 styles. */
    private static CellStyle dateStyle(Workbook workbook, String format) {
        short id = workbook.getCreationHelper().createDataFormat().getFormat(format);
        for (int i = 0; i < workbook.getNumCellStyles(); i++) {
            CellStyle style = workbook.getCellStyleAt(i);
            if (style.getDataFormat() == id) {
                return style;
            }
        }
        CellStyle style = workbook.createCellStyle();
        style.setDataFormat(id);
        return style;
    }

    /** Excel's header rule: every header cell holds a text, unique in the table; blanks become {@code Column<n>}. */
    private static void nameHeaderCells(XSSFSheet sheet, AreaReference area) {
        int headerRow = area.getFirstCell().getRow();
        Row row = sheet.getRow(headerRow) != null ? sheet.getRow(headerRow) : sheet.createRow(headerRow);
        DataFormatter formatter = new DataFormatter(java.util.Locale.US);
        java.util.Set<String> taken = new java.util.HashSet<>();
        int first = area.getFirstCell().getCol();
        for (int c = first; c <= area.getLastCell().getCol(); c++) {
            Cell cell = row.getCell(c, Row.MissingCellPolicy.CREATE_NULL_AS_BLANK);
            String name = formatter.formatCellValue(cell).trim();
            String base = name.isEmpty() ? "Column" : name;
            for (int n = name.isEmpty() ? c - first + 1 : 2; name.isEmpty() || !taken.add(name.toLowerCase(
                    java.util.Locale.ROOT)); n++) {
                name = base + n;
            }
            cell.setCellValue(name);
        }
    }

    private static List<XSSFTable> allTables(XSSFWorkbook workbook) {
        List<XSSFTable> tables = new ArrayList<>();
        for (int i = 0; i < workbook.getNumberOfSheets(); i++) {
            tables.addAll(workbook.getSheetAt(i).getTables());
        }
        return tables;
    }

    private static int indexOf(Workbook workbook, String name, Path file) {
        int index = workbook.getSheetIndex(name);
        if (index < 0) {
            throw new IllegalArgumentException("no sheet '" + name + "' in " + file);
        }
        return index;
    }

    private static void activateFirstVisible(Workbook workbook) {
        int active = workbook.getActiveSheetIndex();
        if (active >= workbook.getNumberOfSheets() || !workbook.getSheetVisibility(active).equals(SheetVisibility.VISIBLE)) {
            active = firstVisibleOtherThan(workbook, -1);
        }
        workbook.setActiveSheet(active);
        workbook.setSelectedTab(active);
    }

    private static int firstVisibleOtherThan(Workbook workbook, int excluded) {
        for (int i = 0; i < workbook.getNumberOfSheets(); i++) {
            if (i != excluded && workbook.getSheetVisibility(i) == SheetVisibility.VISIBLE) {
                return i;
            }
        }
        throw new IllegalStateException("a workbook needs at least one visible sheet");
    }

    private static SheetVisibility poi(WorksheetVisibility visibility) {
        return switch (visibility) {
            case VISIBLE -> SheetVisibility.VISIBLE;
            case HIDDEN -> SheetVisibility.HIDDEN;
            case VERY_HIDDEN -> SheetVisibility.VERY_HIDDEN;
        };
    }
}

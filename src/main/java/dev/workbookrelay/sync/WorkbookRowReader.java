package dev.workbookrelay.sync;

import com.fasterxml.jackson.databind.JsonNode;
import dev.workbookrelay.events.WorkbookImage;
import dev.workbookrelay.events.WorksheetImage;
import dev.workbookrelay.graph.DriveRef;
import dev.workbookrelay.graph.GraphGet;
import dev.workbookrelay.graph.GraphPaths;
import dev.workbookrelay.graph.RangeAddress;
import dev.workbookrelay.graphcall.GraphCalls;
import dev.workbookrelay.nango.GraphApiException;
import dev.workbookrelay.rows.RowOptions;
import dev.workbookrelay.rows.ScratchDirectory;
import dev.workbookrelay.rows.SheetReader;
import dev.workbookrelay.rows.SheetReader.SheetRows;
import dev.workbookrelay.rows.XlsxWorkbook;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One workbook's rows, read one of two ways, which give the same rows: through Excel's workbook API in a
 * non-persistent session (the default), or from the file itself, downloaded ({@code /content} through the proxy) and
 * parsed as a stream — for a workbook larger than {@code downloadAboveBytes}, and for one the workbook API refuses
 * (then for the rest of the workbook). Worksheet ids, table lists and table addresses always come from the workbook
 * API: the file knows no Graph ids. The download is a file in the scratch folder, deleted on {@link #close()}.
 */
final class WorkbookRowReader implements AutoCloseable {

    /** An Excel table as the workbook API lists it. */
    record Table(String id, String name, boolean showHeaders, boolean showTotals) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(WorkbookRowReader.class);
    /** Errors that say the workbook API cannot serve this file's rows, while the file itself can be read. */
    private static final Set<String> REFUSALS = Set.of("unsupportedworkbook", "genericfileopenerror",
            "maxrequestdurationexceeded", "responsepayloadsizelimitexceeded", "rangeexceedslimit",
            "payloadtoolarge", "gatewaytimeoutuncategorized", "invalidsessionunsupportedworkbook");

    private final GraphCalls calls;
    private final SyncRun run;
    private final WorkbookImage workbook;
    private final SheetReader reader;
    private final Duration sessionPollInitial;
    private final DriveRef drive;
    private final ScratchDirectory scratch;
    private WorkbookSession session;
    private boolean fromFile;
    private Path download;
    private XlsxWorkbook file;

    WorkbookRowReader(GraphCalls calls, SyncRun run, WorkbookImage workbook, SheetReader reader,
            ScratchDirectory scratch, long downloadAboveBytes, Duration sessionPollInitial) {
        this.calls = calls;
        this.run = run;
        this.workbook = workbook;
        this.reader = reader;
        this.sessionPollInitial = sessionPollInitial;
        this.drive = run.request().drive();
        this.scratch = scratch;
        this.fromFile = workbook.size() != null && workbook.size() > downloadAboveBytes;
    }

    /** A worksheet's rows: through the workbook API unless the file is (or, once it refuses, becomes) the way. */
    SheetRows sheet(WorksheetImage sheet, RowOptions options) {
        if (!fromFile) {
            try {
                return reader.read(api(), worksheet(sheet), options);
            } catch (GraphApiException e) {
                fallBack(e, sheet.name());
            }
        }
        return file().read(sheet.name(), options);
    }

    /** The tables on a worksheet (listed through the workbook API, whichever way their rows are read). */
    List<Table> tables(WorksheetImage sheet) {
        JsonNode list = lookups().get(GraphPaths.worksheetTables(drive, workbook.driveId(), workbook.id(), sheet.id()));
        List<Table> tables = new ArrayList<>();
        for (JsonNode t : list.path("value")) {
            tables.add(new Table(t.path("id").asText(), t.path("name").asText(null),
                    t.path("showHeaders").asBoolean(true), t.path("showTotals").asBoolean(false)));
        }
        return tables;
    }

    /** A table's rows: its range without the totals row, its header (when it shows one) naming the columns. */
    SheetRows table(WorksheetImage sheet, Table table, String rowKey) {
        RangeAddress range = RangeAddress.parse(lookups().get(GraphPaths.tableRange(drive, workbook.driveId(),
                workbook.id(), table.id())).path("address").asText(null));
        RangeAddress area = table.showTotals() && range.rowCount() > 1
                ? range.rows(range.firstRow(), range.lastRow() - 1) : range;
        int header = table.showHeaders() ? area.firstRow() : 0;
        if (!fromFile) {
            try {
                return reader.read(api(), worksheet(sheet), area, header, rowKey);
            } catch (GraphApiException e) {
                fallBack(e, sheet.name() + " / " + table.name());
            }
        }
        return file().read(sheet.name(), area, header, rowKey);
    }

    /** Whether Graph's answer says its workbook API will not serve this file's rows (the file can still be read). */
    static boolean refusesTheFile(GraphApiException e) {
        return e.status() == 504 || e.status() == 413 || refusal(e.code()) || refusal(e.innerCode())
                || refusal(e.deepestCode());
    }

    private static boolean refusal(String code) {
        return code != null && REFUSALS.contains(code.toLowerCase(Locale.ROOT));
    }

    private void fallBack(GraphApiException e, String what) {
        if (!refusesTheFile(e)) {
            throw e;
        }
        LOG.info("sync {}: the workbook API refused the rows of {} in {} ({} {}); reading the downloaded file",
                run.syncId(), what, workbook.id(), e.status(), e.reason());
        fromFile = true;
    }

    /** Reads through the workbook session, opened at the first read. */
    private GraphGet api() {
        if (session == null) {
            session = WorkbookSession.open(calls, run, GraphPaths.workbook(drive, workbook.driveId(), workbook.id()),
                    sessionPollInitial);
        }
        return session.graph();
    }

    /** Lists and addresses: in the session when there is one, else without. */
    private GraphGet lookups() {
        return session != null ? session.graph() : calls.of(run.request().connection(), run)
                .holding(run.workbookCalls());
    }

    private String worksheet(WorksheetImage sheet) {
        return GraphPaths.worksheet(drive, workbook.driveId(), workbook.id(), sheet.id());
    }

    /** The downloaded file, fetched at the first read from it. */
    private XlsxWorkbook file() {
        if (file == null) {
            download = scratch.newFile("download-", ".xlsx");
            long started = System.nanoTime();
            try {
                run.workbookCalls().acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting to download " + workbook.id(), e);
            }
            long bytes;
            try {
                bytes = calls.download(run.request().connection(), run,
                        GraphPaths.content(drive, workbook.driveId(), workbook.id()), download);
            } finally {
                run.workbookCalls().release();
            }
            LOG.debug("sync {}: downloaded {} ({} bytes) in {} ms", run.syncId(), workbook.id(), bytes,
                    (System.nanoTime() - started) / 1_000_000);
            file = XlsxWorkbook.open(download, scratch);
        }
        return file;
    }

    @Override
    public void close() {
        if (session != null) {
            session.close();
        }
        if (file != null) {
            file.close();
        }
        if (download != null) {
            try {
                Files.deleteIfExists(download);
            } catch (IOException e) {
                LOG.warn("sync {}: could not delete the temporary download {}: {}", run.syncId(), download,
                        e.getMessage());
            }
        }
    }
}

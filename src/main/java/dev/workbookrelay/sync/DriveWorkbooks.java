package dev.workbookrelay.sync;

import dev.workbookrelay.events.WorkbookImage;
import dev.workbookrelay.events.WorksheetImage;
import dev.workbookrelay.graph.DriveItem;
import dev.workbookrelay.graph.FolderPaths;
import dev.workbookrelay.graph.GraphPaths;
import dev.workbookrelay.graph.Identity;
import dev.workbookrelay.graph.PagedCollection;
import dev.workbookrelay.graph.Worksheet;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The split expressions of the sync route: a drive's workbooks and a workbook's worksheets, as lazy iterators
 * over Graph pages, so that the splitter streams them and the drive is never held in memory.
 */
public final class DriveWorkbooks {

    /** Exchange property holding the workbook whose worksheets are being listed. */
    public static final String WORKBOOK = "workbookRelayWorkbook";

    private static final Logger LOG = LoggerFactory.getLogger(DriveWorkbooks.class);

    private final ProducerTemplate template;
    private final int pageSize;

    public DriveWorkbooks(ProducerTemplate template, int pageSize) {
        this.template = template;
        this.pageSize = pageSize;
    }

    /** The workbooks a request asks for: the one it names, or all of its drive (and folder). */
    public Iterator<WorkbookImage> workbooks(Exchange exchange) {
        SyncRun run = exchange.getProperty(SyncRun.PROPERTY, SyncRun.class);
        return run.request().workbookId() == null ? all(exchange) : one(exchange).iterator();
    }

    /** Every .xlsx workbook of the request's drive (and folder), from a token-less delta enumeration. */
    Iterator<WorkbookImage> all(Exchange exchange) {
        SyncRun run = exchange.getProperty(SyncRun.PROPERTY, SyncRun.class);
        SyncRequest request = run.request();
        PagedCollection items = new PagedCollection(new CamelGraphGet(template, run),
                GraphPaths.delta(request.drive(), pageSize));
        FolderPaths folders = new FolderPaths();
        return new Iterator<>() {
            private WorkbookImage next;
            private int pagesCounted;

            @Override
            public boolean hasNext() {
                while (next == null && items.hasNext()) {
                    countPages();
                    DriveItem item = DriveItem.from(items.next());
                    folders.learn(item);
                    if (item.isWorkbook()) {
                        String parentPath = folders.parentPathOf(item);
                        if (request.inFolder(parentPath)) {
                            next = image(item, parentPath);
                        }
                    }
                }
                countPages();
                return next != null;
            }

            @Override
            public WorkbookImage next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                WorkbookImage result = next;
                next = null;
                run.workbookSeen();
                return result;
            }

            private void countPages() {
                while (pagesCounted < items.pages()) {
                    pagesCounted++;
                    run.pageFetched();
                    LOG.info("sync {} of {}: page {} read, {} workbooks so far", run.syncId(), request.source(),
                            pagesCounted, run.workbooks());
                }
            }
        };
    }

    /** The one workbook a request names. */
    List<WorkbookImage> one(Exchange exchange) {
        SyncRun run = exchange.getProperty(SyncRun.PROPERTY, SyncRun.class);
        SyncRequest request = run.request();
        DriveItem item = DriveItem.from(new CamelGraphGet(template, run)
                .get(GraphPaths.item(request.drive(), request.workbookId())));
        if (!item.isWorkbook()) {
            throw new InvalidSyncRequestException("item " + request.workbookId() + " ("
                    + (item.name() == null ? "unnamed" : item.name()) + ") is not an .xlsx workbook");
        }
        run.workbookSeen();
        return List.of(image(item, item.parentPath()));
    }

    /** The worksheets of the workbook in property {@link #WORKBOOK}, following paging. */
    public Iterator<WorksheetImage> worksheets(Exchange exchange) {
        SyncRun run = exchange.getProperty(SyncRun.PROPERTY, SyncRun.class);
        WorkbookImage workbook = exchange.getProperty(WORKBOOK, WorkbookImage.class);
        PagedCollection sheets = new PagedCollection(new CamelGraphGet(template, run),
                GraphPaths.worksheets(run.request().drive(), workbook.driveId(), workbook.id()));
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return sheets.hasNext();
            }

            @Override
            public WorksheetImage next() {
                Worksheet sheet = Worksheet.from(sheets.next());
                run.worksheetSeen();
                return new WorksheetImage(sheet.id(), sheet.name(), sheet.position(), sheet.visibility(),
                        workbook.id());
            }
        };
    }

    static WorkbookImage image(DriveItem item, String parentPath) {
        Identity who = item.lastModifiedBy();
        return new WorkbookImage(item.id(), item.name(), item.driveId(), item.parentId(), parentPath, item.webUrl(),
                item.size(), item.eTag(), item.cTag(), item.createdDateTime(), item.lastModifiedDateTime(),
                who == null ? null : new WorkbookImage.Modifier(who.displayName(), who.email(), who.id()));
    }
}

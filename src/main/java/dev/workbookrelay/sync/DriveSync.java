package dev.workbookrelay.sync;

import dev.workbookrelay.events.CloudEvent;
import dev.workbookrelay.events.SourceRef;
import dev.workbookrelay.events.WorkbookImage;
import dev.workbookrelay.events.WorksheetImage;
import dev.workbookrelay.graph.DriveItem;
import dev.workbookrelay.graph.FolderPaths;
import dev.workbookrelay.graph.GraphGet;
import dev.workbookrelay.graph.GraphPaths;
import dev.workbookrelay.graph.Identity;
import dev.workbookrelay.graph.PagedCollection;
import dev.workbookrelay.graph.Worksheet;
import dev.workbookrelay.nango.GraphApiException;
import dev.workbookrelay.state.JdbcSyncState;
import dev.workbookrelay.state.JdbcSyncState.Cursor;
import dev.workbookrelay.state.JdbcSyncState.WorkbookWrite;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Java steps of the sync route: where an enumeration starts (stored delta link, checkpoint, or from
 * scratch), the lazy stream of changed drive items, the events each item yields against stored state, the
 * state written once those events are published, and the reconciliation that finds deletions a fresh
 * enumeration implies.
 */
public final class DriveSync {

    /** Exchange property: the {@link WorkbookWrite} to store once an item's events are published. */
    static final String PENDING = "workbookRelayPendingState";
    /** Exchange property: the {@link PagedItem} being synced. */
    static final String ITEM = "workbookRelayItem";

    private static final Logger LOG = LoggerFactory.getLogger(DriveSync.class);

    /**
     * A drive item, the delta page it came from (number in this run and link: the checkpoint once the page is
     * done; -1 and null for a single workbook), and whether it told something new about a folder (only then is the
     * folder written to state).
     */
    public record PagedItem(DriveItem item, long page, String pageLink, boolean folderChanged) {
    }

    private final ProducerTemplate template;
    private final JdbcSyncState state;
    private final WorkbookDiff diff;
    private final int pageSize;

    DriveSync(ProducerTemplate template, JdbcSyncState state, WorkbookDiff diff, int pageSize) {
        this.template = template;
        this.state = state;
        this.diff = diff;
        this.pageSize = pageSize;
    }

    /** The drive items to look at: one named workbook, or the delta since the stored link. */
    public Iterator<PagedItem> items(Exchange exchange) {
        SyncRun run = SyncRoute.run(exchange);
        SyncRequest request = run.request();
        GraphGet graph = new CamelGraphGet(template, run);
        run.stateWriter(new BatchedStateWriter(state, run, pageSize));
        if (request.workbookId() != null) {
            run.mode("single");
            run.snapshot(request.full());
            return List.of(new PagedItem(DriveItem.from(graph.get(GraphPaths.item(request.drive(),
                    request.workbookId()))), -1, null, false)).iterator();
        }
        String key = request.stateKey();
        Cursor cursor = state.cursor(key).orElse(null);
        String first;
        if (request.full() || cursor == null) {
            run.mode(cursor == null ? "snapshot" : "full");
            run.snapshot(true);
            run.enumerationId(run.syncId());
            first = request.startFromLatest() && cursor == null ? GraphPaths.deltaFromNow(request.drive(), pageSize)
                    : GraphPaths.delta(request.drive(), pageSize);
        } else {
            run.mode(cursor.complete() ? "incremental" : "resume");
            run.enumerationId(cursor.enumerationId());
            // a snapshot cut short goes on as a snapshot: what was published before the crash comes again, same ids
            run.snapshot(!cursor.complete() && cursor.snapshot());
            first = cursor.link();
        }
        if (run.snapshot() && !state.hasWorkbooks(key)) {
            // nothing stored: only an item listed twice can find state (its own), so the others skip the lookup
            run.unstoredSource(new SeenItems());
        }
        for (var folder : state.folders(key).entrySet()) {
            run.folders().put(folder.getKey(), folder.getValue().parentId(), folder.getValue().name(),
                    folder.getValue().root());
        }
        return new DeltaItems(run, graph, first);
    }

    /** The events one drive item yields; the state to write is parked in {@link #PENDING}. */
    public List<CloudEvent> changes(Exchange exchange) {
        SyncRun run = SyncRoute.run(exchange);
        SyncRequest request = run.request();
        PagedItem paged = exchange.getMessage().getBody(PagedItem.class);
        exchange.setProperty(ITEM, paged);
        exchange.removeProperty(PENDING);
        DriveItem item = paged.item();
        String key = request.stateKey();
        if (item.id() == null) {
            return List.of();
        }
        if (item.folder() || item.root()) {
            if (paged.folderChanged() && item.deleted()) {
                state.deleteFolder(key, item.id());
            } else if (paged.folderChanged()) {
                state.saveFolder(key, item.id(), item.root() ? null : item.parentId(), item.root() ? "" : item.name(),
                        item.root());
            }
            return List.of();
        }
        // this sync's own write of the workbook, if it is not in the database yet (delta listed it twice)
        WorkbookWrite waiting = run.stateWriter().waiting(item.id());
        boolean cannotBeStored = run.unstoredSource() != null && !run.unstoredSource().add(item.id());
        WorkbookImage before = waiting != null ? waiting.image()
                : cannotBeStored ? null : state.workbook(key, item.id()).orElse(null);
        String parentPath = run.folders().parentPathOf(item);
        boolean live = item.isWorkbook() && request.inFolder(parentPath);
        if (!live && before == null) {
            return List.of();
        }
        if (live) {
            run.workbookSeen();
        }
        List<WorksheetImage> beforeSheets = before == null ? List.of()
                : waiting != null && waiting.worksheets() != null ? waiting.worksheets()
                : state.worksheets(key, item.id());
        WorkbookImage after = live ? image(item, parentPath, before) : null;
        WorkbookImage written = after;
        // a resumed snapshot re-publishes what was not written to state before the crash (same ids); what was
        // written by this very enumeration is done and yields only what changed since
        boolean snapshot = run.snapshot() && !("resume".equals(run.mode()) && before != null
                && (waiting != null ? Objects.equals(run.enumerationId(), waiting.seenIn())
                        : state.seenIn(key, item.id(), run.enumerationId())));
        WorkbookDiff.Result result;
        try {
            result = diff.diff(request.sourceRef(), before, beforeSheets, after, () -> worksheets(run, after),
                    snapshot);
        } catch (GraphApiException e) {
            if (e.isNotFound()) {
                // listed a moment ago, gone now: a deletion (if it was known), not a failure
                LOG.info("sync {}: workbook {} is gone ({}); treated as deleted", run.syncId(), item.id(), e.reason());
                written = null;
                result = diff.diff(request.sourceRef(), before, beforeSheets, null, List::of, false);
            } else if (e.status() == 401 || e.status() == 403) {
                // this workbook alone is refused (permissions, sensitivity label…): leave it out, keep going
                LOG.warn("sync {}: workbook {} ({}) skipped: {}", run.syncId(), item.id(), item.name(), e.reason());
                run.skipped(item.id(), item.name(), e.status(), e.reason());
                return List.of();
            } else {
                throw e;
            }
        }
        if (written == null && before == null) {
            return result.events();
        }
        WorkbookWrite write = written == null ? WorkbookWrite.delete(item.id())
                : result.worksheets() == null ? WorkbookWrite.saveImage(written, run.enumerationId())
                : WorkbookWrite.save(written, result.worksheets(), run.enumerationId());
        exchange.setProperty(PENDING, before == null && written != null ? write.asLikelyNew() : write);
        return result.events();
    }

    /**
     * Hands the state of the item whose events were just published to the run's {@link BatchedStateWriter}, which
     * writes it with the next checkpoint: a sync that dies resumes there.
     */
    public void commit(Exchange exchange) {
        PagedItem paged = exchange.getProperty(ITEM, PagedItem.class);
        SyncRoute.run(exchange).stateWriter().acknowledged(exchange.getProperty(PENDING, WorkbookWrite.class),
                paged == null || paged.pageLink() == null ? -1 : paged.page());
    }

    /**
     * Writes the state still waiting in the batch, once every item is done or the enumeration failed (what Kafka
     * acknowledged stays acknowledged). A write failing after an earlier failure is logged, not raised over it.
     */
    public void flush(Exchange exchange) {
        SyncRun run = SyncRoute.run(exchange);
        if (run.stateWriter() == null) {
            return;
        }
        // inside doFinally Camel keeps the failure aside, as the caught exception
        Exception failure = exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        try {
            run.stateWriter().flush();
        } catch (RuntimeException e) {
            if (failure == null) {
                throw e;
            }
            LOG.warn("sync {}: the state of published workbooks could not be written after the failure; they will"
                    + " be published again next time: {}", run.syncId(), e.getMessage());
        }
    }

    /** The item is no longer in flight, whether it was committed or failed. */
    public void release(Exchange exchange) {
        PagedItem paged = exchange.getProperty(ITEM, PagedItem.class);
        if (paged != null && paged.item() != null) {
            SyncRoute.run(exchange).progress().released(paged.item().id());
        }
    }

    /**
     * After an enumeration from scratch (first, full, or after a 410): every workbook in state that it did not
     * return is gone. Yields their deletions as one list per workbook.
     */
    public List<List<CloudEvent>> reconcile(Exchange exchange) {
        SyncRun run = SyncRoute.run(exchange);
        if (run.enumerationId() == null || run.request().workbookId() != null) {
            return List.of();
        }
        String key = run.request().stateKey();
        List<List<CloudEvent>> deletions = new ArrayList<>();
        for (WorkbookImage gone : state.workbooksNotSeenIn(key, run.enumerationId())) {
            deletions.add(diff.diff(run.request().sourceRef(), gone, state.worksheets(key, gone.id()), null,
                    List::of, false).events());
            run.reconciledDeletion(gone.id());
        }
        return deletions;
    }

    /** Deletes from state what {@link #reconcile} published and stores the delta link for next time, together. */
    public void complete(Exchange exchange) {
        SyncRun run = SyncRoute.run(exchange);
        state.apply(run.request().stateKey(), run.reconciledDeletions().stream().map(WorkbookWrite::delete).toList(),
                run.deltaLink() == null ? null : new Cursor(run.deltaLink(), true, null));
    }

    private List<WorksheetImage> worksheets(SyncRun run, WorkbookImage workbook) {
        PagedCollection sheets = new PagedCollection(new CamelGraphGet(template, run, run.workbookCalls()),
                GraphPaths.worksheets(run.request().drive(), workbook.driveId(), workbook.id()));
        List<WorksheetImage> out = new ArrayList<>();
        sheets.forEachRemaining(node -> {
            Worksheet sheet = Worksheet.from(node);
            out.add(new WorksheetImage(sheet.id(), sheet.name(), sheet.position(), sheet.visibility(),
                    workbook.id()));
        });
        out.sort(java.util.Comparator.comparingInt(WorksheetImage::position));
        run.worksheetsSeen(out.size());
        return out;
    }

    /**
     * Delta pages as items; restarts from scratch on 410 Gone. A failure is final: the splitter looks one item
     * ahead and keeps asking after an error, and a retried page would let it run on past unprocessed items.
     */
    private final class DeltaItems implements Iterator<PagedItem> {

        private final SyncRun run;
        private final GraphGet graph;
        private PagedCollection pages;
        private int pagesCounted;
        /** Pages of enumerations abandoned after a 410, so page numbers keep growing across the resync. */
        private long earlierPages;
        private RuntimeException failure;

        DeltaItems(SyncRun run, GraphGet graph, String first) {
            this.run = run;
            this.graph = graph;
            this.pages = new PagedCollection(graph, first);
        }

        @Override
        public boolean hasNext() {
            if (failure != null) {
                throw failure;
            }
            try {
                boolean more = pages.hasNext();
                count();
                if (!more) {
                    run.deltaLink(pages.deltaLink());
                }
                return more;
            } catch (GraphApiException e) {
                if (!e.isGone() || "resync".equals(run.mode())) {
                    failure = e;
                    throw e;
                }
                // the service no longer honours the link: enumerate afresh and reconcile what it no longer returns
                LOG.warn("sync {}: delta link no longer valid ({}); enumerating afresh", run.syncId(), e.reason());
                run.mode("resync");
                run.enumerationId(run.syncId());
                count();
                earlierPages += pages.pages();
                pages = new PagedCollection(graph, e.location() != null ? e.location()
                        : GraphPaths.delta(run.request().drive(), pageSize));
                pagesCounted = 0;
                return hasNext();
            } catch (RuntimeException e) {
                failure = e;
                throw e;
            }
        }

        @Override
        public PagedItem next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            DriveItem item = DriveItem.from(pages.next());
            boolean folderChanged = run.folders().learn(item);
            long page = earlierPages + pages.pages();
            try {
                run.progress().started(page, pages.currentLink(), item.id());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = new IllegalStateException("sync interrupted", e);
                throw failure;
            }
            return new PagedItem(item, page, pages.currentLink(), folderChanged);
        }

        private void count() {
            while (pagesCounted < pages.pages()) {
                pagesCounted++;
                run.pageFetched();
                LOG.info("sync {} of {}: page {} read, {} workbooks, {} events so far", run.syncId(),
                        run.request().source(), run.pages(), run.workbooks(), run.events());
            }
        }
    }

    static WorkbookImage image(DriveItem item, String parentPath, WorkbookImage before) {
        Identity who = item.lastModifiedBy();
        // a delta page may omit what the item had (path, driveId): keep the last known value rather than null
        String driveId = item.driveId();
        String path = parentPath;
        if (before != null) {
            driveId = driveId != null ? driveId : before.driveId();
            path = path != null ? path : before.parentPath();
        }
        return new WorkbookImage(item.id(), item.name(), driveId, item.parentId(), path, item.webUrl(), item.size(),
                item.eTag(), item.cTag(), item.createdDateTime(), item.lastModifiedDateTime(),
                who == null ? null : new WorkbookImage.Modifier(who.displayName(), who.email(), who.id()));
    }
}

package dev.workbookrelay.sync;

import dev.workbookrelay.graph.DriveItem;
import dev.workbookrelay.graph.GraphGet;
import dev.workbookrelay.graph.GraphPaths;
import dev.workbookrelay.graph.PagedCollection;
import dev.workbookrelay.nango.GraphApiException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delta pages as items, each registered with the enumeration's progress as it is handed out; restarts from
 * scratch on 410 Gone. A failure is final: the splitter looks one item ahead and keeps asking after an error, and
 * a retried page would let it run on past unprocessed items.
 */
final class DeltaItems implements Iterator<PagedItem> {

    private static final Logger LOG = LoggerFactory.getLogger(DeltaItems.class);

    private final SyncRun run;
    private final DriveEnumeration enumeration;
    private final GraphGet graph;
    private final int pageSize;
    private final PendingSheets pending;
    private PagedCollection pages;
    /** The next workbook with its worksheets still to read, once the delta's pages are done. */
    private DriveItem nextPending;
    private int pagesCounted;
    /** Pages of enumerations abandoned after a 410, so page numbers keep growing across the resync. */
    private long earlierPages;
    private RuntimeException failure;

    DeltaItems(SyncRun run, DriveEnumeration enumeration, GraphGet graph, String first, int pageSize,
            PendingSheets pending) {
        this.run = run;
        this.enumeration = enumeration;
        this.graph = graph;
        this.pageSize = pageSize;
        this.pending = pending;
        this.pages = new PagedCollection(graph, first);
    }

    @Override
    public boolean hasNext() {
        if (failure != null) {
            throw failure;
        }
        if (enumeration.progress().stopped()) {
            return false; // an item failed: the sync ends, nothing more is read
        }
        try {
            boolean more = pages.hasNext();
            count();
            if (more) {
                return true;
            }
            if (enumeration.deltaLink() == null) {
                enumeration.deltaLink(pages.deltaLink());
            }
            if (nextPending == null) {
                nextPending = pending.next();
            }
            return nextPending != null;
        } catch (GraphApiException e) {
            if (!e.isGone() || enumeration.mode() == SyncMode.RESYNC) {
                failure = e;
                throw e;
            }
            // the service no longer honours the link: enumerate afresh and reconcile what it no longer returns
            LOG.warn("sync {}: delta link no longer valid ({}); enumerating afresh", run.syncId(), e.reason());
            enumeration.resync(run.syncId());
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
        PagedItem next;
        if (nextPending != null) {
            // after the delta's pages: a workbook whose worksheets are read again (no page, no checkpoint)
            next = new PagedItem(nextPending, -1, null, false);
            nextPending = null;
        } else {
            DriveItem item = DriveItem.from(pages.next());
            // a folder's path before this item, to move (or delete) what is stored below it: Graph lists only the
            // folder when it is renamed or moved, and on some drives only the folder when it is deleted
            String pathBefore = item.root() ? null : enumeration.folders().pathOfFolder(item.id());
            boolean folderChanged = enumeration.folders().learn(item);
            String pathAfter = item.deleted() ? null : enumeration.folders().pathOfFolder(item.id());
            next = new PagedItem(item, earlierPages + pages.pages(), pages.currentLink(), folderChanged,
                    folderChanged && pathBefore != null && !pathBefore.equals(pathAfter) ? pathBefore : null);
        }
        try {
            enumeration.progress().started(next.page(), next.pageLink(), next.item().id());
            // a worker permit, unless the sync stops meanwhile (the item is then not read, and its release of a
            // permit it never took no longer matters)
            while (!enumeration.workers().tryAcquire(100, TimeUnit.MILLISECONDS)) {
                if (enumeration.progress().stopped()) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = new IllegalStateException("sync interrupted", e);
            throw failure;
        }
        return next;
    }

    private void count() {
        while (pagesCounted < pages.pages()) {
            pagesCounted++;
            run.pageRead();
            LOG.info("sync {} of {}: page {} read, {} workbooks, {} events so far", run.syncId(),
                    run.request().source(), run.pages(), run.workbooks(), run.events());
        }
    }
}

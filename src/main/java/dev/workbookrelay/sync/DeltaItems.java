package dev.workbookrelay.sync;

import dev.workbookrelay.graph.DriveItem;
import dev.workbookrelay.graph.GraphGet;
import dev.workbookrelay.graph.GraphPaths;
import dev.workbookrelay.graph.PagedCollection;
import dev.workbookrelay.nango.GraphApiException;
import java.util.Iterator;
import java.util.NoSuchElementException;
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
    private PagedCollection pages;
    private int pagesCounted;
    /** Pages of enumerations abandoned after a 410, so page numbers keep growing across the resync. */
    private long earlierPages;
    private RuntimeException failure;

    DeltaItems(SyncRun run, DriveEnumeration enumeration, GraphGet graph, String first, int pageSize) {
        this.run = run;
        this.enumeration = enumeration;
        this.graph = graph;
        this.pageSize = pageSize;
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
                enumeration.deltaLink(pages.deltaLink());
            }
            return more;
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
        DriveItem item = DriveItem.from(pages.next());
        boolean folderChanged = enumeration.folders().learn(item);
        long page = earlierPages + pages.pages();
        try {
            enumeration.progress().started(page, pages.currentLink(), item.id());
            enumeration.workers().acquire();
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
            run.pageRead();
            LOG.info("sync {} of {}: page {} read, {} workbooks, {} events so far", run.syncId(),
                    run.request().source(), run.pages(), run.workbooks(), run.events());
        }
    }
}

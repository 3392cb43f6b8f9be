package dev.workbookrelay.sync;

import dev.workbookrelay.events.CloudEvent;
import dev.workbookrelay.events.WorkbookImage;
import dev.workbookrelay.events.WorksheetImage;
import dev.workbookrelay.graph.DriveItem;
import dev.workbookrelay.graph.GraphGet;
import dev.workbookrelay.graph.GraphPaths;
import dev.workbookrelay.graph.Identity;
import dev.workbookrelay.graph.PagedCollection;
import dev.workbookrelay.graph.Worksheet;
import dev.workbookrelay.graphcall.GraphCalls;
import dev.workbookrelay.nango.GraphApiException;
import dev.workbookrelay.rows.XlsxWorkbook;
import dev.workbookrelay.state.JdbcSyncState;
import dev.workbookrelay.state.JdbcSyncState.FolderWrite;
import dev.workbookrelay.state.JdbcSyncState.StoredWorkbook;
import dev.workbookrelay.state.JdbcSyncState.WorkbookWrite;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-item steps of a sync ({@code sync-item} route): the events one drive item yields against stored state,
 * its state handed to the writer once those events are acknowledged, and its release from the enumeration's
 * progress whichever way it ended. This order — publish, acknowledged, state, checkpoint — is the delivery
 * guarantee.
 */
public final class ItemSync {

    private static final Logger LOG = LoggerFactory.getLogger(ItemSync.class);
    private static final int LOGGED_SKIPS = 20;
    /** Stored workbooks read at once when a folder moved. */
    private static final int BELOW_FOLDER_PAGE = 500;
    /** Children listed per Graph call when a folder came into the source. */
    private static final int CHILDREN_PAGE = 200;
    /** Longer than an item's Graph calls (each bounded by graph.retry.max-total-ms) and its publish normally take. */
    private static final long IN_FLIGHT_WAIT_MS = 120_000;

    private final JdbcSyncState state;
    private final GraphCalls graphCalls;
    private final WorkbookDiff diff;
    private final RowSync rowSync;

    public ItemSync(JdbcSyncState state, GraphCalls graphCalls, WorkbookDiff diff, RowSync rowSync) {
        this.state = state;
        this.graphCalls = graphCalls;
        this.diff = diff;
        this.rowSync = rowSync;
    }

    /** The events one drive item yields and the state they stand for. */
    public ItemChanges changes(@ExchangeProperty(SyncRun.PROPERTY) SyncRun run, @Body PagedItem paged) {
        try {
            return itemChanges(run, paged);
        } finally {
            run.enumeration().workers().release(); // taken when the item was handed out
        }
    }

    private ItemChanges itemChanges(SyncRun run, PagedItem paged) {
        DriveEnumeration enumeration = run.enumeration();
        SyncRequest request = run.request();
        DriveItem item = paged.item();
        String key = request.stateKey();
        if (item.id() == null) {
            return ItemChanges.none(run);
        }
        if (!enumeration.progress().reading(item.id())) {
            // the sync failed while this item waited for a thread: not read, its page stays unfinished
            throw new SyncStoppedException(run.syncId());
        }
        if (item.folder() || item.root() || paged.folderPathBefore() != null) {
            if (!paged.folderChanged()) {
                return ItemChanges.none(run);
            }
            FolderWrite folder = item.deleted() ? FolderWrite.delete(item.id())
                    : FolderWrite.save(item.id(), item.root() ? null : item.parentId(), item.root() ? ""
                            : item.name(), item.root());
            if (paged.folderPathBefore() != null && enumeration.enumerationId() == null) {
                // changes only: Graph does not list what is below a renamed, moved (or, on some drives, deleted)
                // folder; an enumeration from scratch lists it all, and reconciliation finds what is gone
                return belowFolder(run, paged, folder);
            }
            return new ItemChanges(run, List.of(), null, folder);
        }
        // this sync's own write of the workbook, if it is not in the database yet (delta listed it twice)
        WorkbookWrite waiting = enumeration.writer().waiting(item.id());
        boolean cannotBeStored = enumeration.unstoredSource() != null && !enumeration.unstoredSource().add(item.id());
        StoredWorkbook stored = waiting != null ? waiting.asStored()
                : cannotBeStored ? null : state.stored(key, item.id()).orElse(null);
        WorkbookImage before = stored == null ? null : stored.image();
        String parentPath = enumeration.folders().parentPathOf(item);
        boolean live = item.isWorkbook() && request.inFolder(parentPath);
        if (!live && before == null) {
            return ItemChanges.none(run);
        }
        // a resumed snapshot re-publishes what was not written to state before the crash (same ids); what was
        // written by this very enumeration is done and yields only what changed since
        boolean snapshot = enumeration.snapshot() && !(enumeration.resumedSnapshot() && before != null
                && (waiting != null ? Objects.equals(enumeration.enumerationId(), waiting.seenIn())
                        : state.seenIn(key, item.id(), enumeration.enumerationId())));
        return workbookChanges(run, item, live ? parentPath : null, stored, waiting, snapshot);
    }

    /**
     * A workbook's events against what was stored ({@code parentPath} null: it is gone from the source) and the
     * write that stands for them. A workbook whose worksheets cannot be read still gets its workbook event.
     */
    private ItemChanges workbookChanges(SyncRun run, DriveItem item, String parentPath, StoredWorkbook stored,
            WorkbookWrite waiting, boolean snapshot) {
        DriveEnumeration enumeration = run.enumeration();
        SyncRequest request = run.request();
        String key = request.stateKey();
        boolean live = parentPath != null;
        WorkbookImage before = stored == null ? null : stored.image();
        List<WorksheetImage> beforeSheets = before == null ? List.of()
                : waiting != null && waiting.worksheets() != null ? waiting.worksheets()
                : state.worksheets(key, item.id());
        WorkbookImage after = live ? image(item, parentPath, before) : null;
        WorkbookDiff.Result result;
        try {
            result = diff.diff(request.sourceRef(), before, beforeSheets, after, () -> worksheets(run, after),
                    snapshot, stored != null && stored.sheetsPending());
            if (after == null) {
                rowSync.gone(run, before, beforeSheets);
            } else if (result.worksheets() != null) {
                // the content changed (or is new, or a snapshot): its rows, published before the workbook's events
                rowSync.workbook(run, after, result.worksheets(), beforeSheets, snapshot);
            }
        } catch (GraphApiException | XlsxWorkbook.UnreadableWorkbookException e) {
            // the drive lists the workbook: it exists, whatever its workbook API says (a fresh upload, a file Excel's
            // API refuses, a lock, a server error that outlasted the retries) or whatever its downloaded file holds.
            // It gets its own events, its worksheets (and rows) are read again at the next sync, and the sync goes on.
            GraphApiException graph = e instanceof GraphApiException g ? g : null;
            String reason = graph != null ? graph.reason() : e.getMessage();
            int skipped = run.skipped(item.id(), item.name(), graph != null ? graph.status() : null,
                    graph != null ? graph.code() : XlsxWorkbook.UnreadableWorkbookException.CODE, reason);
            // a drive Graph refuses wholesale must not flood the log: the first few per sync, then a count
            if (skipped <= LOGGED_SKIPS) {
                LOG.warn("sync {}: the worksheets of workbook {} ({}) could not be read, read again next time: {}{}",
                        run.syncId(), item.id(), item.name(), reason, skipped == LOGGED_SKIPS
                                ? " (further skipped workbooks of this sync at DEBUG, counted in its status)" : "");
            } else {
                LOG.debug("sync {}: the worksheets of workbook {} ({}) could not be read: {}", run.syncId(),
                        item.id(), item.name(), reason);
            }
            return new ItemChanges(run, diff.workbookOnly(request.sourceRef(), before, after, snapshot),
                    likelyNew(before, WorkbookWrite.saveImageSheetsPending(after, enumeration.enumerationId())), null);
        }
        if (live) {
            run.workbookListed(!result.events().isEmpty());
        }
        if (after == null && before == null) {
            return new ItemChanges(run, result.events(), null, null);
        }
        WorkbookWrite write = after == null ? WorkbookWrite.delete(item.id())
                : result.worksheets() == null ? WorkbookWrite.saveImage(after, enumeration.enumerationId())
                : WorkbookWrite.save(after, result.worksheets(), enumeration.enumerationId());
        return new ItemChanges(run, result.events(), likelyNew(before, write), null);
    }

    /** A write of a workbook that was not stored when the sync looked: an insert is tried first. */
    private static WorkbookWrite likelyNew(WorkbookImage before, WorkbookWrite write) {
        return before == null && !write.isDelete() ? write.asLikelyNew() : write;
    }

    /**
     * The workbooks stored below a folder that was renamed, moved or deleted: {@code moved} with their new path
     * (their item read again, for its new web URL) when they are still in the source, {@code deleted} when the
     * folder was deleted or left the source's folder; and, when the folder came into the source's folder from
     * outside it, the workbooks in its tree as new. A workbook this sync already wrote is left to that write.
     */
    private ItemChanges belowFolder(SyncRun run, PagedItem paged, FolderWrite folder) {
        DriveEnumeration enumeration = run.enumeration();
        SyncRequest request = run.request();
        String key = request.stateKey();
        String oldPath = paged.folderPathBefore();
        String newPath = paged.item().deleted() ? null : enumeration.folders().pathOfFolder(paged.item().id());
        List<CloudEvent> events = new ArrayList<>();
        List<WorkbookWrite> writes = new ArrayList<>();
        String after = "";
        List<StoredWorkbook> page;
        do {
            page = state.storedUnder(key, oldPath, after, BELOW_FOLDER_PAGE);
            for (StoredWorkbook stored : page) {
                WorkbookImage before = stored.image();
                after = before.id();
                if (enumeration.writer().waiting(before.id()) != null) {
                    continue;
                }
                String newParent = newPath == null ? null : newPath + before.parentPath().substring(oldPath.length());
                WorkbookImage now = null;
                if (newParent != null && request.inFolder(newParent)) {
                    now = itemNow(run, before, newParent);
                    if (now == null) {
                        continue; // the drive no longer has it: its own delta entry says so
                    }
                }
                List<WorksheetImage> sheets = now == null ? state.worksheets(key, before.id()) : List.of();
                if (now == null) {
                    rowSync.gone(run, before, sheets);
                }
                events.addAll(diff.diff(request.sourceRef(), before, sheets, now, List::of, false, false).events());
                writes.add(now == null ? WorkbookWrite.delete(before.id())
                        : stored.sheetsPending() ? WorkbookWrite.saveImageSheetsPending(now, null)
                        : WorkbookWrite.saveImage(now, null));
            }
        } while (page.size() == BELOW_FOLDER_PAGE);
        if (newPath != null && !request.inFolder(oldPath) && request.inFolder(newPath)) {
            cameIntoView(run, paged.item().id(), events, writes);
        }
        if (!writes.isEmpty()) {
            LOG.info("sync {}: folder {} {} ({}): {} workbooks below it {}", run.syncId(), paged.item().id(),
                    newPath == null ? "deleted" : "now " + newPath, oldPath, writes.size(),
                    newPath == null ? "deleted" : request.inFolder(oldPath)
                            ? "moved (or deleted where they left the source)" : "came into the source");
        }
        return new ItemChanges(run, events, null, folder, writes);
    }

    /**
     * The workbooks below a folder that was moved into the source's folder from outside it: delta lists the folder
     * alone, so its tree is listed, folder by folder, and each workbook in it is new to the source.
     */
    private void cameIntoView(SyncRun run, String folderId, List<CloudEvent> events, List<WorkbookWrite> writes) {
        DriveEnumeration enumeration = run.enumeration();
        SyncRequest request = run.request();
        GraphGet graph = graphCalls.of(request.connection(), run).holding(run.workbookCalls());
        Deque<String> folders = new ArrayDeque<>(List.of(folderId));
        while (!folders.isEmpty()) {
            PagedCollection children = new PagedCollection(graph,
                    GraphPaths.children(request.drive(), folders.pop(), CHILDREN_PAGE));
            children.forEachRemaining(node -> {
                DriveItem child = DriveItem.from(node);
                if (child.folder()) {
                    folders.add(child.id());
                    return;
                }
                String parentPath = enumeration.folders().parentPathOf(child);
                if (child.deleted() || !child.isWorkbook() || !request.inFolder(parentPath)
                        || enumeration.writer().waiting(child.id()) != null) {
                    return; // a workbook this sync already wrote (delta listed it too) is left to that write
                }
                ItemChanges found = workbookChanges(run, child, parentPath,
                        state.stored(request.stateKey(), child.id()).orElse(null), null, false);
                events.addAll(found.events());
                if (found.workbook() != null) {
                    writes.add(found.workbook());
                }
            });
        }
    }

    /** The workbook's item as the drive has it now, under its new folder; null if the drive no longer has it. */
    private WorkbookImage itemNow(SyncRun run, WorkbookImage before, String newParent) {
        try {
            DriveItem now = DriveItem.from(graphCalls.of(run.request().connection(), run)
                    .holding(run.workbookCalls()).get(GraphPaths.item(run.request().drive(), before.id())));
            return now.deleted() ? null : image(now, newParent, before);
        } catch (GraphApiException e) {
            if (e.isNotFound()) {
                return null;
            }
            throw e;
        }
    }

    /**
     * Hands the state of the item whose events were just acknowledged to the writer, which stores it with the next
     * checkpoint: a sync that dies resumes there.
     */
    public void commit(@Body ItemChanges changes, @ExchangeProperty(PagedItem.PROPERTY) PagedItem item) {
        BatchedStateWriter writer = changes.run().enumeration().writer();
        for (WorkbookWrite below : changes.below()) {
            writer.acknowledged(below, null, -1);
        }
        writer.acknowledged(changes.workbook(), changes.folder(), item.fromDeltaPage() ? item.page() : -1);
    }

    /**
     * Writes the state still waiting in the batch, once every item is done or the enumeration failed (what Kafka
     * acknowledged stays acknowledged). A write failing after an earlier failure is logged, not raised over it.
     */
    public void flush(@ExchangeProperty(SyncRun.PROPERTY) SyncRun run, Exchange exchange) {
        DriveEnumeration enumeration = run.enumeration();
        if (enumeration == null) {
            return;
        }
        // inside doFinally Camel keeps the failure aside, as the caught exception
        Exception failure = exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        if (failure != null) {
            // the split stops handing out items on the failure, but those in flight go on: wait for them, so
            // nothing of this sync is published or written after its status
            enumeration.progress().stop();
            try {
                if (!enumeration.progress().awaitIdle(IN_FLIGHT_WAIT_MS)) {
                    LOG.warn("sync {}: items still in flight {} ms after the failure; reported anyway (their state"
                            + " writes are fenced by the lease)", run.syncId(), IN_FLIGHT_WAIT_MS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            enumeration.writer().flush();
        } catch (RuntimeException e) {
            if (failure == null) {
                throw e;
            }
            LOG.warn("sync {}: the state of published workbooks could not be written after the failure; they will"
                    + " be published again next time: {}", run.syncId(), e.getMessage());
        }
    }

    /**
     * The item failed, so the sync does: its enumeration hands out no more items. Camel's splitter, once it stops on
     * the failure, walks what is left of the item iterator to release it; without this it would read the rest of
     * the drive's delta pages, and block on workers that will never come back.
     */
    public void stopOnFailure(@ExchangeProperty(SyncRun.PROPERTY) SyncRun run,
            @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Exception failure) throws Exception {
        run.enumeration().progress().stop(failure);
        throw failure;
    }

    /**
     * The items are over: if one failed, so does the sync. The splitter's stopOnException does not always say so:
     * once the failure has stopped the item iterator, the split can end as if the drive had no more items, while
     * the failed item (and those beside it) are still being processed.
     */
    public void failIfAnItemFailed(@ExchangeProperty(SyncRun.PROPERTY) SyncRun run) throws Exception {
        Exception failure = run.enumeration() == null ? null : run.enumeration().progress().failure();
        if (failure != null) {
            throw failure;
        }
    }

    /** The item is no longer in flight, whether it was committed or failed. */
    public void release(@ExchangeProperty(SyncRun.PROPERTY) SyncRun run,
            @ExchangeProperty(PagedItem.PROPERTY) PagedItem item) {
        if (item != null && item.item() != null) {
            run.enumeration().progress().released(item.item().id());
        }
    }

    private List<WorksheetImage> worksheets(SyncRun run, WorkbookImage workbook) {
        PagedCollection sheets = new PagedCollection(graphCalls.of(run.request().connection(), run)
                .holding(run.workbookCalls()),
                GraphPaths.worksheets(run.request().drive(), workbook.driveId(), workbook.id()));
        List<WorksheetImage> out = new ArrayList<>();
        sheets.forEachRemaining(node -> {
            Worksheet sheet = Worksheet.from(node);
            out.add(new WorksheetImage(sheet.id(), sheet.name(), sheet.position(), sheet.visibility(),
                    workbook.id()));
        });
        out.sort(Comparator.comparingInt(WorksheetImage::position));
        run.worksheetsSeen(out.size());
        return out;
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

package dev.workbookrelay.sync;

import dev.workbookrelay.events.WorkbookImage;
import dev.workbookrelay.events.WorksheetImage;
import dev.workbookrelay.graph.DriveItem;
import dev.workbookrelay.graph.GraphPaths;
import dev.workbookrelay.graph.Identity;
import dev.workbookrelay.graph.PagedCollection;
import dev.workbookrelay.graph.Worksheet;
import dev.workbookrelay.graphcall.GraphCalls;
import dev.workbookrelay.nango.GraphApiException;
import dev.workbookrelay.state.JdbcSyncState;
import dev.workbookrelay.state.JdbcSyncState.FolderWrite;
import dev.workbookrelay.state.JdbcSyncState.WorkbookWrite;
import java.util.ArrayList;
import java.util.Comparator;
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

    private final JdbcSyncState state;
    private final GraphCalls graphCalls;
    private final WorkbookDiff diff;

    public ItemSync(JdbcSyncState state, GraphCalls graphCalls, WorkbookDiff diff) {
        this.state = state;
        this.graphCalls = graphCalls;
        this.diff = diff;
    }

    /** The events one drive item yields and the state they stand for. */
    public ItemChanges changes(@ExchangeProperty(SyncRun.PROPERTY) SyncRun run, @Body PagedItem paged) {
        try {
            return itemChanges(run, paged);
        } finally {
            if (paged.fromDeltaPage()) {
                run.enumeration().workers().release(); // taken when the delta handed the item out
            }
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
        if (item.folder() || item.root()) {
            if (!paged.folderChanged()) {
                return ItemChanges.none(run);
            }
            FolderWrite folder = item.deleted() ? FolderWrite.delete(item.id())
                    : FolderWrite.save(item.id(), item.root() ? null : item.parentId(), item.root() ? ""
                            : item.name(), item.root());
            return new ItemChanges(run, List.of(), null, folder);
        }
        // this sync's own write of the workbook, if it is not in the database yet (delta listed it twice)
        WorkbookWrite waiting = enumeration.writer().waiting(item.id());
        boolean cannotBeStored = enumeration.unstoredSource() != null && !enumeration.unstoredSource().add(item.id());
        WorkbookImage before = waiting != null ? waiting.image()
                : cannotBeStored ? null : state.workbook(key, item.id()).orElse(null);
        String parentPath = enumeration.folders().parentPathOf(item);
        boolean live = item.isWorkbook() && request.inFolder(parentPath);
        if (!live && before == null) {
            return ItemChanges.none(run);
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
        boolean snapshot = enumeration.snapshot() && !(enumeration.resumedSnapshot() && before != null
                && (waiting != null ? Objects.equals(enumeration.enumerationId(), waiting.seenIn())
                        : state.seenIn(key, item.id(), enumeration.enumerationId())));
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
                return ItemChanges.none(run);
            } else {
                throw e;
            }
        }
        if (written == null && before == null) {
            return new ItemChanges(run, result.events(), null, null);
        }
        WorkbookWrite write = written == null ? WorkbookWrite.delete(item.id())
                : result.worksheets() == null ? WorkbookWrite.saveImage(written, enumeration.enumerationId())
                : WorkbookWrite.save(written, result.worksheets(), enumeration.enumerationId());
        return new ItemChanges(run, result.events(), before == null && written != null ? write.asLikelyNew() : write,
                null);
    }

    /**
     * Hands the state of the item whose events were just acknowledged to the writer, which stores it with the next
     * checkpoint: a sync that dies resumes there.
     */
    public void commit(@Body ItemChanges changes, @ExchangeProperty(PagedItem.PROPERTY) PagedItem item) {
        changes.run().enumeration().writer().acknowledged(changes.workbook(), changes.folder(),
                item.fromDeltaPage() ? item.page() : -1);
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

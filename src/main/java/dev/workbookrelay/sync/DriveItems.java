package dev.workbookrelay.sync;

import dev.workbookrelay.graph.DriveItem;
import dev.workbookrelay.graph.GraphGet;
import dev.workbookrelay.graph.GraphPaths;
import dev.workbookrelay.graphcall.GraphCalls;
import dev.workbookrelay.state.JdbcSyncState;
import dev.workbookrelay.state.JdbcSyncState.Cursor;
import java.util.Iterator;
import java.util.List;
import org.apache.camel.ExchangeProperty;

/**
 * Where a sync starts and the items it looks at: one named workbook, or the drive's delta from the stored link
 * (incremental), from a checkpoint (resume), or from scratch (first sync, full).
 */
public final class DriveItems {

    private final JdbcSyncState state;
    private final GraphCalls graphCalls;
    private final int pageSize;
    private final int maxInFlight;
    private final int maxWorking;

    /** {@code maxWorking}: a sync's items on workbook threads at once (its share of the threads). */
    public DriveItems(JdbcSyncState state, GraphCalls graphCalls, int pageSize, int maxInFlight, int maxWorking) {
        this.state = state;
        this.graphCalls = graphCalls;
        this.pageSize = pageSize;
        this.maxInFlight = maxInFlight;
        this.maxWorking = maxWorking;
    }

    /** The drive items to look at, read lazily; begins the run's {@link DriveEnumeration}. */
    public Iterator<PagedItem> open(@ExchangeProperty(SyncRun.PROPERTY) SyncRun run) {
        SyncRequest request = run.request();
        GraphGet graph = graphCalls.of(request.connection(), run);
        String key = request.stateKey();
        if (request.workbookId() != null) {
            DriveEnumeration single = new DriveEnumeration(SyncMode.SINGLE, request.full(), null, maxInFlight,
                    maxWorking);
            begin(run, single);
            PagedItem item = new PagedItem(DriveItem.from(graph.get(GraphPaths.item(request.drive(),
                    request.workbookId()))), -1, null, false);
            single.workers().acquireUninterruptibly(); // as every item holds one while it is worked on
            return List.of(item).iterator();
        }
        Cursor cursor = state.cursor(key).orElse(null);
        DriveEnumeration enumeration;
        String first;
        if (request.full() || cursor == null) {
            enumeration = new DriveEnumeration(cursor == null ? SyncMode.SNAPSHOT : SyncMode.FULL, true,
                    run.syncId(), maxInFlight, maxWorking);
            first = request.startFromLatest() && cursor == null ? GraphPaths.deltaFromNow(request.drive(), pageSize)
                    : GraphPaths.delta(request.drive(), pageSize);
        } else {
            // a snapshot cut short goes on as a snapshot: what was published before the crash comes again, same ids
            enumeration = new DriveEnumeration(cursor.complete() ? SyncMode.INCREMENTAL : SyncMode.RESUME,
                    !cursor.complete() && cursor.snapshot(), cursor.enumerationId(), maxInFlight, maxWorking);
            first = cursor.link();
        }
        begin(run, enumeration);
        if (enumeration.snapshot() && !state.hasWorkbooks(key)) {
            // nothing stored: only an item listed twice can find state (its own), so the others skip the lookup
            enumeration.unstoredSource(new SeenItems());
        }
        for (var folder : state.folders(key).entrySet()) {
            enumeration.folders().put(folder.getKey(), folder.getValue().parentId(), folder.getValue().name(),
                    folder.getValue().root());
        }
        return new DeltaItems(run, enumeration, graph, first, pageSize, new PendingSheets(state, key, enumeration));
    }

    private void begin(SyncRun run, DriveEnumeration enumeration) {
        enumeration.writer(new BatchedStateWriter(state, run.request().stateKey(), enumeration, pageSize,
                run.lease()));
        run.begin(enumeration);
    }
}

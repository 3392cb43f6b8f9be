package dev.workbookrelay.sync;

import dev.workbookrelay.events.CloudEvent;
import dev.workbookrelay.events.SourceRef;
import dev.workbookrelay.events.WorkbookEvents;
import dev.workbookrelay.events.WorkbookEvents.WorkbookChange;
import dev.workbookrelay.events.WorkbookEvents.WorksheetChange;
import dev.workbookrelay.events.WorkbookImage;
import dev.workbookrelay.events.WorksheetImage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What changed between the last published state of a workbook and what Graph says now, as the events to
 * publish. The worksheets are listed only when they can have changed: new workbook, new content (cTag), or a
 * snapshot — an unchanged workbook costs no workbook API call.
 */
public final class WorkbookDiff {

    /** The events, and the worksheets to remember (null: keep what is stored). */
    record Result(List<CloudEvent> events, List<WorksheetImage> worksheets) {
    }

    private final WorkbookEvents events;

    public WorkbookDiff(WorkbookEvents events) {
        this.events = events;
    }

    /**
     * @param before       last published image, null if unknown
     * @param beforeSheets its worksheets as last published
     * @param after        current image, null if the workbook is gone (deleted, moved out of scope, no longer .xlsx)
     * @param listSheets   lists the current worksheets (a Graph call)
     * @param snapshot     publish {@code r} images of everything instead of changes
     */
    Result diff(SourceRef source, WorkbookImage before, List<WorksheetImage> beforeSheets, WorkbookImage after,
            Supplier<List<WorksheetImage>> listSheets, boolean snapshot) {
        List<CloudEvent> out = new ArrayList<>();
        if (after == null) {
            if (before != null) {
                out.add(events.workbook(WorkbookChange.DELETED, source, before, null));
                for (WorksheetImage sheet : beforeSheets) {
                    out.add(events.worksheet(WorksheetChange.REMOVED, source, before, sheet, null));
                }
                out.add(events.workbookTombstone(source, before));
                for (WorksheetImage sheet : beforeSheets) {
                    out.add(events.worksheetTombstone(source, before, sheet));
                }
            }
            return new Result(out, List.of());
        }
        if (snapshot || before == null) {
            out.add(snapshot ? events.workbookSnapshot(source, after)
                    : events.workbook(WorkbookChange.CREATED, source, null, after));
            List<WorksheetImage> sheets = listSheets.get();
            Map<String, WorksheetImage> old = byId(beforeSheets);
            for (WorksheetImage sheet : sheets) {
                out.add(snapshot ? events.worksheetSnapshot(source, after, sheet)
                        : events.worksheet(WorksheetChange.ADDED, source, after, null, sheet));
                old.remove(sheet.id());
            }
            removed(source, after, old.values(), out);
            return new Result(out, sheets);
        }
        if (!Objects.equals(before.name(), after.name())) {
            out.add(events.workbook(WorkbookChange.RENAMED, source, before, after));
        }
        if (!Objects.equals(before.parentId(), after.parentId())
                || (after.parentPath() != null && !Objects.equals(before.parentPath(), after.parentPath()))) {
            out.add(events.workbook(WorkbookChange.MOVED, source, before, after));
        }
        if (Objects.equals(before.cTag(), after.cTag())) {
            return new Result(out, null);
        }
        out.add(events.workbook(WorkbookChange.UPDATED, source, before, after));
        List<WorksheetImage> sheets = listSheets.get();
        Map<String, WorksheetImage> old = byId(beforeSheets);
        for (WorksheetImage sheet : sheets) {
            WorksheetImage was = old.remove(sheet.id());
            if (was == null) {
                out.add(events.worksheet(WorksheetChange.ADDED, source, after, null, sheet));
                continue;
            }
            if (!Objects.equals(was.name(), sheet.name())) {
                out.add(events.worksheet(WorksheetChange.RENAMED, source, after, was, sheet));
            }
            if (was.position() != sheet.position()) {
                out.add(events.worksheet(WorksheetChange.MOVED, source, after, was, sheet));
            }
            if (!Objects.equals(was.visibility(), sheet.visibility())) {
                out.add(events.worksheet(WorksheetChange.VISIBILITY_CHANGED, source, after, was, sheet));
            }
        }
        removed(source, after, old.values(), out);
        return new Result(out, sheets);
    }

    private void removed(SourceRef source, WorkbookImage workbook, Iterable<WorksheetImage> gone,
            List<CloudEvent> out) {
        for (WorksheetImage sheet : gone) {
            out.add(events.worksheet(WorksheetChange.REMOVED, source, workbook, sheet, null));
            out.add(events.worksheetTombstone(source, workbook, sheet));
        }
    }

    private static Map<String, WorksheetImage> byId(List<WorksheetImage> sheets) {
        Map<String, WorksheetImage> map = new LinkedHashMap<>();
        sheets.forEach(s -> map.put(s.id(), s));
        return map;
    }
}

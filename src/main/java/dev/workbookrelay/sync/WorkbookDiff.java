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
     * @param before        last published image, null if unknown
     * @param beforeSheets  its worksheets as last published
     * @param after         current image, null if the workbook is gone (deleted, moved out of scope, no longer .xlsx)
     * @param listSheets    lists the current worksheets (a Graph call)
     * @param snapshot      publish {@code r} images of everything instead of changes
     * @param sheetsPending the worksheets could not be read last time: read them whatever the cTag says
     */
    Result diff(SourceRef source, WorkbookImage before, List<WorksheetImage> beforeSheets, WorkbookImage after,
            Supplier<List<WorksheetImage>> listSheets, boolean snapshot, boolean sheetsPending) {
        if (after == null) {
            return new Result(deletion(source, before, beforeSheets), List.of());
        }
        List<CloudEvent> out = new ArrayList<>(workbookOnly(source, before, after, snapshot));
        boolean whole = snapshot || before == null;
        if (!whole && !sheetsPending && Objects.equals(before.cTag(), after.cTag())) {
            return new Result(out, null); // same content: its worksheets cannot have changed
        }
        List<WorksheetImage> sheets = listSheets.get();
        Map<String, WorksheetImage> old = byId(beforeSheets);
        for (WorksheetImage sheet : sheets) {
            WorksheetImage was = old.remove(sheet.id());
            if (snapshot) {
                out.add(events.worksheetSnapshot(source, after, sheet));
            } else if (was == null) {
                out.add(events.worksheet(WorksheetChange.ADDED, source, after, null, sheet));
            } else {
                changes(source, after, was, sheet, out);
            }
        }
        removed(source, after, old.values(), out);
        return new Result(out, sheets);
    }

    /**
     * The workbook's own events, without its worksheets': all a workbook the drive lists gets when its worksheets
     * cannot be read (it exists, the drive says so; its worksheets are told when they can be read).
     */
    List<CloudEvent> workbookOnly(SourceRef source, WorkbookImage before, WorkbookImage after, boolean snapshot) {
        if (snapshot || before == null) {
            return List.of(snapshot ? events.workbookSnapshot(source, after)
                    : events.workbook(WorkbookChange.CREATED, source, null, after));
        }
        List<CloudEvent> out = new ArrayList<>();
        if (!Objects.equals(before.name(), after.name())) {
            out.add(events.workbook(WorkbookChange.RENAMED, source, before, after));
        }
        if (movedBetween(before, after)) {
            out.add(events.workbook(WorkbookChange.MOVED, source, before, after));
        }
        if (!Objects.equals(before.cTag(), after.cTag())) {
            out.add(events.workbook(WorkbookChange.UPDATED, source, before, after));
        }
        return out;
    }

    /** A workbook gone: its deletion, its worksheets' removals, then the tombstones of them all. */
    private List<CloudEvent> deletion(SourceRef source, WorkbookImage before, List<WorksheetImage> beforeSheets) {
        List<CloudEvent> out = new ArrayList<>();
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
        return out;
    }

    private void changes(SourceRef source, WorkbookImage workbook, WorksheetImage was, WorksheetImage sheet,
            List<CloudEvent> out) {
        if (!Objects.equals(was.name(), sheet.name())) {
            out.add(events.worksheet(WorksheetChange.RENAMED, source, workbook, was, sheet));
        }
        if (was.position() != sheet.position()) {
            out.add(events.worksheet(WorksheetChange.MOVED, source, workbook, was, sheet));
        }
        if (!Objects.equals(was.visibility(), sheet.visibility())) {
            out.add(events.worksheet(WorksheetChange.VISIBILITY_CHANGED, source, workbook, was, sheet));
        }
    }

    private static boolean movedBetween(WorkbookImage before, WorkbookImage after) {
        return !Objects.equals(before.parentId(), after.parentId())
                || (after.parentPath() != null && !Objects.equals(before.parentPath(), after.parentPath()));
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

package dev.workbookrelay.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workbookrelay.events.WorkbookEvents.WorksheetChange;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A worksheet event's id tells distinct changes apart, and stays the same when the same change is published again. */
class WorksheetEventIdsTest {

    final WorkbookEvents events = new WorkbookEvents(new ObjectMapper(), new EventTopics("wb", "ws", "rows", "st", "dl"),
            "dev.workbookrelay");
    final SourceRef source = new SourceRef("alice", "microsoft-excel", "alice", "me");

    @Test
    void visibleHiddenVisibleHiddenAreFourChangesWithFourIds() {
        List<String> visibility = List.of("Visible", "Hidden", "Visible", "Hidden", "Visible");
        Set<String> ids = new HashSet<>();
        for (int version = 1; version < visibility.size(); version++) {
            ids.add(events.worksheet(WorksheetChange.VISIBILITY_CHANGED, source, workbook(version),
                    sheet(visibility.get(version - 1)), sheet(visibility.get(version))).id());
        }
        assertEquals(4, ids.size(), "the first and the third change carry the same data, not the same id");
    }

    @Test
    void theSameChangePublishedAgainKeepsItsId() {
        String first = events.worksheet(WorksheetChange.VISIBILITY_CHANGED, source, workbook(2), sheet("Visible"),
                sheet("Hidden")).id();
        String again = events.worksheet(WorksheetChange.VISIBILITY_CHANGED, source, workbook(2), sheet("Visible"),
                sheet("Hidden")).id();
        assertEquals(first, again);
        assertNotEquals(events.worksheetTombstone(source, workbook(2), sheet("Hidden")).id(),
                events.worksheetTombstone(source, workbook(3), sheet("Hidden")).id(),
                "a sheet removed, re-added and removed again: two tombstones");
    }

    static WorkbookImage workbook(int version) {
        return new WorkbookImage("01WB", "Budget.xlsx", "b!d", "root", "/", "https://x/Budget.xlsx", 100L,
                "\"{W},%d\"".formatted(version), "\"c:{W},%d\"".formatted(version), "2026-01-01T00:00:00Z",
                "2026-01-0%dT00:00:00Z".formatted(version), null);
    }

    static WorksheetImage sheet(String visibility) {
        return new WorksheetImage("{S1}", "Plan", 0, visibility, "01WB");
    }
}

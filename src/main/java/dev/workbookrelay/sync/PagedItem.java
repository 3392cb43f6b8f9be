package dev.workbookrelay.sync;

import dev.workbookrelay.graph.DriveItem;

/**
 * A drive item, the delta page it came from (number in this run and link: the checkpoint once the page is done;
 * -1 and null for a single workbook), and whether it told something new about a folder (only then is the folder
 * written to state).
 */
public record PagedItem(DriveItem item, long page, String pageLink, boolean folderChanged) {

    /** Exchange property: the item a split branch is working on, until it is released. */
    public static final String PROPERTY = "workbookRelayItem";

    public boolean fromDeltaPage() {
        return pageLink != null;
    }
}

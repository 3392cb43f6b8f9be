package dev.workbookrelay.sync;

import dev.workbookrelay.graph.DriveItem;

/**
 * A drive item, the delta page it came from (number in this run and link: the checkpoint once the page is done;
 * -1 and null for a single workbook), whether it told something new about a folder (only then is the folder
 * written to state), and, for a folder renamed, moved or deleted, the path it had ({@code folderPathBefore}): what
 * was stored below it has moved or gone with it.
 */
public record PagedItem(DriveItem item, long page, String pageLink, boolean folderChanged, String folderPathBefore) {

    public PagedItem(DriveItem item, long page, String pageLink, boolean folderChanged) {
        this(item, page, pageLink, folderChanged, null);
    }

    /** Exchange property: the item a split branch is working on, until it is released. */
    public static final String PROPERTY = "workbookRelayItem";

    public boolean fromDeltaPage() {
        return pageLink != null;
    }
}

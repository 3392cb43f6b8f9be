package dev.workbookrelay.graph;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** The Graph addresses the pipeline reads. */
public final class GraphPaths {

    /**
     * What a delta page must carry. {@code deleted} is listed on purpose: without it Graph strips the facet and a
     * deleted file looks alive.
     */
    public static final String DRIVE_ITEM_SELECT = "id,name,size,webUrl,eTag,cTag,createdDateTime,lastModifiedDateTime,"
            + "createdBy,lastModifiedBy,parentReference,file,folder,package,root,deleted";

    private GraphPaths() {
    }

    /** The first page of a token-less delta: the drive's whole current state. */
    public static String delta(DriveRef drive, int pageSize) {
        return drive.path() + "/root/delta?$select=" + DRIVE_ITEM_SELECT + "&$top=" + pageSize;
    }

    /**
     * A delta that starts from "now" ({@code token=latest}): no items, just a delta link for later changes. The
     * same {@code $select}, so the stored link keeps asking for the {@code deleted} facet.
     */
    public static String deltaFromNow(DriveRef drive, int pageSize) {
        return delta(drive, pageSize) + "&token=latest";
    }

    public static String item(DriveRef drive, String itemId) {
        return drive.path() + "/items/" + encode(itemId) + "?$select=" + DRIVE_ITEM_SELECT;
    }

    /** A folder's children, in pages: what Graph's delta leaves out when a folder is moved. */
    public static String children(DriveRef drive, String folderId, int pageSize) {
        return drive.path() + "/items/" + encode(folderId) + "/children?$select=" + DRIVE_ITEM_SELECT + "&$top="
                + pageSize;
    }

    /** A workbook by driveId + itemId: the address form Graph documents and that works for every drive kind. */
    public static String workbook(DriveRef drive, String driveId, String itemId) {
        return itemOf(drive, driveId, itemId) + "/workbook";
    }

    private static String itemOf(DriveRef drive, String driveId, String itemId) {
        String base = driveId == null || driveId.isBlank() ? drive.path() : "/v1.0/drives/" + encode(driveId);
        return base + "/items/" + encode(itemId);
    }

    public static String worksheets(DriveRef drive, String driveId, String itemId) {
        return workbook(drive, driveId, itemId) + "/worksheets";
    }

    /** One worksheet of a workbook, by its id: the base of its used range and ranges. */
    public static String worksheet(DriveRef drive, String driveId, String itemId, String worksheetId) {
        return worksheets(drive, driveId, itemId) + "/" + encode(worksheetId);
    }

    /** A worksheet's Excel tables: their ids, names, and whether they show a header and a totals row. */
    public static String worksheetTables(DriveRef drive, String driveId, String itemId, String worksheetId) {
        return worksheet(drive, driveId, itemId, worksheetId)
                + "/tables?$select=id,name,showHeaders,showTotals";
    }

    /** An Excel table's range (its address only): header, rows and totals row. */
    public static String tableRange(DriveRef drive, String driveId, String itemId, String tableId) {
        return workbook(drive, driveId, itemId) + "/tables/" + encode(tableId) + "/range?$select=address";
    }

    /** A file's content: Graph answers with a redirect to a short-lived download URL, which Nango follows. */
    public static String content(DriveRef drive, String driveId, String itemId) {
        return itemOf(drive, driveId, itemId) + "/content";
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20").replace("%21", "!");
    }
}

package dev.workbookrelay.sandbox;

import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

/**
 * One live item of a drive as of one scan. Immutable: a delta snapshot keeps these and renders them later.
 *
 * @param relPath       path below the drive folder with {@code /}, empty for the root
 * @param size          bytes for a file; for a folder the total of everything below it, as SharePoint reports
 * @param eTagVersion   bumps on any change of the item (content, rename, move)
 * @param cTagVersion   bumps on content changes only (files)
 * @param changeSeq     change sequence of the scan that last changed this item
 * @param createdSeq    change sequence of the scan that first saw it
 */
record DriveEntry(String id, String parentId, Path path, String relPath, String name, boolean folder,
                  long size, int childCount, Instant created, Instant lastModified,
                  int eTagVersion, int cTagVersion, String quickXorHash,
                  long changeSeq, long createdSeq, Object fileKey, FileTime fileTime) {

    boolean root() {
        return relPath.isEmpty();
    }

    /** The folder part of {@code relPath}: empty for items at the top level. */
    String parentRelPath() {
        int slash = relPath.lastIndexOf('/');
        return slash < 0 ? "" : relPath.substring(0, slash);
    }
}

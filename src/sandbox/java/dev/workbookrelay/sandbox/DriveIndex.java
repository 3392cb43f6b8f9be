package dev.workbookrelay.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * The versioned index of one drive folder. Each {@link #rescan()} compares the folder with the previous scan,
 * keeps item identities (by inode, so renames and moves keep their id), bumps eTag/cTag counters, stamps changed
 * items with a new change sequence and leaves a tombstone for each item that disappeared. Delta tokens are
 * change sequences of this index.
 */
final class DriveIndex {

    private final Path root;
    private final String driveId;
    private final FileFacts facts = new FileFacts();
    private final Set<String> issuedIds = new HashSet<>();
    private final List<Tombstone> tombstones = new ArrayList<>();
    /** When each change sequence began, for timestamp tokens. */
    private final TreeMap<Instant, Long> seqByTime = new TreeMap<>();

    private long seq;
    private volatile DriveView current = new DriveView(0, List.of(), Map.of(), List.of());

    DriveIndex(Path root, String driveId) {
        this.root = root;
        this.driveId = driveId;
    }

    FileFacts facts() {
        return facts;
    }

    /** The change sequence in effect at {@code instant}; 0 (everything) before the first scan. */
    synchronized long seqAt(Instant instant) {
        Map.Entry<Instant, Long> entry = seqByTime.floorEntry(instant);
        return entry == null ? 0 : entry.getValue();
    }

    /**
     * The item {@code id} as the folder holds it now, or null. A file whose path still has the inode, size and
     * modification time of the last scan is served from that scan (one {@code stat}, no walk); anything else — a
     * folder (its totals depend on what is below it), a file that changed, moved or vanished, an id the last scan
     * does not know — rescans first, so a lookup never returns an outdated item.
     */
    DriveEntry lookup(String id) throws IOException {
        DriveEntry known = current.byId().get(id);
        if (known != null && !known.folder() && unchangedOnDisk(known)) {
            return known;
        }
        return rescan().byId().get(id);
    }

    private static boolean unchangedOnDisk(DriveEntry entry) {
        try {
            BasicFileAttributes attrs = Files.readAttributes(entry.path(), BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            return attrs.isRegularFile() && attrs.size() == entry.size()
                    && attrs.lastModifiedTime().equals(entry.fileTime())
                    && Objects.equals(attrs.fileKey(), entry.fileKey());
        } catch (IOException e) {
            return false;
        }
    }

    synchronized DriveView rescan() throws IOException {
        List<FolderScanner.Scanned> found = FolderScanner.scan(root);
        Previous previous = new Previous(current.items());
        Set<Object> presentKeys = new HashSet<>();
        for (FolderScanner.Scanned scanned : found) {
            if (scanned.fileKey() != null) {
                presentKeys.add(scanned.fileKey());
            }
        }
        Map<String, long[]> folderTotals = folderTotals(found);
        long next = seq + 1;
        boolean changed = false;

        Map<String, String> idByRelPath = new HashMap<>();
        Map<String, DriveEntry> byId = new LinkedHashMap<>();
        for (FolderScanner.Scanned scanned : found) {
            String parentId = scanned.relPath().isEmpty() ? null : idByRelPath.get(scanned.parentRelPath());
            DriveEntry before = previous.claim(scanned, parentId, presentKeys);
            DriveEntry after = before == null
                    ? created(scanned, parentId, next, folderTotals)
                    : updated(before, scanned, parentId, next, folderTotals);
            changed |= after.changeSeq() == next;
            idByRelPath.put(scanned.relPath(), after.id());
            byId.put(after.id(), after);
        }
        for (DriveEntry gone : previous.unclaimed()) {
            tombstones.add(new Tombstone(gone.id(), gone.parentId(), gone.folder(), depth(gone.relPath()),
                    gone.createdSeq(), next));
            changed = true;
        }
        if (changed) {
            seq = next;
            seqByTime.put(Instant.now(), seq);
        }
        Set<Path> files = new HashSet<>();
        found.forEach(s -> files.add(s.path()));
        facts.retainOnly(files);
        current = new DriveView(seq, List.copyOf(byId.values()), Map.copyOf(byId), List.copyOf(tombstones));
        return current;
    }

    private DriveEntry created(FolderScanner.Scanned s, String parentId, long next, Map<String, long[]> totals)
            throws IOException {
        String id = allocateId(s.fileKey() != null ? "key:" + s.fileKey() : "path:" + s.relPath());
        Instant modified = seconds(s.lastModified());
        Instant created = seconds(s.created());
        if (created.isAfter(modified)) {
            created = modified;
        }
        long[] total = totals.getOrDefault(s.relPath(), new long[2]);
        return new DriveEntry(id, parentId, s.path(), s.relPath(), s.name(), s.folder(),
                s.folder() ? total[0] : s.size(), (int) total[1], created, modified, 1, 1, hashOf(s),
                next, next, s.fileKey(), s.lastModified());
    }

    private DriveEntry updated(DriveEntry before, FolderScanner.Scanned s, String parentId, long next,
                               Map<String, long[]> totals) throws IOException {
        boolean moved = !before.root() && (!before.name().equals(s.name()) || !Objects.equals(before.parentId(), parentId));
        boolean contentChanged = !s.folder() && (before.size() != s.size()
                || !before.fileTime().equals(s.lastModified()) || !Objects.equals(before.fileKey(), s.fileKey()));
        long[] total = totals.getOrDefault(s.relPath(), new long[2]);
        boolean changed = moved || contentChanged;
        return new DriveEntry(before.id(), parentId, s.path(), s.relPath(), s.name(), s.folder(),
                s.folder() ? total[0] : s.size(), (int) total[1], before.created(), seconds(s.lastModified()),
                before.eTagVersion() + (changed ? 1 : 0), before.cTagVersion() + (contentChanged ? 1 : 0),
                contentChanged ? hashOf(s) : before.quickXorHash(),
                changed ? next : before.changeSeq(), before.createdSeq(), s.fileKey(), s.lastModified());
    }

    private String hashOf(FolderScanner.Scanned s) throws IOException {
        return s.folder() ? null : facts.quickXorHash(s.path(), s.size(), s.lastModified());
    }

    /** Ids come from the inode so they survive restarts; a reused inode gets a fresh id within one run. */
    private String allocateId(String identity) {
        for (int attempt = 0; ; attempt++) {
            String id = ItemIds.itemId(driveId, attempt == 0 ? identity : identity + "#" + attempt);
            if (issuedIds.add(id)) {
                return id;
            }
        }
    }

    /** Folder relPath → {total size of files below, number of direct children}. */
    private static Map<String, long[]> folderTotals(List<FolderScanner.Scanned> found) {
        Map<String, long[]> totals = new HashMap<>();
        for (int i = found.size() - 1; i > 0; i--) {
            FolderScanner.Scanned s = found.get(i);
            long[] own = totals.getOrDefault(s.relPath(), new long[2]);
            long[] parent = totals.computeIfAbsent(s.parentRelPath(), k -> new long[2]);
            parent[0] += s.folder() ? own[0] : s.size();
            parent[1]++;
        }
        return totals;
    }

    private static int depth(String relPath) {
        return relPath.isEmpty() ? 0 : relPath.split("/").length;
    }

    private static Instant seconds(FileTime time) {
        return time.toInstant().truncatedTo(ChronoUnit.SECONDS);
    }

    /** The previous scan's items, each claimable once by an entry of the new scan. */
    private static final class Previous {
        private final Map<Object, DriveEntry> byKey = new HashMap<>();
        private final Map<String, DriveEntry> byParentAndName = new HashMap<>();
        private final Map<String, DriveEntry> unclaimed = new LinkedHashMap<>();
        private DriveEntry root;

        Previous(List<DriveEntry> items) {
            for (DriveEntry item : items) {
                unclaimed.put(item.id(), item);
                if (item.root()) {
                    root = item;
                }
                if (item.fileKey() != null) {
                    byKey.put(item.fileKey(), item);
                }
                byParentAndName.put(item.parentId() + "/" + item.name(), item);
            }
        }

        /**
         * The previous item this scanned entry continues, if any. The same inode continues an item when it is a
         * folder, kept its content (a rename or move) or kept its name and folder (an edit in place). A file both
         * moved and edited since the last scan therefore counts as deleted and created: ext4 hands a freed inode
         * number straight to the next new file, and a new file must not pass for a deleted one. Failing the inode,
         * a file replaced at the same place (an editor's save-to-temp-and-rename) continues the item whose inode
         * vanished.
         */
        DriveEntry claim(FolderScanner.Scanned s, String parentId, Set<Object> presentKeys) {
            if (s.relPath().isEmpty()) {
                return take(root);
            }
            DriveEntry sameInode = s.fileKey() == null ? null : byKey.get(s.fileKey());
            if (available(sameInode, s) && (s.folder() || sameContent(sameInode, s)
                    || (sameInode.name().equals(s.name()) && Objects.equals(sameInode.parentId(), parentId)))) {
                return take(sameInode);
            }
            DriveEntry samePlace = byParentAndName.get(parentId + "/" + s.name());
            if (available(samePlace, s) && (samePlace.fileKey() == null || !presentKeys.contains(samePlace.fileKey()))) {
                return take(samePlace);
            }
            return null;
        }

        List<DriveEntry> unclaimed() {
            return List.copyOf(unclaimed.values());
        }

        private boolean available(DriveEntry item, FolderScanner.Scanned s) {
            return item != null && !item.root() && item.folder() == s.folder() && unclaimed.containsKey(item.id());
        }

        private static boolean sameContent(DriveEntry item, FolderScanner.Scanned s) {
            return item.size() == s.size() && item.fileTime().equals(s.lastModified());
        }

        private DriveEntry take(DriveEntry item) {
            if (item != null) {
                unclaimed.remove(item.id());
            }
            return item;
        }
    }
}

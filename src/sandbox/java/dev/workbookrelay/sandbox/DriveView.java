package dev.workbookrelay.sandbox;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The state of a drive after one scan: live items in tree order, and every deletion seen so far. */
record DriveView(long seq, List<DriveEntry> items, Map<String, DriveEntry> byId, List<Tombstone> tombstones) {

    DriveEntry root() {
        return items.get(0);
    }

    /**
     * What a delta call with a token at {@code sinceSeq} returns: items changed since then (in tree order, with
     * their unchanged ancestors unless {@code withParents} is false), then the items deleted since then,
     * deepest first so a folder's tombstone follows its contents'.
     */
    List<Object> changesSince(long sinceSeq, boolean withParents) {
        return changesSince(sinceSeq, withParents, false);
    }

    /** As above; {@code deletedFolderOnly}: an item deleted with its folder is not listed, only the folder. */
    List<Object> changesSince(long sinceSeq, boolean withParents, boolean deletedFolderOnly) {
        Set<String> wanted = new HashSet<>();
        for (DriveEntry item : items) {
            if (item.changeSeq() > sinceSeq) {
                wanted.add(item.id());
                if (withParents) {
                    for (String parent = item.parentId(); parent != null && wanted.add(parent); ) {
                        parent = byId.get(parent).parentId();
                    }
                }
            }
        }
        List<Object> changes = new ArrayList<>();
        for (DriveEntry item : items) {
            if (wanted.contains(item.id())) {
                changes.add(item);
            }
        }
        List<Tombstone> gone = tombstones.stream()
                .filter(t -> t.deletedSeq() > sinceSeq && t.createdSeq() <= sinceSeq).toList();
        Set<String> goneIds = new HashSet<>();
        gone.forEach(t -> goneIds.add(t.id()));
        gone.stream()
                .filter(t -> !deletedFolderOnly || !goneIds.contains(t.parentId()))
                .sorted(Comparator.comparingInt(Tombstone::depth).reversed())
                .forEach(changes::add);
        return changes;
    }
}

package dev.workbookrelay.graph;

import java.util.HashMap;
import java.util.Map;

/**
 * Folder id → path, learnt from the folders a delta enumeration returns (parents always come before their
 * children). Delta items usually carry no {@code parentReference.path}, so this is how a workbook's folder is
 * known. Costs one entry per folder, never per file.
 */
public final class FolderPaths {

    private record Folder(String parentId, String name, boolean root) {
    }

    private final Map<String, Folder> folders = new HashMap<>();

    /**
     * Remembers a folder (or the root), forgets a deleted one; ignores files.
     *
     * @return true when this changed what is known
     */
    public synchronized boolean learn(DriveItem item) {
        if (item.id() == null) {
            return false;
        }
        if (item.deleted()) {
            return folders.remove(item.id()) != null;
        }
        if (item.root()) {
            return put(item.id(), null, "", true);
        }
        if (item.folder()) {
            return put(item.id(), item.parentId(), item.name(), false);
        }
        return false;
    }

    /** Adds a folder known from before (stored state). @return true when new or different */
    public synchronized boolean put(String id, String parentId, String name, boolean root) {
        return !new Folder(parentId, name, root).equals(folders.put(id, new Folder(parentId, name, root)));
    }

    /** The item's folder path: from Graph when it sent one, else rebuilt from the folders seen; null if unknown. */
    public synchronized String parentPathOf(DriveItem item) {
        if (item.parentPath() != null) {
            return item.parentPath();
        }
        return pathOf(item.parentId(), 0);
    }

    /** The path of a known folder ({@code /} for the root), or null. */
    public synchronized String pathOfFolder(String folderId) {
        return pathOf(folderId, 0);
    }

    private String pathOf(String folderId, int depth) {
        if (folderId == null || depth > 256) {
            return null;
        }
        Folder folder = folders.get(folderId);
        if (folder == null) {
            return null;
        }
        if (folder.root()) {
            return "/";
        }
        String parent = pathOf(folder.parentId(), depth + 1);
        if (parent == null) {
            return null;
        }
        return parent.equals("/") ? "/" + folder.name() : parent + "/" + folder.name();
    }

    public synchronized int size() {
        return folders.size();
    }
}

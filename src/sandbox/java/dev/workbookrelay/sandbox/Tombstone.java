package dev.workbookrelay.sandbox;

/** What a drive remembers of a deleted item: enough for the delta feed's {@code deleted} entry. */
record Tombstone(String id, String parentId, boolean folder, int depth, long createdSeq, long deletedSeq) {
}

package dev.workbookrelay.sandbox;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Delta bookkeeping of one drive: the opaque tokens handed out in deltaLinks (a change sequence of the
 * {@link DriveIndex}, tied to this drive and to a token generation) and the enumerations being paged through
 * (frozen at their first page, addressed by the {@code $skiptoken} of each nextLink).
 */
final class DeltaFeed {

    /** The items of one enumeration and the change sequence its final deltaLink hands out. */
    record Snapshot(List<Object> items, long seq) {
    }

    private static final int KEPT_SNAPSHOTS = 64;
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final String driveGuid;
    /** Starts random so that tokens of an earlier emulator run are unknown here, as they would be. */
    private long generation = ThreadLocalRandom.current().nextLong(1, 1L << 40);
    private final Map<String, Snapshot> snapshots = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Snapshot> eldest) {
            return size() > KEPT_SNAPSHOTS;
        }
    };

    DeltaFeed(String driveId) {
        this.driveGuid = ItemIds.uuid("delta\n" + driveId).toString();
    }

    synchronized String token(long seq) {
        return encode("3;" + driveGuid + ";" + generation + ";" + seq + ";" + System.currentTimeMillis());
    }

    /** The change sequence a token stands for; empty when the token is not one of this drive's current ones. */
    synchronized OptionalLong seqOf(String token, long currentSeq) {
        String[] parts = decode(token).split(";");
        if (parts.length != 5 || !parts[0].equals("3") || !parts[1].equals(driveGuid)
                || !parts[2].equals(Long.toString(generation))) {
            return OptionalLong.empty();
        }
        try {
            long seq = Long.parseLong(parts[3]);
            return seq >= 0 && seq <= currentSeq ? OptionalLong.of(seq) : OptionalLong.empty();
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** Keeps an enumeration for its next pages; returns the skiptoken of the page starting at {@code offset}. */
    synchronized String keep(Snapshot snapshot, int offset) {
        String id = UUID.randomUUID().toString();
        snapshots.put(id, snapshot);
        return skipToken(id, offset);
    }

    synchronized String skipToken(String snapshotId, int offset) {
        return encode("s;" + generation + ";" + snapshotId + ";" + offset);
    }

    /** The snapshot id and offset a skiptoken points at, or null when it is unknown or expired. */
    synchronized Page page(String skipToken) {
        String[] parts = decode(skipToken).split(";");
        if (parts.length != 4 || !parts[0].equals("s") || !parts[1].equals(Long.toString(generation))) {
            return null;
        }
        Snapshot snapshot = snapshots.get(parts[2]);
        try {
            int offset = Integer.parseInt(parts[3]);
            return snapshot == null || offset < 0 ? null : new Page(parts[2], snapshot, offset);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    record Page(String snapshotId, Snapshot snapshot, int offset) {
    }

    /**
     * The page, its enumeration grown by what changed in the drive since the enumeration's sequence: those items
     * are listed again at its end (a second time, for those already listed), and its deltaLink moves past them.
     */
    synchronized Page grow(Page page, DriveView now) {
        Snapshot snapshot = page.snapshot();
        if (now.seq() <= snapshot.seq()) {
            return page;
        }
        List<Object> items = new ArrayList<>(snapshot.items());
        items.addAll(now.changesSince(snapshot.seq(), true));
        Snapshot grown = new Snapshot(List.copyOf(items), now.seq());
        snapshots.put(page.snapshotId(), grown);
        return new Page(page.snapshotId(), grown, page.offset());
    }

    /** Every token and enumeration handed out so far becomes unknown: the next use gets 410 Gone. */
    synchronized void expireAll() {
        generation++;
        snapshots.clear();
    }

    private static String encode(String text) {
        return ENCODER.encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String token) {
        try {
            return new String(DECODER.decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }
}

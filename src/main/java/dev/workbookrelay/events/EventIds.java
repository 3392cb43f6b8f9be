package dev.workbookrelay.events;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/**
 * Deterministic event ids: the same type, key and data always give the same {@code ce_id}, so an event that is
 * published again (after a retry, a crash, a forced resync of an unchanged workbook) can be dropped downstream.
 */
public final class EventIds {

    private EventIds() {
    }

    /** A name-based UUID (version 5 layout, SHA-1) of type, key and data. */
    public static String of(String type, String key, byte[] data) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(type.getBytes(StandardCharsets.UTF_8));
            sha1.update((byte) 0);
            sha1.update(key.getBytes(StandardCharsets.UTF_8));
            sha1.update((byte) 0);
            if (data != null) {
                sha1.update(data);
            }
            byte[] h = sha1.digest();
            h[6] = (byte) ((h[6] & 0x0f) | 0x50);
            h[8] = (byte) ((h[8] & 0x3f) | 0x80);
            long msb = 0;
            long lsb = 0;
            for (int i = 0; i < 8; i++) {
                msb = (msb << 8) | (h[i] & 0xff);
                lsb = (lsb << 8) | (h[i + 8] & 0xff);
            }
            return new UUID(msb, lsb).toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is part of every JRE", e);
        }
    }
}

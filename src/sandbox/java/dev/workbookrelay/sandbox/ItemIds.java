package dev.workbookrelay.sandbox;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.UUID;

/**
 * The opaque identifiers a SharePoint-backed drive hands out, derived from stable inputs (connection, inode) so that
 * they look like the real ones and survive a restart of the emulator.
 */
final class ItemIds {

    private static final char[] BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();

    private ItemIds() {
    }

    /** {@code b!} + 64 url-safe characters, like {@code b!PkCXTGMWc0aQ-tL4aQtFEDRX0SkZ...}. */
    static String driveId(String providerConfigKey, String connectionId) {
        byte[] hash = digest("SHA-512", "drive\n" + providerConfigKey + "\n" + connectionId);
        return "b!" + Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(hash, 48));
    }

    /** {@code 01} + 32 upper-case base32 characters, the OneDrive for Business item id shape. */
    static String itemId(String driveId, String identity) {
        byte[] hash = digest("SHA-256", "item\n" + driveId + "\n" + identity);
        return "01" + base32(Arrays.copyOf(hash, 20));
    }

    /** The GUID SharePoint shows in an item's eTag, cTag and Doc.aspx link: fixed for the item's life. */
    static String itemGuid(String itemId) {
        return uuid("guid\n" + itemId).toString().toUpperCase(Locale.ROOT);
    }

    /** A v4-shaped UUID derived from a seed (user ids, tenant-looking ids). */
    static UUID uuid(String seed) {
        ByteBuffer bytes = ByteBuffer.wrap(digest("SHA-256", seed));
        long high = (bytes.getLong() & ~0xF000L) | 0x4000L;
        long low = (bytes.getLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low);
    }

    static String base32(byte[] data) {
        StringBuilder out = new StringBuilder((data.length * 8 + 4) / 5);
        int buffer = 0;
        int bits = 0;
        for (byte b : data) {
            buffer = (buffer << 8) | (b & 0xFF);
            bits += 8;
            while (bits >= 5) {
                out.append(BASE32[(buffer >> (bits - 5)) & 0x1F]);
                bits -= 5;
            }
        }
        if (bits > 0) {
            out.append(BASE32[(buffer << (5 - bits)) & 0x1F]);
        }
        return out.toString();
    }

    private static byte[] digest(String algorithm, String text) {
        try {
            return MessageDigest.getInstance(algorithm).digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

package dev.workbookrelay.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/**
 * OneDrive's {@code quickXorHash}: every byte is XOR-ed into a circular 160-bit register at a position that
 * advances by 11 bits per byte, then the length is XOR-ed into the last 64 bits. Because 160 bytes bring the
 * position back to 0, the bytes are first folded into 160 lanes and placed once at the end.
 */
final class QuickXorHash {

    private static final int WIDTH_BITS = 160;
    private static final int SHIFT = 11;

    private final byte[] lanes = new byte[WIDTH_BITS];
    private int lane;
    private long length;

    static String of(Path file) throws IOException {
        QuickXorHash hash = new QuickXorHash();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[64 * 1024];
            int read;
            while ((read = in.read(buffer)) > 0) {
                hash.update(buffer, read);
            }
        }
        return hash.base64();
    }

    static String of(byte[] data) {
        QuickXorHash hash = new QuickXorHash();
        hash.update(data, data.length);
        return hash.base64();
    }

    private void update(byte[] data, int count) {
        for (int i = 0; i < count; i++) {
            lanes[lane] ^= data[i];
            lane = lane == WIDTH_BITS - 1 ? 0 : lane + 1;
        }
        length += count;
    }

    private String base64() {
        byte[] register = new byte[WIDTH_BITS / 8];
        for (int p = 0; p < WIDTH_BITS; p++) {
            int value = lanes[p] & 0xFF;
            int start = (p * SHIFT) % WIDTH_BITS;
            for (int bit = 0; bit < 8; bit++) {
                if ((value >> bit & 1) != 0) {
                    int at = (start + bit) % WIDTH_BITS;
                    register[at >> 3] ^= (byte) (1 << (at & 7));
                }
            }
        }
        for (int i = 0; i < 8; i++) {
            register[register.length - 8 + i] ^= (byte) (length >>> (8 * i));
        }
        return Base64.getEncoder().encodeToString(register);
    }
}

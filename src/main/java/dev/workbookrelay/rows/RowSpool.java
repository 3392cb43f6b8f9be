package dev.workbookrelay.rows;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A sheet's row values (JSON text), written to a temporary file as they are read and read back only for the rows
 * that have events or are stored: while a sheet is diffed, memory holds per row only its position, hash and key,
 * and at most a batch of values. Deleted on {@link #close()}.
 */
public final class RowSpool implements AutoCloseable {

    private final Path file;
    private final DataOutputStream out;
    private RandomAccessFile in;
    private long size;

    private RowSpool(Path file) throws IOException {
        this.file = file;
        this.out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16));
    }

    static RowSpool create(ScratchDirectory scratch) {
        try {
            return new RowSpool(scratch.newFile("rows-", ".spool"));
        } catch (IOException e) {
            throw new UncheckedIOException("no temporary file for a sheet's rows", e);
        }
    }

    /** Appends a row's values; where they are, for {@link #read}. */
    long append(String values) {
        if (in != null) {
            throw new IllegalStateException("the spool is being read: it takes no more rows");
        }
        byte[] bytes = values.getBytes(StandardCharsets.UTF_8);
        try {
            out.writeInt(bytes.length);
            out.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("writing a row to " + file, e);
        }
        long at = size;
        size += 4 + bytes.length;
        return at;
    }

    /** The values appended at {@code at}. */
    public synchronized String read(long at) {
        try {
            if (in == null) {
                out.close();
                in = new RandomAccessFile(file.toFile(), "r");
            }
            in.seek(at);
            byte[] bytes = new byte[in.readInt()];
            in.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("reading a row from " + file, e);
        }
    }

    @Override
    public void close() {
        try {
            out.close();
            if (in != null) {
                in.close();
            }
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("deleting " + file, e);
        }
    }
}

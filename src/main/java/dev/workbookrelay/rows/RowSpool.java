package dev.workbookrelay.rows;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * A sheet's rows as read, in two temporary files: the values (JSON text), read back by place only for the rows that
 * have events or are stored, and the rows themselves (position, hash, key, place of the values), read back in order
 * as often as needed. Memory holds neither: a sheet of any length is read, staged and diffed with a buffer's worth.
 * Both files are deleted on {@link #close()}.
 */
public final class RowSpool implements AutoCloseable {

    private static final int BUFFER = 1 << 16;

    private final Path valuesFile;
    private final Path rowsFile;
    private final DataOutputStream values;
    private final DataOutputStream rows;
    private RandomAccessFile valuesIn;
    private boolean sealed;
    private long valuesSize;
    private int count;

    private RowSpool(Path valuesFile, Path rowsFile) throws IOException {
        this.valuesFile = valuesFile;
        this.rowsFile = rowsFile;
        this.values = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(valuesFile), BUFFER));
        this.rows = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(rowsFile), BUFFER));
    }

    static RowSpool create(ScratchDirectory scratch) {
        try {
            return new RowSpool(scratch.newFile("rows-", ".values"), scratch.newFile("rows-", ".rows"));
        } catch (IOException e) {
            throw new UncheckedIOException("no temporary file for a sheet's rows", e);
        }
    }

    /** Appends a row read: its values and the row itself. */
    void append(int position, String hash, String key, String json) {
        if (sealed) {
            throw new IllegalStateException("the spool is being read: it takes no more rows");
        }
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        try {
            values.writeInt(bytes.length);
            values.write(bytes);
            rows.writeInt(position);
            rows.writeUTF(hash);
            rows.writeBoolean(key != null);
            if (key != null) {
                rows.writeUTF(key);
            }
            rows.writeLong(valuesSize);
        } catch (IOException e) {
            throw new UncheckedIOException("writing a row to " + valuesFile, e);
        }
        valuesSize += 4 + bytes.length;
        count++;
    }

    /** How many rows were appended. */
    public int count() {
        return count;
    }

    /** The rows appended, in order, read from disk each time. */
    public synchronized Iterable<ReadRow> rows() {
        finishWriting();
        return () -> new Iterator<>() {
            private final DataInputStream in = open();
            private int left = count;

            @Override
            public boolean hasNext() {
                if (left == 0) {
                    closeQuietly();
                }
                return left > 0;
            }

            @Override
            public ReadRow next() {
                if (left == 0) {
                    throw new NoSuchElementException();
                }
                try {
                    int position = in.readInt();
                    String hash = in.readUTF();
                    String key = in.readBoolean() ? in.readUTF() : null;
                    left--;
                    return new ReadRow(position, hash, in.readLong(), key);
                } catch (EOFException e) {
                    throw new IllegalStateException(rowsFile + " ends before its " + count + " rows", e);
                } catch (IOException e) {
                    throw new UncheckedIOException("reading the rows of " + rowsFile, e);
                }
            }

            private DataInputStream open() {
                try {
                    return new DataInputStream(new BufferedInputStream(Files.newInputStream(rowsFile), BUFFER));
                } catch (IOException e) {
                    throw new UncheckedIOException("reading the rows of " + rowsFile, e);
                }
            }

            private void closeQuietly() {
                try {
                    in.close();
                } catch (IOException e) {
                    // read to its end: nothing is lost
                }
            }
        };
    }

    /** The values appended at {@code at} ({@link ReadRow#valuesAt()}). */
    public synchronized String read(long at) {
        try {
            finishWriting();
            if (valuesIn == null) {
                valuesIn = new RandomAccessFile(valuesFile.toFile(), "r");
            }
            valuesIn.seek(at);
            byte[] bytes = new byte[valuesIn.readInt()];
            valuesIn.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("reading a row from " + valuesFile, e);
        }
    }

    private void finishWriting() {
        sealed = true;
        try {
            values.close();
            rows.close();
        } catch (IOException e) {
            throw new UncheckedIOException("writing the rows to " + rowsFile, e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            finishWriting();
            if (valuesIn != null) {
                valuesIn.close();
            }
            Files.deleteIfExists(valuesFile);
            Files.deleteIfExists(rowsFile);
        } catch (IOException e) {
            throw new UncheckedIOException("deleting " + valuesFile, e);
        }
    }
}

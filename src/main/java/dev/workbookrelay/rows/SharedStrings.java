package dev.workbookrelay.rows;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A workbook's shared strings table (the texts cells refer to by number), kept on disk in the scratch folder rather
 * than in the heap: a sheet of many distinct texts has as many entries as rows, and the heap must not grow with the
 * sheet. Written once as the part is read ({@link #add}), then looked up through read-only mappings of the files
 * (the operating system's page cache, not the heap). Deleted on {@link #close()}.
 */
final class SharedStrings implements AutoCloseable {

    private static final int BUFFER = 1 << 16;

    private final Path texts;
    private final Path offsets;
    private DataOutputStream textsOut;
    private DataOutputStream offsetsOut;
    private long written;
    private int count;
    private MappedByteBuffer textMap;
    private MappedByteBuffer offsetMap;

    private SharedStrings(Path texts, Path offsets) throws IOException {
        this.texts = texts;
        this.offsets = offsets;
        this.textsOut = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(texts), BUFFER));
        this.offsetsOut = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(offsets), BUFFER));
    }

    static SharedStrings create(ScratchDirectory scratch) {
        try {
            return new SharedStrings(scratch.newFile("strings-", ".texts"), scratch.newFile("strings-", ".offsets"));
        } catch (IOException e) {
            throw new UncheckedIOException("no temporary file for a workbook's shared strings", e);
        }
    }

    /** Appends the next string (number {@link #size()} before the call). */
    void add(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        try {
            offsetsOut.writeLong(written);
            textsOut.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("writing the shared strings to " + texts, e);
        }
        written += bytes.length;
        count++;
    }

    int size() {
        return count;
    }

    /** Ends writing: the table is read from now on. */
    SharedStrings seal() {
        try {
            offsetsOut.writeLong(written); // the end of the last string
            textsOut.close();
            offsetsOut.close();
            textMap = map(texts);
            offsetMap = map(offsets);
        } catch (IOException e) {
            throw new UncheckedIOException("reading the shared strings back from " + texts, e);
        }
        return this;
    }

    private static MappedByteBuffer map(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size()); // stays valid once closed
        }
    }

    /** String number {@code index} ({@code 0 <= index < size()}). */
    String get(int index) {
        int from = (int) offsetMap.getLong(index * 8);
        int to = (int) offsetMap.getLong(index * 8 + 8);
        byte[] bytes = new byte[to - from];
        textMap.get(from, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        try {
            if (textMap == null) {
                textsOut.close();
                offsetsOut.close();
            }
            // the mappings go with the garbage collector; the files' names go now
            Files.deleteIfExists(texts);
            Files.deleteIfExists(offsets);
        } catch (IOException e) {
            throw new UncheckedIOException("deleting " + texts, e);
        }
    }
}

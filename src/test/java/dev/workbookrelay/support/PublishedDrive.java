package dev.workbookrelay.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * What a consumer of the workbooks and worksheets topics knows about one connection's drive, rebuilt from every
 * record read: the last image of each key, workbook paths, sheet names by position, and the {@code ce_id}s each
 * key was published with (to tell honest re-publications from different events).
 */
public final class PublishedDrive {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** workbookId → its last workbook image. */
    private final Map<String, JsonNode> workbooks = new LinkedHashMap<>();
    /** workbookId → worksheetId → its last worksheet image. */
    private final Map<String, Map<String, JsonNode>> worksheets = new LinkedHashMap<>();
    /** topic + key → distinct (ce_id, ce_type, value) seen. */
    private final Map<String, Set<String>> idsByKey = new TreeMap<>();
    private int records;

    public PublishedDrive(String connectionId, List<ConsumerRecord<byte[], byte[]>> all, String workbooksTopic,
            String worksheetsTopic) {
        for (ConsumerRecord<byte[], byte[]> r : all) {
            String key = RawRecords.utf8(r.key());
            if (key == null || !key.startsWith(connectionId + "/")) {
                continue;
            }
            records++;
            idsByKey.computeIfAbsent(r.topic() + " " + key, k -> new TreeSet<>())
                    .add(RawRecords.header(r, "ce_id") + " " + RawRecords.header(r, "ce_type") + " "
                            + (r.value() == null ? "null" : RawRecords.utf8(r.value())));
            if (r.value() == null) {
                continue; // tombstone: not expected in these tests, and shows up as an extra ce_id if it is
            }
            JsonNode after = parse(r.value()).get("after");
            if (after == null || after.isNull()) {
                continue;
            }
            if (r.topic().equals(workbooksTopic)) {
                workbooks.put(after.get("id").asText(), after);
            } else if (r.topic().equals(worksheetsTopic)) {
                worksheets.computeIfAbsent(after.get("workbookId").asText(), k -> new LinkedHashMap<>())
                        .put(after.get("id").asText(), after);
            }
        }
    }

    /** {@code /Folder/Book.xlsx} → sheet names by position, as published (the same shape as {@link DriveTruth}). */
    public Map<String, List<String>> contents() {
        Map<String, List<String>> contents = new TreeMap<>();
        workbooks.forEach((id, image) -> {
            String parent = image.path("parentPath").asText("/");
            String path = (parent.equals("/") ? "" : parent) + "/" + image.get("name").asText();
            List<JsonNode> sheets = new ArrayList<>(worksheets.getOrDefault(id, Map.of()).values());
            sheets.sort(Comparator.comparingInt(s -> s.get("position").asInt()));
            List<String> names = sheets.stream().map(s -> s.get("name").asText()).toList();
            if (contents.put(path, names) != null) {
                contents.put(path + " (published under two ids)", names);
            }
        });
        return contents;
    }

    /** Worksheet images whose workbook was never published: each is a worksheet event nobody can place. */
    public Set<String> orphanWorksheets() {
        Set<String> orphans = new TreeSet<>(worksheets.keySet());
        orphans.removeAll(workbooks.keySet());
        return orphans;
    }

    /** Keys published with more than one {@code ce_id} (topic, key → each id with its type and value). */
    public Map<String, Set<String>> keysWithSeveralIds() {
        Map<String, Set<String>> several = new TreeMap<>();
        idsByKey.forEach((key, events) -> {
            if (events.stream().map(e -> e.split(" ", 2)[0]).distinct().count() > 1) {
                several.put(key, events);
            }
        });
        return several;
    }

    /** Records read for this connection. */
    public int records() {
        return records;
    }

    /** Distinct keys published for this connection. */
    public int keys() {
        return idsByKey.size();
    }

    private static JsonNode parse(byte[] value) {
        try {
            return JSON.readTree(value);
        } catch (IOException e) {
            throw new UncheckedIOException("event value is not JSON", e);
        }
    }
}

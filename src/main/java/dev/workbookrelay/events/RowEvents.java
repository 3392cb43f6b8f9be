package dev.workbookrelay.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Row events ({@code <prefix>.row.snapshot|created|updated|deleted}, then a tombstone after a deletion) on the rows
 * topic, keyed {@code {connectionId}/{workbookId}/{worksheetId or tableId}/{rowKey}} so a compacted topic holds each
 * sheet (and each Excel table) as a table; and a header change ({@code <prefix>.worksheet.columns-changed}) on the
 * worksheets topic, published before the row events it affects. Ids follow the worksheet rule: type, key, the workbook's version and
 * the data.
 */
public final class RowEvents {

    /**
     * Row event data: where the row is and its values as {@code {header: value}} before and after, written as the
     * JSON text they are held in.
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record RowData(String op, String source, String providerConfigKey, String connectionId, String drive,
            String workbookId, String worksheetId, String worksheet, String tableId, String table, String row,
            int position,
            @JsonRawValue String before, @JsonRawValue String after, List<String> changedColumns) {
    }

    /** A header change: the columns before and after, and which were added, removed or renamed. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record ColumnsData(String op, String source, String providerConfigKey, String connectionId, String drive,
            String workbookId, String worksheetId, String worksheet, String tableId, String table,
            List<String> before, List<String> after,
            List<String> added, List<String> removed, List<Renamed> renamed) {
    }

    /** A column whose header changed in place. */
    public record Renamed(String from, String to) {
    }

    /** What a row event is: its type, op, and the sheet row it is about. */
    public enum RowChange {
        SNAPSHOT("snapshot", "r"), CREATED("created", "c"), UPDATED("updated", "u"), DELETED("deleted", "d");

        final String kind;
        final String op;

        RowChange(String kind, String op) {
            this.kind = kind;
            this.op = op;
        }
    }

    private final ObjectMapper json;
    private final EventTopics topics;
    private final String typePrefix;

    public RowEvents(ObjectMapper json, EventTopics topics, String typePrefix) {
        this.json = json;
        this.topics = topics;
        this.typePrefix = typePrefix;
    }

    /**
     * A row event; {@code before} (JSON object text) null for snapshots and creations, {@code after} null for
     * deletions.
     */
    public CloudEvent row(RowChange change, SourceRef source, WorkbookImage workbook, RowOrigin origin,
            String rowKey, int position, String before, String after, List<String> changedColumns) {
        String type = typePrefix + ".row." + change.kind;
        String key = rowKey(source, workbook.id(), origin.id(), rowKey);
        byte[] data = bytes(new RowData(change.op, source.source(), source.providerConfigKey(),
                source.connectionId(), source.drive(), workbook.id(), origin.sheet().id(), origin.sheet().name(),
                origin.tableId(), origin.tableName(), rowKey, position, before, after, changedColumns));
        return new CloudEvent(topics.rows(), key, EventIds.of(type, WorkbookEvents.versioned(key, workbook), data),
                WorkbookEvents.ceSource(source), type, subject(workbook, origin) + "/rows/" + rowKey,
                workbook.lastModifiedDateTime(), data);
    }

    /** Null value for a deleted row's key: compaction then forgets the row. */
    public CloudEvent rowTombstone(SourceRef source, WorkbookImage workbook, RowOrigin origin, String rowKey,
            String last) {
        String type = typePrefix + ".tombstone";
        String key = rowKey(source, workbook.id(), origin.id(), rowKey);
        return new CloudEvent(topics.rows(), key, EventIds.of(type, WorkbookEvents.versioned(key, workbook),
                last == null ? null : last.getBytes(StandardCharsets.UTF_8)),
                WorkbookEvents.ceSource(source), type, subject(workbook, origin) + "/rows/" + rowKey,
                workbook.lastModifiedDateTime(), null);
    }

    /**
     * A worksheet's (or a table's) header changed: published on the worksheets topic under the worksheet's key (a
     * table's: {@code …/{tableId}}).
     */
    public CloudEvent columnsChanged(SourceRef source, WorkbookImage workbook, RowOrigin origin,
            List<String> before, List<String> after, List<String> added, List<String> removed,
            List<Renamed> renamed) {
        String type = typePrefix + ".worksheet.columns-changed";
        String key = WorkbookEvents.worksheetKey(source, workbook.id(), origin.id());
        byte[] data = bytes(new ColumnsData("u", source.source(), source.providerConfigKey(), source.connectionId(),
                source.drive(), workbook.id(), origin.sheet().id(), origin.sheet().name(), origin.tableId(),
                origin.tableName(), before, after, added, removed, renamed));
        return new CloudEvent(topics.worksheets(), key, EventIds.of(type, WorkbookEvents.versioned(key, workbook), data),
                WorkbookEvents.ceSource(source), type, subject(workbook, origin), workbook.lastModifiedDateTime(),
                data);
    }

    public static String rowKey(SourceRef source, String workbookId, String worksheetId, String rowKey) {
        return WorkbookEvents.worksheetKey(source, workbookId, worksheetId) + "/" + rowKey;
    }

    private static String subject(WorkbookImage workbook, RowOrigin origin) {
        return "workbooks/" + workbook.id() + "/" + origin.subject();
    }

    private byte[] bytes(Object data) {
        return EventData.bytes(json, data, "event data");
    }
}

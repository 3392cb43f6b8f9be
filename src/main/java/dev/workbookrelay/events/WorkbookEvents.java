package dev.workbookrelay.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Builds the workbook and worksheet events. Data follows Debezium's envelope: {@code op} ({@code r} for a
 * snapshot read, {@code c} created, {@code u} updated, {@code d} deleted), {@code before} and {@code after}
 * images, plus where the event comes from. Keys are {@code {connectionId}/{workbookId}} and
 * {@code {connectionId}/{workbookId}/{worksheetId}}: one workbook's events share a partition (ordered), and
 * compaction keeps the latest per key — a tombstone (null value) makes it forget a deleted one.
 */
public final class WorkbookEvents {

    /** Workbook changes: {@code <prefix>.workbook.<kind>}. */
    public enum WorkbookChange {
        SNAPSHOT("snapshot", "r"), CREATED("created", "c"), UPDATED("updated", "u"), RENAMED("renamed", "u"),
        MOVED("moved", "u"), DELETED("deleted", "d");

        final String kind;
        final String op;

        WorkbookChange(String kind, String op) {
            this.kind = kind;
            this.op = op;
        }
    }

    /** Worksheet changes: {@code <prefix>.worksheet.<kind>}. */
    public enum WorksheetChange {
        SNAPSHOT("snapshot", "r"), ADDED("added", "c"), RENAMED("renamed", "u"), MOVED("moved", "u"),
        VISIBILITY_CHANGED("visibility-changed", "u"), REMOVED("removed", "d");

        final String kind;
        final String op;

        WorksheetChange(String kind, String op) {
            this.kind = kind;
            this.op = op;
        }
    }

    /** Event data; field order is fixed so that equal state serialises to equal bytes (and equal ids). */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Data<T>(String op, String source, String providerConfigKey, String connectionId, String drive, T before,
            T after) {
    }

    private final ObjectMapper json;
    private final EventTopics topics;
    private final String typePrefix;

    public WorkbookEvents(ObjectMapper json, EventTopics topics, String typePrefix) {
        this.json = json;
        this.topics = topics;
        this.typePrefix = typePrefix;
    }

    public String type(String name) {
        return typePrefix + "." + name;
    }

    public CloudEvent workbookSnapshot(SourceRef source, WorkbookImage workbook) {
        return workbook(WorkbookChange.SNAPSHOT, source, null, workbook);
    }

    public CloudEvent worksheetSnapshot(SourceRef source, WorkbookImage workbook, WorksheetImage worksheet) {
        return worksheet(WorksheetChange.SNAPSHOT, source, workbook, null, worksheet);
    }

    /** A workbook event; {@code before} is null for snapshots and creations, {@code after} null for deletions. */
    public CloudEvent workbook(WorkbookChange change, SourceRef source, WorkbookImage before, WorkbookImage after) {
        WorkbookImage current = after != null ? after : before;
        String type = type("workbook." + change.kind);
        String key = workbookKey(source, current.id());
        byte[] data = bytes(new Data<>(change.op, source.source(), source.providerConfigKey(), source.connectionId(),
                source.drive(), before, after));
        return new CloudEvent(topics.workbooks(), key, EventIds.of(type, key, data), ceSource(source), type,
                "workbooks/" + current.id(), current.lastModifiedDateTime(), data);
    }

    /**
     * A worksheet event; {@code workbook} is the workbook's latest image (its time stamps the event, its version
     * goes into the id: a worksheet changed back and forth, Visible, Hidden, Visible, Hidden, makes four distinct
     * events whose data repeat, each at another version of the workbook).
     */
    public CloudEvent worksheet(WorksheetChange change, SourceRef source, WorkbookImage workbook,
            WorksheetImage before, WorksheetImage after) {
        WorksheetImage current = after != null ? after : before;
        String type = type("worksheet." + change.kind);
        String key = worksheetKey(source, workbook.id(), current.id());
        byte[] data = bytes(new Data<>(change.op, source.source(), source.providerConfigKey(), source.connectionId(),
                source.drive(), before, after));
        return new CloudEvent(topics.worksheets(), key, EventIds.of(type, versioned(key, workbook), data),
                ceSource(source), type, "workbooks/" + workbook.id() + "/worksheets/" + current.id(),
                workbook.lastModifiedDateTime(), data);
    }

    /** The key and the workbook's version (its cTag, else its eTag): what an id covers beside type and data. */
    static String versioned(String key, WorkbookImage workbook) {
        return key + "@" + (workbook.cTag() != null ? workbook.cTag() : workbook.eTag());
    }

    /** Null value for the workbook's key, after its deleted event: compaction then forgets the workbook. */
    public CloudEvent workbookTombstone(SourceRef source, WorkbookImage last) {
        String key = workbookKey(source, last.id());
        return tombstone(source, topics.workbooks(), key, "workbooks/" + last.id(), last, bytes(last));
    }

    public CloudEvent worksheetTombstone(SourceRef source, WorkbookImage workbook, WorksheetImage last) {
        String key = worksheetKey(source, workbook.id(), last.id());
        return tombstone(source, topics.worksheets(), key, versioned(key, workbook),
                "workbooks/" + workbook.id() + "/worksheets/" + last.id(), workbook, bytes(last));
    }

    private CloudEvent tombstone(SourceRef source, String topic, String key, String subject, WorkbookImage workbook,
            byte[] last) {
        return tombstone(source, topic, key, key, subject, workbook, last);
    }

    private CloudEvent tombstone(SourceRef source, String topic, String key, String idKey, String subject,
            WorkbookImage workbook, byte[] last) {
        String type = type("tombstone");
        // the id covers the state being forgotten, so a later re-creation and deletion gets a new one
        return new CloudEvent(topic, key, EventIds.of(type, idKey, last), ceSource(source), type, subject,
                workbook.lastModifiedDateTime(), null);
    }

    public static String workbookKey(SourceRef source, String workbookId) {
        return source.connectionId() + "/" + workbookId;
    }

    public static String worksheetKey(SourceRef source, String workbookId, String worksheetId) {
        return workbookKey(source, workbookId) + "/" + worksheetId;
    }

    /** {@code /nango/{providerConfigKey}/{connectionId}}: the context every event of one connection shares. */
    public static String ceSource(SourceRef source) {
        return "/nango/" + source.providerConfigKey() + "/" + source.connectionId();
    }

    byte[] bytes(Object data) {
        return EventData.bytes(json, data, "event data");
    }
}

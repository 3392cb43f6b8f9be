package dev.workbookrelay.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Builds the workbook and worksheet events. Data follows Debezium's envelope: {@code op} ({@code r} for a
 * snapshot read, {@code c}, {@code u}, {@code d}), {@code before} and {@code after} images, plus where the event
 * comes from. Keys are {@code {connectionId}/{workbookId}} and {@code {connectionId}/{workbookId}/{worksheetId}}:
 * one workbook's events share a partition (ordered), and compaction keeps the latest per key.
 */
public final class WorkbookEvents {

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
        String type = type("workbook.snapshot");
        String key = workbookKey(source, workbook.id());
        byte[] data = bytes(new Data<>("r", source.source(), source.providerConfigKey(), source.connectionId(),
                source.drive(), null, workbook));
        return new CloudEvent(topics.workbooks(), key, EventIds.of(type, key, data), ceSource(source), type,
                "workbooks/" + workbook.id(), workbook.lastModifiedDateTime(), data);
    }

    public CloudEvent worksheetSnapshot(SourceRef source, WorkbookImage workbook, WorksheetImage worksheet) {
        String type = type("worksheet.snapshot");
        String key = workbookKey(source, workbook.id()) + "/" + worksheet.id();
        byte[] data = bytes(new Data<>("r", source.source(), source.providerConfigKey(), source.connectionId(),
                source.drive(), null, worksheet));
        return new CloudEvent(topics.worksheets(), key, EventIds.of(type, key, data), ceSource(source), type,
                "workbooks/" + workbook.id() + "/worksheets/" + worksheet.id(), workbook.lastModifiedDateTime(),
                data);
    }

    public static String workbookKey(SourceRef source, String workbookId) {
        return source.connectionId() + "/" + workbookId;
    }

    /** {@code /nango/{providerConfigKey}/{connectionId}}: the context every event of one connection shares. */
    public static String ceSource(SourceRef source) {
        return "/nango/" + source.providerConfigKey() + "/" + source.connectionId();
    }

    byte[] bytes(Object data) {
        try {
            return json.writeValueAsBytes(data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("event data cannot be serialised", e);
        }
    }
}

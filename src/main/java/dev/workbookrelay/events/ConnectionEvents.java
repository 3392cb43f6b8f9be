package dev.workbookrelay.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Events about a Nango connection itself, on the sync-status topic beside the syncs' statuses (same key, the
 * connection id): {@code connection.refresh-failed} when Nango reports that the connection's token can no longer be
 * refreshed, so its syncs will fail until the end user connects again.
 */
public final class ConnectionEvents {

    /** Data of a connection event; field order fixed, so equal content gives equal bytes (and ids). */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Data(String providerConfigKey, String connectionId, String environment, String errorType,
            String errorDescription, String receivedAt) {
    }

    private final ObjectMapper json;
    private final EventTopics topics;
    private final String typePrefix;

    public ConnectionEvents(ObjectMapper json, EventTopics topics, String typePrefix) {
        this.json = json;
        this.topics = topics;
        this.typePrefix = typePrefix;
    }

    public CloudEvent refreshFailed(String providerConfigKey, String connectionId, String environment,
            String errorType, String errorDescription, String receivedAt) {
        String type = typePrefix + ".connection.refresh-failed";
        byte[] data = EventData.bytes(json, new Data(providerConfigKey, connectionId, environment, errorType,
                errorDescription, receivedAt), "connection event");
        SourceRef source = new SourceRef(null, providerConfigKey, connectionId, null);
        return new CloudEvent(topics.syncStatus(), connectionId, EventIds.of(type, connectionId, data),
                WorkbookEvents.ceSource(source), type, "connections/" + connectionId, receivedAt, data);
    }
}

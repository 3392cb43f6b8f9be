package dev.workbookrelay.events;

import com.fasterxml.jackson.databind.ObjectMapper;

/** Builds the one status event each sync publishes, keyed by connection so a connection's syncs stay in order. */
public final class SyncStatusEvents {

    private final ObjectMapper json;
    private final EventTopics topics;
    private final String typePrefix;

    public SyncStatusEvents(ObjectMapper json, EventTopics topics, String typePrefix) {
        this.json = json;
        this.topics = topics;
        this.typePrefix = typePrefix;
    }

    public CloudEvent of(SyncStatus status) {
        String type = typePrefix + ".sync." + status.outcome();
        byte[] data = EventData.bytes(json, status, "status");
        SourceRef source = new SourceRef(status.source(), status.providerConfigKey(), status.connectionId(),
                status.drive());
        // the sync id is unique per run, so the event id is too
        return new CloudEvent(topics.syncStatus(), status.connectionId(), status.syncId(),
                WorkbookEvents.ceSource(source), type, "syncs/" + status.syncId(), status.finishedAt(), data);
    }
}

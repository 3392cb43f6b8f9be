package dev.workbookrelay.events;

/** Which configured source and which Nango connection an event comes from. */
public record SourceRef(String source, String providerConfigKey, String connectionId, String drive) {
}

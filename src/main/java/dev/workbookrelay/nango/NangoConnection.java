package dev.workbookrelay.nango;

/**
 * One user's OAuth connection as Nango names it: the integration ({@code Provider-Config-Key}) and the
 * connection id ({@code Connection-Id}). Nango holds the token; we only ever hold these two names.
 */
public record NangoConnection(String providerConfigKey, String connectionId) {

    public NangoConnection {
        if (providerConfigKey == null || providerConfigKey.isBlank()) {
            throw new IllegalArgumentException("providerConfigKey is required");
        }
        if (connectionId == null || connectionId.isBlank()) {
            throw new IllegalArgumentException("connectionId is required");
        }
    }
}

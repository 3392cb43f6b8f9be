package dev.workbookrelay.nango;

/** Nango itself refused the call (bad secret key, unknown integration or connection, token refresh failure…). */
public final class NangoProxyException extends GraphCallException {

    public NangoProxyException(int status, String code, String message) {
        this(status, code, message, null);
    }

    public NangoProxyException(int status, String code, String message, String retryAfter) {
        super(status, code, message, retryAfter);
    }

    /** 401/403: the secret key is wrong or lacks the proxy scope — nothing a retry can fix. */
    public boolean isAuthenticationFailure() {
        return status() == 401 || status() == 403;
    }

    /** 424 {@code connection_refresh_backoff}: a token refresh failed moments ago; Nango asks to back off. */
    public boolean isRefreshBackoff() {
        return status() == 424 && "connection_refresh_backoff".equalsIgnoreCase(code());
    }

    @Override
    public String reason() {
        return "Nango " + status() + " " + code() + ": " + messageText();
    }
}

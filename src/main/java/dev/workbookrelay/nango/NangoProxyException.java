package dev.workbookrelay.nango;

/** Nango itself refused the call (bad secret key, unknown integration or connection, token refresh failure…). */
public final class NangoProxyException extends GraphCallException {

    public NangoProxyException(int status, String code, String message) {
        super(status, code, message);
    }

    /** 401/403: the secret key is wrong or lacks the proxy scope — nothing a retry can fix. */
    public boolean isAuthenticationFailure() {
        return status() == 401 || status() == 403;
    }

    @Override
    public String reason() {
        return "Nango " + status() + " " + code() + ": " + messageText();
    }
}

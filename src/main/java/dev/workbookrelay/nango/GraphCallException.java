package dev.workbookrelay.nango;

/**
 * A proxied Graph call that did not answer 2xx with JSON. {@link #reason()} is the one-line text that goes
 * into status events and logs: it names who refused (Nango or Graph), the status and the service's own code
 * and message, and never a secret.
 */
public abstract class GraphCallException extends RuntimeException {

    private final int status;
    private final String code;
    private final String retryAfter;

    protected GraphCallException(int status, String code, String message, String retryAfter) {
        super(message);
        this.status = status;
        this.code = code;
        this.retryAfter = retryAfter;
    }

    public int status() {
        return status;
    }

    /** The service's error code as sent (compare case-insensitively: Graph's casing varies). */
    public String code() {
        return code;
    }

    /** The raw {@code Retry-After} header (seconds, fractional seconds or an HTTP date), or null. */
    public String retryAfter() {
        return retryAfter;
    }

    public abstract String reason();

    @Override
    public String getMessage() {
        return reason();
    }

    protected String messageText() {
        return super.getMessage();
    }
}

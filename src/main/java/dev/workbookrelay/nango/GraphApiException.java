package dev.workbookrelay.nango;

/** Graph answered with an error (passed through by Nango unchanged), or with a body that is not JSON. */
public final class GraphApiException extends GraphCallException {

    private final String innerCode;
    private final String location;

    public GraphApiException(int status, String code, String message, String innerCode, String retryAfter,
            String location) {
        super(status, code, message, retryAfter);
        this.innerCode = innerCode;
        this.location = location;
    }

    /** First-level {@code innerError.code}, where Excel puts the code that says what to do. */
    public String innerCode() {
        return innerCode;
    }

    /** The {@code Location} header: on a delta 410 it is the link that starts a fresh enumeration. */
    public String location() {
        return location;
    }

    public boolean isGone() {
        return status() == 410;
    }

    public boolean isNotFound() {
        return status() == 404;
    }

    @Override
    public String reason() {
        String inner = innerCode == null || innerCode.equalsIgnoreCase(code()) ? "" : " (" + innerCode + ")";
        String text = messageText() == null || messageText().isEmpty() ? "" : ": " + messageText();
        return "Graph " + status() + " " + code() + inner + text;
    }
}

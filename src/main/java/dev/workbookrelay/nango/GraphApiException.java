package dev.workbookrelay.nango;

/** Graph answered with an error (passed through by Nango unchanged), or with a body that is not JSON. */
public final class GraphApiException extends GraphCallException {

    private final String innerCode;
    private final String deepestCode;
    private final String location;

    public GraphApiException(int status, String code, String message, String innerCode, String retryAfter,
            String location) {
        this(status, code, message, innerCode, null, retryAfter, location);
    }

    /** @param deepestCode the innermost {@code innerError.code}, where it is deeper than the first level */
    public GraphApiException(int status, String code, String message, String innerCode, String deepestCode,
            String retryAfter, String location) {
        super(status, code, message, retryAfter);
        this.innerCode = innerCode;
        this.deepestCode = deepestCode;
        this.location = location;
    }

    /**
     * The innermost {@code innerError.code}: Excel nests the specific cause there ({@code GenericFileOpenError}
     * under {@code internalServerErrorUncategorized}); the first-level code when there is no deeper one.
     */
    public String deepestCode() {
        return deepestCode != null ? deepestCode : innerCode;
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
        String inner = innerCode == null || innerCode.equalsIgnoreCase(code()) ? "" : " (" + innerCode
                + (deepestCode == null ? "" : ", " + deepestCode) + ")";
        String text = messageText() == null || messageText().isEmpty() ? "" : ": " + messageText();
        return "Graph " + status() + " " + code() + inner + text;
    }
}

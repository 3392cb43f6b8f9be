package dev.workbookrelay.sandbox;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A request as the emulator received it and the status it answered.
 *
 * @param pathAndQuery the raw request target, {@code /proxy/...} included, exactly as sent (still percent-encoded)
 * @param headers      every request header, names in lower case
 * @param receivedAt   when it arrived, before any check or injected latency
 * @param answeredAt   when its answer was ready to send, after the injected latency
 */
public record RecordedRequest(String method, String pathAndQuery, Map<String, List<String>> headers, int status,
        Instant receivedAt, Instant answeredAt) {

    /** The first value of a header (name in any case), or null. */
    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}

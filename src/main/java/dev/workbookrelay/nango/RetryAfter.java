package dev.workbookrelay.nango;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The {@code Retry-After} header as Graph and Nango send it: whole seconds ({@code 120}), fractional seconds
 * ({@code 2.128}, seen on Graph's own throttling sample) or an HTTP date. Anything else is ignored, so the caller
 * falls back to its exponential backoff.
 */
public final class RetryAfter {

    private RetryAfter() {
    }

    /** How long to wait from {@code now}; never negative, empty when the header is absent or unreadable. */
    public static Optional<Duration> parse(String header, Instant now) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        String value = header.trim();
        try {
            double seconds = Double.parseDouble(value);
            if (Double.isNaN(seconds) || Double.isInfinite(seconds)) {
                return Optional.empty();
            }
            return Optional.of(Duration.ofMillis((long) Math.ceil(Math.max(0, seconds) * 1000)));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration wait = Duration.between(now, at);
                return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
            } catch (DateTimeParseException notADate) {
                return Optional.empty();
            }
        }
    }
}

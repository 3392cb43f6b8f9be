package dev.workbookrelay;

import dev.workbookrelay.events.EventTopics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Every {@code workbook-relay.*} setting, read once when the relay starts and checked there: a wrong value stops the
 * start with the key, the value and what is allowed, rather than surfacing later in a sync. Each setting is
 * documented where it is set, in config/application.properties. Durations are read from the {@code -ms} keys.
 */
public record RelaySettings(
        Nango nango,
        Graph graph,
        Sync sync,
        SyncRequests syncRequests,
        EventTopics topics,
        String eventTypePrefix,
        Rows rows,
        State state) {

    /**
     * Where Nango is and how its answers are waited out; the key its webhooks are signed with (null: webhooks are
     * refused); how integration sources list connections and how long a gone connection's state is kept.
     */
    public record Nango(String baseUrl, String secretKey, String defaultProviderConfigKey, Duration refreshBackoff,
            Duration authFailureHold, String webhookSigningKey, int connectionsPageSize,
            Duration removedConnectionRetention) {
        @Override
        public String toString() {
            return "Nango[baseUrl=" + baseUrl + ", secretKey=****, defaultProviderConfigKey="
                    + defaultProviderConfigKey + ", refreshBackoff=" + refreshBackoff + ", authFailureHold="
                    + authFailureHold + ", webhookSigningKey=" + (webhookSigningKey == null ? "not set" : "****")
                    + ", connectionsPageSize=" + connectionsPageSize + ", removedConnectionRetention="
                    + removedConnectionRetention + "]";
        }
    }

    /**
     * Delta page size, the per-connection request budget, the Graph requests in flight at once across every sync of
     * the instance, and the retries of a Graph call.
     */
    public record Graph(int pageSize, int budgetRequests, Duration budgetPeriod, int maxInFlight, Duration callDeadline,
            Retry retry) {
    }

    public record Retry(int maxAttempts, Duration initialDelay, Duration maxDelay, Duration maxTotal,
            Duration retryAfterCap) {
    }

    /**
     * How the rows of sheets are read: rows per range request (halved when Graph refuses a block as too large); the
     * workbook size above which the file is downloaded and parsed instead of read through the workbook API; the first
     * wait before polling a workbook session Graph creates in the background (202); the folder under which each
     * instance keeps its temporary files (downloads, spooled row values).
     */
    public record Rows(int blockRows, long downloadAboveBytes, Duration sessionPollInitial, Path scratchDir) {
    }

    /**
     * A sync's workbook requests in flight and its workbooks between being listed and acknowledged; how many syncs
     * (of different sources) run at once; how long a source's lease lasts unless renewed.
     */
    public record Sync(int concurrency, int maxInFlight, int maxConcurrentSyncs, Duration leasePeriod) {
    }

    /**
     * The topic sync requests arrive on, the largest request read, how many sources may have a sync waiting before
     * the instance takes no more requests (until half as many do), and whether a request may name any drive of any
     * connection (ad hoc) rather than only the configured and discovered sources.
     */
    public record SyncRequests(String topic, int maxBytes, int maxWaiting, boolean adHoc) {
    }

    public record State(String jdbcUrl, String user, String password) {
        @Override
        public String toString() {
            return "State[jdbcUrl=" + jdbcUrl + ", user=" + user + ", password=****]";
        }
    }

    /** Reads the settings through {@code lookup} (a property key → its resolved value, if set). */
    public static RelaySettings read(Function<String, Optional<String>> lookup) {
        Reader in = new Reader(lookup);
        RelaySettings settings = new RelaySettings(
                new Nango(
                        in.text("workbook-relay.nango.base-url"),
                        in.optional("workbook-relay.nango.secret-key"),
                        in.text("workbook-relay.nango.default-provider-config-key"),
                        in.millis("workbook-relay.nango.refresh-backoff-ms"),
                        in.millis("workbook-relay.nango.auth-failure-hold-ms"),
                        in.optional("workbook-relay.nango.webhook-signing-key"),
                        in.count("workbook-relay.nango.connections-page-size", 1),
                        in.millis("workbook-relay.nango.removed-connection-retention-ms")),
                new Graph(
                        in.count("workbook-relay.graph.page-size", 1),
                        in.count("workbook-relay.graph.budget.requests", 1),
                        in.millis("workbook-relay.graph.budget.period-ms"),
                        in.count("workbook-relay.graph.max-in-flight", 1),
                        in.millis("workbook-relay.graph.call-deadline-ms"),
                        new Retry(
                                in.count("workbook-relay.graph.retry.max-attempts", 1),
                                in.millis("workbook-relay.graph.retry.initial-delay-ms"),
                                in.millis("workbook-relay.graph.retry.max-delay-ms"),
                                in.millis("workbook-relay.graph.retry.max-total-ms"),
                                in.millis("workbook-relay.graph.retry.retry-after-cap-ms"))),
                new Sync(
                        in.count("workbook-relay.sync.concurrency", 1),
                        in.count("workbook-relay.sync.max-in-flight", 1),
                        in.count("workbook-relay.sync.max-concurrent-syncs", 1),
                        in.millis("workbook-relay.sync.lease-period-ms")),
                new SyncRequests(
                        in.text("workbook-relay.topics.sync-requests"),
                        in.count("workbook-relay.sync-requests.max-bytes", 1),
                        in.count("workbook-relay.sync-requests.max-waiting", 2),
                        in.flag("workbook-relay.sync-requests.ad-hoc")),
                new EventTopics(
                        in.text("workbook-relay.topics.workbooks"),
                        in.text("workbook-relay.topics.worksheets"),
                        in.text("workbook-relay.topics.rows"),
                        in.text("workbook-relay.topics.sync-status"),
                        in.text("workbook-relay.topics.dead-letter")),
                in.text("workbook-relay.events.type-prefix"),
                new Rows(in.count("workbook-relay.rows.block-rows", 1),
                        in.bytes("workbook-relay.rows.download-above-bytes"),
                        in.millis("workbook-relay.rows.session-poll-initial-ms"),
                        Path.of(Objects.requireNonNullElse(in.optional("workbook-relay.rows.scratch-dir"),
                                System.getProperty("java.io.tmpdir")))),
                new State(
                        in.text("workbook-relay.state.jdbc-url"),
                        in.optional("workbook-relay.state.user"),
                        in.optional("workbook-relay.state.password")));
        in.failOnProblems();
        return settings;
    }

    /** Reads keys and collects every problem, so one start names all of them. */
    private static final class Reader {

        private final Function<String, Optional<String>> lookup;
        private final List<String> problems = new ArrayList<>();

        Reader(Function<String, Optional<String>> lookup) {
            this.lookup = lookup;
        }

        String text(String key) {
            String value = optional(key);
            if (value == null) {
                problems.add(key + " is not set");
            }
            return value;
        }

        /** The value, or null when it is not set or blank. */
        String optional(String key) {
            return lookup.apply(key).map(String::trim).filter(v -> !v.isEmpty()).orElse(null);
        }

        int count(String key, int min) {
            Long value = number(key);
            if (value == null) {
                return min;
            }
            if (value < min || value > Integer.MAX_VALUE) {
                problems.add(key + " must be a whole number of at least " + min + ", got " + value);
                return min;
            }
            return value.intValue();
        }

        long bytes(String key) {
            Long value = number(key);
            if (value != null && value < 0) {
                problems.add(key + " is a size in bytes and cannot be negative, got " + value);
            }
            return value == null || value < 0 ? 0 : value;
        }

        boolean flag(String key) {
            String value = text(key);
            if (value != null && !value.equals("true") && !value.equals("false")) {
                problems.add(key + " must be true or false, got '" + value + "'");
            }
            return "true".equals(value);
        }

        Duration millis(String key) {
            Long value = number(key);
            if (value == null) {
                return Duration.ZERO;
            }
            if (value < 0) {
                problems.add(key + " is a duration in milliseconds and cannot be negative, got " + value);
                return Duration.ZERO;
            }
            return Duration.ofMillis(value);
        }

        private Long number(String key) {
            String value = text(key);
            if (value == null) {
                return null;
            }
            try {
                return Long.parseLong(value);
            } catch (NumberFormatException e) {
                problems.add(key + " must be a whole number, got '" + value + "'");
                return null;
            }
        }

        void failOnProblems() {
            if (!problems.isEmpty()) {
                throw new IllegalStateException("invalid settings (see config/application.properties): "
                        + String.join("; ", problems));
            }
        }
    }
}

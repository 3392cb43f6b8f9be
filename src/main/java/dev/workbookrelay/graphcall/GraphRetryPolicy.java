package dev.workbookrelay.graphcall;

import dev.workbookrelay.Causes;
import dev.workbookrelay.RelayMetrics;
import dev.workbookrelay.RelaySettings;
import dev.workbookrelay.nango.GraphApiException;
import dev.workbookrelay.nango.GraphCallException;
import dev.workbookrelay.nango.NangoProxyException;
import dev.workbookrelay.nango.RetryAfter;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which failed Graph calls are tried again, and after how long. The relay sends {@code Retries: 0} to Nango and
 * owns retries itself, so that waits are bounded, visible and shared across a connection's calls.
 * <ul>
 * <li>429 or 503 with {@code Retry-After}: wait as told (capped), pausing the connection's other calls too;</li>
 * <li>429/503 without it, 500, 502, 504, Nango's 429, I/O errors (reset, timeout, truncated body) and a 2xx whose
 * body is not JSON: Camel's exponential backoff with jitter;</li>
 * <li>Nango 424 {@code connection_refresh_backoff}: wait Nango's refresh cooldown, pausing the connection;</li>
 * <li>anything else (400, 401, 403, 404, 410…) is an answer, not a glitch: no retry.</li>
 * </ul>
 * Every call gets at most {@code maxAttempts} attempts and gives up once {@code maxTotal} has passed since its
 * first attempt. The decision runs as the {@code retryWhile} of the graph-get route's redelivery policy; a known
 * wait is handed to Camel through the {@link Exchange#REDELIVERY_DELAY} header.
 */
public final class GraphRetryPolicy implements Predicate {

    private static final Logger LOG = LoggerFactory.getLogger(GraphRetryPolicy.class);

    private final RelaySettings.Retry retry;
    private final Duration refreshBackoff;
    private final ConnectionPauses pauses;
    private final RelayMetrics metrics;

    public GraphRetryPolicy(RelaySettings.Retry retry, Duration refreshBackoff, ConnectionPauses pauses,
            RelayMetrics metrics) {
        this.retry = retry;
        this.refreshBackoff = refreshBackoff;
        this.pauses = pauses;
        this.metrics = metrics;
    }

    /** Camel's retryWhile: true to try the failed call again. */
    @Override
    public boolean matches(Exchange exchange) {
        Throwable failure = exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        GraphRequest request = exchange.getProperty(GraphRequest.PROPERTY, GraphRequest.class);
        exchange.getIn().removeHeader(Exchange.REDELIVERY_DELAY);
        if (failure != null && Causes.find(failure, GraphCallException.class) == null) {
            metrics.graphCall("io_error"); // no status came back: count the call here
        }
        if (failure == null || !isTransient(failure)) {
            return false;
        }
        String what = describe(failure);
        int attempt = request.attempt();
        long elapsed = System.currentTimeMillis() - request.firstAttemptAt();
        if (attempt >= retry.maxAttempts() || elapsed >= retry.maxTotal().toMillis()) {
            LOG.warn("Graph call {} given up after {} attempts in {} ms: {}", request.pathForLogs(), attempt, elapsed,
                    what);
            return false;
        }
        Optional<Duration> wait = knownWait(failure);
        if (wait.isPresent()) {
            if (elapsed + wait.get().toMillis() >= retry.maxTotal().toMillis()) {
                LOG.warn("Graph call {} given up: asked to wait {} ms, beyond the {} ms retry budget: {}",
                        request.pathForLogs(), wait.get().toMillis(), retry.maxTotal().toMillis(), what);
                return false;
            }
            pauses.pause(request.connectionKey(), wait.get());
            exchange.getIn().setHeader(Exchange.REDELIVERY_DELAY, wait.get().toMillis());
            metrics.throttleWait("retry-after", wait.get().toMillis()); // this call's own wait, made by Camel
        }
        request.nextAttempt();
        metrics.graphRetry(reasonTag(failure));
        LOG.info("Graph call {} failed (attempt {} of {}): {}; retrying {}", request.pathForLogs(), attempt,
                retry.maxAttempts(), what,
                wait.map(d -> "after " + d.toMillis() + " ms, connection paused").orElse("with backoff"));
        return true;
    }

    /** Failures a later attempt may not see: throttling, server trouble, the network, a damaged body. */
    public static boolean isTransient(Throwable failure) {
        GraphCallException call = Causes.find(failure, GraphCallException.class);
        if (call instanceof NangoProxyException nango) {
            return nango.isRefreshBackoff() || nango.status() == 429 || nango.status() >= 500;
        }
        if (call instanceof GraphApiException graph) {
            int status = graph.status();
            return status == 429 || status == 500 || status == 502 || status == 503 || status == 504
                    || status < 300; // a 2xx with a truncated or invalid body
        }
        return Causes.find(failure, IOException.class) != null;
    }

    /** The wait the service asked for: Retry-After on 429/503 (capped), or Nango's refresh cooldown on 424. */
    private Optional<Duration> knownWait(Throwable failure) {
        GraphCallException call = Causes.find(failure, GraphCallException.class);
        if (call == null) {
            return Optional.empty();
        }
        if (call instanceof NangoProxyException nango && nango.isRefreshBackoff()) {
            return Optional.of(refreshBackoff);
        }
        if (call.status() == 429 || call.status() == 503) {
            return RetryAfter.parse(call.retryAfter(), Instant.now())
                    .map(d -> d.compareTo(retry.retryAfterCap()) > 0 ? retry.retryAfterCap() : d);
        }
        return Optional.empty();
    }

    private static String describe(Throwable failure) {
        GraphCallException call = Causes.find(failure, GraphCallException.class);
        if (call != null) {
            return call.reason();
        }
        IOException io = Causes.find(failure, IOException.class);
        return "I/O error " + io.getClass().getSimpleName() + ": " + io.getMessage();
    }

    private static String reasonTag(Throwable failure) {
        GraphCallException call = Causes.find(failure, GraphCallException.class);
        return call == null ? "io_error" : String.valueOf(call.status());
    }
}

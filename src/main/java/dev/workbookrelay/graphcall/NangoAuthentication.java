package dev.workbookrelay.graphcall;

import dev.workbookrelay.nango.NangoProxyException;
import java.time.Duration;
import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether Nango accepts the relay's secret key. A 401 or 403 from Nango itself means the key is wrong or lacks
 * the proxy scope: nothing a retry fixes. Then readiness is DOWN, syncs fail at once without calling (no retry
 * storm against Nango), and one call per {@code hold} probes whether the key was fixed on Nango's side. Any answer
 * that went past Nango's authentication (even a Graph error) proves the key again.
 */
public final class NangoAuthentication extends AbstractHealthCheck {

    static final String SETTING = "workbook-relay.nango.secret-key (environment variable NANGO_SECRET_KEY)";

    private static final Logger LOG = LoggerFactory.getLogger(NangoAuthentication.class);

    private final long holdMillis;
    private volatile NangoProxyException refused;
    private volatile long refusedAt;

    public NangoAuthentication(Duration hold) {
        super("workbook-relay", "nango-authentication");
        this.holdMillis = hold.toMillis();
    }

    @Override
    public boolean isLiveness() {
        return false; // a bad key is not cured by restarting the process
    }

    /** Fails fast with the last refusal while it is fresh; lets one probe through once it is older than the hold. */
    synchronized void beforeCall() {
        NangoProxyException last = refused;
        if (last == null) {
            return;
        }
        if (System.currentTimeMillis() - refusedAt < holdMillis) {
            throw last;
        }
        refusedAt = System.currentTimeMillis(); // this call is the probe; the others keep failing fast
    }

    synchronized void refused(NangoProxyException e) {
        if (refused == null) {
            LOG.error("Nango refused the secret key ({}). Set {} to a secret key of the Nango environment that "
                    + "holds the connections, with the environment:proxy scope. Syncs fail until then.", e.reason(),
                    SETTING);
        }
        refused = e;
        refusedAt = System.currentTimeMillis();
    }

    void accepted() {
        if (refused != null) {
            synchronized (this) {
                if (refused != null) {
                    LOG.info("Nango accepts the secret key again");
                    refused = null;
                }
            }
        }
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        NangoProxyException last = refused;
        if (last == null) {
            builder.up();
        } else {
            builder.message("Nango refused the secret key: " + last.reason() + "; fix " + SETTING);
            builder.down();
        }
    }
}

package dev.workbookrelay.sync;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workbookrelay.events.EventTopics;
import dev.workbookrelay.events.SyncStatusEvents;
import dev.workbookrelay.events.WorkbookEvents;
import dev.workbookrelay.nango.NangoProxyEndpoint;
import dev.workbookrelay.nango.ProxyResponses;
import dev.workbookrelay.state.JdbcSyncState;
import java.time.Duration;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckRegistry;

/**
 * The relay's objects, built once per CamelContext from the {@code workbook-relay.*} properties (documented in
 * config/application.properties) and shared by the Java routes.
 */
public final class RelayBeans {

    private static final String NAME = "workbookRelayBeans";

    final ObjectMapper json = new ObjectMapper();
    final NangoProxyEndpoint nango;
    final ProxyResponses responses;
    final EventTopics topics;
    final WorkbookEvents workbookEvents;
    final SyncStatusEvents statusEvents;
    final SyncRequestParser requests;
    final int pageSize;
    final String syncRequestsTopic;
    final int concurrency;
    final int maxInFlight;
    final GraphCallSettings graphCalls;
    final RelayMetrics metrics;
    final ConnectionPauses pauses = new ConnectionPauses();
    final NangoAuthentication nangoAuthentication;
    final GraphRetryPolicy retries;
    private final CamelContext context;
    private JdbcSyncState state;

    private RelayBeans(CamelContext context) {
        this.context = context;
        nango = new NangoProxyEndpoint(property(context, "workbook-relay.nango.base-url"),
                context.getPropertiesComponent().resolveProperty("workbook-relay.nango.secret-key").orElse(null));
        responses = new ProxyResponses(json);
        topics = new EventTopics(property(context, "workbook-relay.topics.workbooks"),
                property(context, "workbook-relay.topics.worksheets"),
                property(context, "workbook-relay.topics.sync-status"),
                property(context, "workbook-relay.topics.dead-letter"));
        String typePrefix = property(context, "workbook-relay.events.type-prefix");
        workbookEvents = new WorkbookEvents(json, topics, typePrefix);
        statusEvents = new SyncStatusEvents(json, topics, typePrefix);
        requests = new SyncRequestParser(json, property(context, "workbook-relay.nango.default-provider-config-key"),
                Integer.parseInt(property(context, "workbook-relay.sync-requests.max-bytes")));
        pageSize = Integer.parseInt(property(context, "workbook-relay.graph.page-size"));
        syncRequestsTopic = property(context, "workbook-relay.topics.sync-requests");
        concurrency = Integer.parseInt(property(context, "workbook-relay.sync.concurrency"));
        maxInFlight = Integer.parseInt(property(context, "workbook-relay.sync.max-in-flight"));
        graphCalls = new GraphCallSettings(
                Integer.parseInt(property(context, "workbook-relay.graph.budget.requests")),
                Long.parseLong(property(context, "workbook-relay.graph.budget.period-ms")),
                Integer.parseInt(property(context, "workbook-relay.graph.retry.max-attempts")),
                Long.parseLong(property(context, "workbook-relay.graph.retry.initial-delay-ms")),
                Long.parseLong(property(context, "workbook-relay.graph.retry.max-delay-ms")),
                Long.parseLong(property(context, "workbook-relay.graph.retry.max-total-ms")),
                Long.parseLong(property(context, "workbook-relay.graph.retry.retry-after-cap-ms")),
                Long.parseLong(property(context, "workbook-relay.nango.refresh-backoff-ms")),
                Long.parseLong(property(context, "workbook-relay.nango.auth-failure-hold-ms")));
        metrics = new RelayMetrics(context);
        nangoAuthentication = new NangoAuthentication(Duration.ofMillis(graphCalls.authFailureHoldMillis()));
        HealthCheckRegistry health = HealthCheckRegistry.get(context);
        if (health != null) {
            health.register(nangoAuthentication);
        }
        retries = new GraphRetryPolicy(graphCalls, pauses, metrics);
    }

    /** The state database, opened (and migrated) on first use and closed with the CamelContext. */
    synchronized JdbcSyncState state() {
        if (state == null) {
            state = JdbcSyncState.open(property(context, "workbook-relay.state.jdbc-url"),
                    context.getPropertiesComponent().resolveProperty("workbook-relay.state.user").orElse(null),
                    context.getPropertiesComponent().resolveProperty("workbook-relay.state.password").orElse(null));
            JdbcSyncState opened = state;
            context.addLifecycleStrategy(new org.apache.camel.support.LifecycleStrategySupport() {
                @Override
                public void onContextStopped(CamelContext stopped) {
                    opened.close();
                }
            });
        }
        return state;
    }

    public static synchronized RelayBeans of(CamelContext context) {
        RelayBeans beans = context.getRegistry().lookupByNameAndType(NAME, RelayBeans.class);
        if (beans == null) {
            beans = new RelayBeans(context);
            context.getRegistry().bind(NAME, beans);
        }
        return beans;
    }

    private static String property(CamelContext context, String key) {
        return context.getPropertiesComponent().resolveProperty(key)
                .orElseThrow(() -> new IllegalStateException("missing setting " + key
                        + " (see config/application.properties)"));
    }
}

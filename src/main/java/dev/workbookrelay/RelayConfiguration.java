package dev.workbookrelay;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workbookrelay.events.DeadLetters;
import dev.workbookrelay.events.SyncStatusEvents;
import dev.workbookrelay.events.WorkbookEvents;
import dev.workbookrelay.graphcall.ConnectionPauses;
import dev.workbookrelay.graphcall.GraphCalls;
import dev.workbookrelay.graphcall.GraphRetryPolicy;
import dev.workbookrelay.graphcall.NangoAuthentication;
import dev.workbookrelay.graphcall.ProxyCallSteps;
import dev.workbookrelay.nango.NangoProxyEndpoint;
import dev.workbookrelay.nango.ProxyResponses;
import dev.workbookrelay.state.JdbcSyncState;
import dev.workbookrelay.sync.DriveItems;
import dev.workbookrelay.sync.ItemSync;
import dev.workbookrelay.sync.Reconciliation;
import dev.workbookrelay.sync.SyncRuns;
import dev.workbookrelay.sync.WorkbookDiff;
import dev.workbookrelay.trigger.SyncRequestParser;
import dev.workbookrelay.trigger.SyncTriggers;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.LifecycleStrategySupport;

/**
 * The relay's objects, built once from the {@link RelaySettings} and bound in Camel's registry, where the Java
 * routes get them ({@code @BeanInject}). Found by camel-main's package scan, and run before the routes are built.
 */
public class RelayConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) {
        RelaySettings settings = RelaySettings.read(key -> context.getPropertiesComponent().resolveProperty(key));
        Registry registry = context.getRegistry();
        ObjectMapper json = new ObjectMapper();
        RelayMetrics metrics = new RelayMetrics(context);
        registry.bind("relaySettings", settings);
        registry.bind("relayMetrics", metrics);

        // Graph calls through the Nango proxy
        NangoProxyEndpoint nango = new NangoProxyEndpoint(settings.nango().baseUrl(), settings.nango().secretKey());
        NangoAuthentication nangoAuthentication = new NangoAuthentication(settings.nango().authFailureHold());
        HealthCheckRegistry health = HealthCheckRegistry.get(context);
        if (health != null) {
            health.register(nangoAuthentication);
        }
        ConnectionPauses pauses = new ConnectionPauses();
        GraphCalls graphCalls = new GraphCalls(context.createProducerTemplate());
        registry.bind("nangoProxyEndpoint", nango);
        registry.bind("graphRetryPolicy", new GraphRetryPolicy(settings.graph().retry(),
                settings.nango().refreshBackoff(), pauses, metrics));
        registry.bind("proxyCallSteps", new ProxyCallSteps(nango, new ProxyResponses(json), nangoAuthentication,
                pauses, metrics));

        // the sync engine, over the state database
        JdbcSyncState state = JdbcSyncState.open(settings.state().jdbcUrl(), settings.state().user(),
                settings.state().password());
        context.addLifecycleStrategy(new LifecycleStrategySupport() {
            @Override
            public void onContextStopped(CamelContext stopped) {
                state.close();
            }
        });
        WorkbookDiff diff = new WorkbookDiff(new WorkbookEvents(json, settings.topics(), settings.eventTypePrefix()));
        registry.bind("syncRuns", new SyncRuns(settings.sync().concurrency(),
                new SyncStatusEvents(json, settings.topics(), settings.eventTypePrefix()), metrics));
        registry.bind("driveItems", new DriveItems(state, graphCalls, settings.graph().pageSize(),
                settings.sync().maxInFlight()));
        registry.bind("itemSync", new ItemSync(state, graphCalls, diff));
        registry.bind("reconciliation", new Reconciliation(state, diff));

        // triggers
        registry.bind("syncTriggers", new SyncTriggers(
                new SyncRequestParser(json, settings.nango().defaultProviderConfigKey(),
                        settings.syncRequests().maxBytes()),
                new DeadLetters(settings.topics(), settings.eventTypePrefix()), metrics,
                settings.syncRequests().topic()));
    }
}

package dev.workbookrelay;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workbookrelay.events.ConnectionEvents;
import dev.workbookrelay.events.DeadLetters;
import dev.workbookrelay.events.RowEvents;
import dev.workbookrelay.events.SyncStatusEvents;
import dev.workbookrelay.events.WorkbookEvents;
import dev.workbookrelay.graphcall.CallDeadline;
import dev.workbookrelay.graphcall.ConnectionPauses;
import dev.workbookrelay.graphcall.GraphCalls;
import dev.workbookrelay.graphcall.GraphRetryPolicy;
import dev.workbookrelay.graphcall.NangoApiCalls;
import dev.workbookrelay.graphcall.NangoAuthentication;
import dev.workbookrelay.graphcall.ProxyCallSteps;
import dev.workbookrelay.nango.NangoProxyEndpoint;
import dev.workbookrelay.nango.ProxyResponses;
import dev.workbookrelay.nango.WebhookSignature;
import dev.workbookrelay.publish.EventBatch;
import dev.workbookrelay.publish.EventPublishRoute;
import dev.workbookrelay.publish.EventSink;
import dev.workbookrelay.rows.ScratchDirectory;
import dev.workbookrelay.state.JdbcSyncState;
import dev.workbookrelay.sync.DriveItems;
import dev.workbookrelay.sync.ItemSync;
import dev.workbookrelay.sync.Reconciliation;
import dev.workbookrelay.sync.RowSync;
import dev.workbookrelay.sync.SyncRuns;
import dev.workbookrelay.sync.WorkbookDiff;
import dev.workbookrelay.trigger.ClusteredSchedules;
import dev.workbookrelay.trigger.NangoIntegrations;
import dev.workbookrelay.trigger.NangoWebhooks;
import dev.workbookrelay.trigger.RequestConsumerListener;
import dev.workbookrelay.trigger.RequestConsumerPolicy;
import dev.workbookrelay.trigger.RequestOffsets;
import dev.workbookrelay.trigger.RequestRebalance;
import dev.workbookrelay.trigger.SourceRegistry;
import dev.workbookrelay.trigger.SyncQueue;
import dev.workbookrelay.trigger.SyncRequestParser;
import dev.workbookrelay.trigger.SyncRunner;
import dev.workbookrelay.trigger.SyncTriggers;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.quartz.QuartzComponent;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.LifecycleStrategySupport;
import org.quartz.SchedulerException;

/**
 * The relay's objects, built once from the {@link RelaySettings} and bound in Camel's registry, where the Java
 * routes get them ({@code @BeanInject}). Found by camel-main's package scan, and run before the routes are built.
 */
public class RelayConfiguration implements CamelConfiguration {

    /** Who holds a lease, as people read it in the database: host and process. */
    private static String instanceName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "unknown-host";
        }
        return host + ":" + ProcessHandle.current().pid();
    }

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
        // a deadline on each whole call, in the HTTP client of both schemes (Camel's https is its own component)
        CallDeadline deadline = new CallDeadline(settings.graph().callDeadline().toMillis());
        for (String scheme : List.of("http", "https")) {
            context.getComponent(scheme, HttpComponent.class).setHttpClientConfigurer(deadline);
        }
        registry.bind("proxyCallSteps", new ProxyCallSteps(nango, new ProxyResponses(json, nango::scrub),
                nangoAuthentication, pauses, metrics, settings.graph().maxInFlight(), deadline));

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
        ScheduledExecutorService timer = context.getExecutorServiceManager().newScheduledThreadPool(this,
                "workbook-relay-timer", 2);
        registry.bind("syncRuns", new SyncRuns(settings.sync().concurrency(),
                new SyncStatusEvents(json, settings.topics(), settings.eventTypePrefix()), metrics, state,
                state.leases(instanceName()), settings.sync().leasePeriod(), timer));
        registry.bind("driveItems", new DriveItems(state, graphCalls, settings.graph().pageSize(),
                settings.sync().maxInFlight(), 2 * settings.sync().concurrency()));
        // rows are published as they are read, each sheet's events acknowledged before its rows are stored
        ProducerTemplate producer = context.createProducerTemplate();
        EventSink sink = events -> producer.requestBody(EventPublishRoute.BATCH_ENDPOINT, EventBatch.of(events));
        ScratchDirectory scratch = ScratchDirectory.open(settings.rows().scratchDir());
        context.addLifecycleStrategy(new LifecycleStrategySupport() {
            @Override
            public void onContextStopped(CamelContext stopped) {
                scratch.close();
            }
        });
        RowSync rowSync = new RowSync(state.rows(), graphCalls, new RowEvents(json, settings.topics(),
                settings.eventTypePrefix()), sink, settings.rows(), scratch);
        registry.bind("itemSync", new ItemSync(state, graphCalls, diff, rowSync));
        registry.bind("reconciliation", new Reconciliation(state, diff, rowSync));

        // schedules: one tick per cluster where instances share a PostgreSQL state database
        QuartzComponent quartz = context.getComponent("quartz", QuartzComponent.class);
        quartz.setEnableJmx(false);
        if (ClusteredSchedules.apply(settings.state())) {
            quartz.setPrefixInstanceName(false);
            quartz.setProperties(ClusteredSchedules.quartzProperties(settings.state(),
                    settings.sync().leasePeriod().dividedBy(3)));
            context.addLifecycleStrategy(new LifecycleStrategySupport() {
                @Override
                public void onContextStarted(CamelContext started) {
                    try {
                        ClusteredSchedules.removeStale(started);
                    } catch (SchedulerException e) {
                        throw new IllegalStateException("cannot read the shared schedules", e);
                    }
                }
            });
        }

        // triggers: the queue that runs syncs off the consumer's thread
        SyncQueue queue = new SyncQueue(new SyncRunner(context.createProducerTemplate()),
                settings.sync().maxConcurrentSyncs(), context.getExecutorServiceManager().newFixedThreadPool(this,
                        "sync", settings.sync().maxConcurrentSyncs()), timer,
                Duration.ofMillis(Math.max(100, Math.min(1000, settings.sync().leasePeriod().toMillis() / 4))));
        registry.bind("syncQueue", queue);
        // the sync-requests consumer: offsets committed once handled, intake held back while too many syncs wait
        RequestOffsets offsets = new RequestOffsets();
        registry.bind("requestOffsets", offsets);
        registry.bind("requestConsumerPolicy", new RequestConsumerPolicy(new RequestConsumerListener(offsets,
                queue::waiting, settings.syncRequests().maxWaiting())));
        registry.bind(KafkaConstants.KAFKA_SUBSCRIBE_ADAPTER, new RequestRebalance(settings.syncRequests().topic(),
                offsets));
        context.addLifecycleStrategy(new LifecycleStrategySupport() {
            @Override
            public void onContextStarted(CamelContext started) {
                // Camel's meter registry exists once the context has started
                metrics.watch(queue::running, queue::waiting);
            }
        });
        SyncRequestParser parser = new SyncRequestParser(json, settings.nango().defaultProviderConfigKey(),
                settings.syncRequests().maxBytes());
        DeadLetters deadLetters = new DeadLetters(settings.topics(), settings.eventTypePrefix());
        SourceRegistry sources = new SourceRegistry(parser, state.knownConnections(), settings.syncRequests().adHoc());
        // overlapping sources stop the start: their events would share keys (checked once the routes are read)
        try {
            context.addStartupListener((started, alreadyStarted) -> sources.configured(started));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        registry.bind("syncTriggers", new SyncTriggers(parser, deadLetters, metrics, settings.syncRequests().topic(),
                sources));

        // sources from Nango: integrations' connections, and Nango's webhooks
        NangoIntegrations integrations = new NangoIntegrations(new NangoApiCalls(context.createProducerTemplate()),
                state.knownConnections(), state, parser, settings.nango().connectionsPageSize(),
                settings.nango().removedConnectionRetention(), metrics, sources);
        registry.bind("nangoIntegrations", integrations);
        String signingKey = settings.nango().webhookSigningKey();
        registry.bind("nangoWebhooks", new NangoWebhooks(signingKey == null ? null : new WebhookSignature(signingKey),
                json, integrations, new ConnectionEvents(json, settings.topics(), settings.eventTypePrefix()),
                deadLetters, metrics));
    }
}

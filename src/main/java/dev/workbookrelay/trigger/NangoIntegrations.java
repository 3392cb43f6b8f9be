package dev.workbookrelay.trigger;

import dev.workbookrelay.RelayMetrics;
import dev.workbookrelay.graphcall.NangoApiCalls;
import dev.workbookrelay.nango.NangoConnections;
import dev.workbookrelay.state.JdbcSyncState;
import dev.workbookrelay.state.KnownConnections;
import dev.workbookrelay.sync.SyncRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sources discovered from Nango: a templated route of {@code nango-integration} names a whole integration, and
 * every connection of it is a source. At each tick its connections are listed again (Nango's connections API,
 * paged), new ones are recorded, gone ones stop being synced and, once gone longer than the retention, have their
 * state removed; every live connection gets a sync request. An auth webhook adds a connection at once.
 */
public final class NangoIntegrations {

    /** The template parameter that marks an integration source (Nango's own name for a provider config key). */
    static final String INTEGRATION_ID = "integrationId";

    private static final Logger LOG = LoggerFactory.getLogger(NangoIntegrations.class);

    private final NangoApiCalls nango;
    private final KnownConnections known;
    private final JdbcSyncState state;
    private final SyncRequestParser parser;
    private final int pageSize;
    private final Duration retention;
    private final RelayMetrics metrics;
    private final SourceRegistry sources;

    /**
     * @param pageSize  connections per page of the listing (at most Nango's 2000)
     * @param retention how long the state of a connection gone from Nango is kept
     * @param sources   the configured sources: a connection with one of its own is left to it
     */
    public NangoIntegrations(NangoApiCalls nango, KnownConnections known, JdbcSyncState state,
            SyncRequestParser parser, int pageSize, Duration retention, RelayMetrics metrics,
            SourceRegistry sources) {
        this.nango = nango;
        this.known = known;
        this.state = state;
        this.parser = parser;
        this.pageSize = Math.min(pageSize, NangoConnections.MAX_LIMIT);
        this.retention = retention;
        this.metrics = metrics;
        this.sources = sources;
    }

    /** The sync request of every live connection of the integration whose schedule fired, listing Nango first. */
    public List<SyncRequest> tick(Exchange tick) {
        Map<String, Object> source = TemplateParameters.of(tick.getContext(), tick.getFromRouteId());
        String name = text(source, "source");
        String integrationId = text(source, INTEGRATION_ID);
        try {
            KnownConnections.Changes changes = known.listed(name, integrationId, list(integrationId));
            if (!changes.added().isEmpty() || !changes.removed().isEmpty()) {
                LOG.info("integration source {} ({}): {} new connections, {} gone: {} {}", name, integrationId,
                        changes.added().size(), changes.removed().size(), abbreviate(changes.added()),
                        abbreviate(changes.removed()));
            }
        } catch (RuntimeException e) {
            // Nango unreachable or refusing: nothing is marked gone on a listing that did not complete
            LOG.warn("integration source {}: listing the connections of {} failed ({}); syncing those known so far",
                    name, integrationId, e.getMessage());
        }
        for (String gone : known.goneLongerThan(name, retention)) {
            SyncRequest request = request(source, gone);
            LOG.info("integration source {}: connection {} gone longer than {} ms; removing its state", name, gone,
                    retention.toMillis());
            state.forget(request.stateKey());
            known.forget(name, gone);
            metrics.sourceForgotten(request.stateKey());
        }
        List<SyncRequest> requests = new ArrayList<>();
        for (String connectionId : known.live(name)) {
            if (sources.hasOwnSource(tick.getContext(), integrationId, connectionId)) {
                continue; // synced by its own source
            }
            Map<String, Object> parameters = new HashMap<>(source);
            parameters.put("requestId", SyncTriggers.tickId(tick, name + "/" + connectionId));
            requests.add(request(parameters, connectionId));
        }
        return requests;
    }

    /**
     * Nango announced a connection ready to sync (auth webhook): it becomes live in every integration source of its
     * integration, each of which syncs it now.
     */
    public List<SyncRequest> announced(CamelContext context, String providerConfigKey, String connectionId) {
        List<SyncRequest> requests = new ArrayList<>();
        for (Map<String, Object> source : TemplateParameters.allWith(context, INTEGRATION_ID)) {
            if (providerConfigKey.equals(text(source, INTEGRATION_ID))) {
                known.announced(text(source, "source"), providerConfigKey, connectionId);
                if (!sources.hasOwnSource(context, providerConfigKey, connectionId)) {
                    requests.add(request(source, connectionId));
                }
            }
        }
        return requests;
    }

    private List<String> list(String integrationId) {
        List<String> ids = new ArrayList<>();
        for (int page = 0; ; page++) {
            List<NangoConnections.Listed> listed = NangoConnections.page(nango.get(NangoConnections.path(
                    integrationId, pageSize, page)));
            for (NangoConnections.Listed connection : listed) {
                if (connection.providerConfigKey().equals(integrationId)) {
                    ids.add(connection.connectionId());
                }
            }
            if (listed.size() < pageSize) {
                return ids;
            }
        }
    }

    /** The sync request of one connection of an integration source: the source's parameters, its connection. */
    private SyncRequest request(Map<String, Object> source, String connectionId) {
        Map<String, Object> parameters = new HashMap<>(source);
        parameters.put("connectionId", connectionId);
        parameters.put("providerConfigKey", source.get(INTEGRATION_ID));
        return parser.fromSchedule(parameters);
    }

    private static String text(Map<String, Object> parameters, String name) {
        Object value = parameters.get(name);
        return value == null ? null : value.toString();
    }

    private static String abbreviate(List<String> ids) {
        return ids.size() <= 10 ? ids.toString() : ids.subList(0, 10) + " and " + (ids.size() - 10) + " more";
    }
}

package dev.workbookrelay.trigger;

import dev.workbookrelay.rows.RowOptions;
import dev.workbookrelay.state.KnownConnections;
import dev.workbookrelay.sync.SyncRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.apache.camel.CamelContext;

/**
 * The sources the relay serves: those configured in the routes (templatedRoutes of workbook-source and
 * nango-integration) and the connections Nango lists for the integration ones. A request is admitted only for one
 * of them (or, where {@code workbook-relay.sync-requests.ad-hoc} allows it, for any drive of any connection), and
 * takes that source's name, so the same change has the same event ids whoever asked. Sources must not overlap (a
 * drive and a folder of it, or two nested folders, of one connection): their events would share keys, and one's
 * tombstones would erase the other's live workbooks from compacted topics. A connection configured as a source of
 * its own is left out of the integration sources of its integration: the explicit source wins.
 */
public final class SourceRegistry {

    /**
     * A configured source: one connection, or (connectionId null) every connection of an integration; the rows it
     * publishes.
     */
    public record Source(String name, String providerConfigKey, String connectionId, String drive, String folder,
            RowOptions rows) {

        /** Whether this source and a request (or another source) would read the same workbooks. */
        boolean overlaps(String providerConfigKey, String connectionId, String drive, String folder) {
            return this.providerConfigKey.equals(providerConfigKey)
                    && (this.connectionId == null || connectionId == null || this.connectionId.equals(connectionId))
                    && this.drive.equals(drive) && nested(this.folder, folder);
        }

        boolean exactly(SyncRequest request) {
            return providerConfigKey.equals(request.connection().providerConfigKey())
                    && drive.equals(request.drive().name()) && Objects.equals(lower(folder), lower(request.folder()))
                    && (connectionId == null || connectionId.equals(request.connection().connectionId()));
        }

        private static boolean nested(String a, String b) {
            if (a == null || b == null) {
                return true; // the whole drive holds every folder
            }
            String x = lower(a);
            String y = lower(b);
            return x.equals(y) || x.startsWith(y + "/") || y.startsWith(x + "/");
        }
    }

    private final SyncRequestParser parser;
    private final KnownConnections known;
    private final boolean adHoc;
    /** The configured sources, read once (the route files are read at start). */
    private volatile List<Source> configured;

    /** {@code adHoc}: requests for drives that are no configured or discovered source are synced too. */
    public SourceRegistry(SyncRequestParser parser, KnownConnections known, boolean adHoc) {
        this.parser = parser;
        this.known = known;
        this.adHoc = adHoc;
    }

    /** The configured sources; {@link IllegalStateException} naming them when two overlap. */
    public List<Source> configured(CamelContext context) {
        List<Source> sources = configured;
        if (sources == null) {
            sources = read(context);
            configured = sources;
        }
        return sources;
    }

    private List<Source> read(CamelContext context) {
        List<Source> sources = new ArrayList<>();
        for (Map<String, Object> p : TemplateParameters.allWith(context, "connectionId")) {
            SyncRequest r = parser.fromSchedule(p);
            sources.add(new Source(r.source(), r.connection().providerConfigKey(), r.connection().connectionId(),
                    r.drive().name(), r.folder(), r.rows()));
        }
        for (Map<String, Object> p : TemplateParameters.allWith(context, NangoIntegrations.INTEGRATION_ID)) {
            Map<String, Object> one = new java.util.HashMap<>(p);
            one.put("connectionId", "any");
            one.put("providerConfigKey", p.get(NangoIntegrations.INTEGRATION_ID));
            SyncRequest r = parser.fromSchedule(one);
            sources.add(new Source(r.source(), r.connection().providerConfigKey(), null, r.drive().name(),
                    r.folder(), r.rows()));
        }
        for (int i = 0; i < sources.size(); i++) {
            for (int j = i + 1; j < sources.size(); j++) {
                Source a = sources.get(i);
                Source b = sources.get(j);
                // a connection of its own and an integration: the integration leaves that connection out
                boolean mixed = (a.connectionId() == null) != (b.connectionId() == null);
                if (!mixed && a.overlaps(b.providerConfigKey(), b.connectionId(), b.drive(), b.folder())) {
                    throw new IllegalStateException("sources " + a.name() + " and " + b.name() + " overlap (the same"
                            + " drive of " + b.providerConfigKey() + (b.connectionId() == null ? "" : "/"
                            + b.connectionId()) + ", a folder within the other): their events would share keys and"
                            + " one's deletions erase the other's workbooks; give them separate folders or keep one");
                }
            }
        }
        return List.copyOf(sources);
    }

    /**
     * The request as its source's: named as configured; or {@link InvalidSyncRequestException} when it is for no
     * configured or discovered source (unless ad hoc requests are allowed) or overlaps one without being it.
     */
    public SyncRequest admit(CamelContext context, SyncRequest request) {
        String pck = request.connection().providerConfigKey();
        String connection = request.connection().connectionId();
        boolean ownSource = hasOwnSource(context, pck, connection);
        for (Source source : configured(context)) {
            if (source.exactly(request) && serves(source, connection, ownSource)) {
                // a request that names no rows publishes its source's
                return request.named(source.name()).withRows(request.rows().enabled() ? request.rows()
                        : source.rows());
            }
        }
        for (Source source : configured(context)) {
            if (source.overlaps(pck, connection, request.drive().name(), request.folder())
                    && serves(source, connection, ownSource)) {
                throw new InvalidSyncRequestException("drive " + request.drive().name() + (request.folder() == null
                        ? "" : " folder " + request.folder()) + " of " + connection + " overlaps source "
                        + source.name() + " without being it: ask for that source (its drive and folder)");
            }
        }
        if (adHoc) {
            return request;
        }
        throw new InvalidSyncRequestException("connection " + connection + " (" + pck + "), drive "
                + request.drive().name() + (request.folder() == null ? "" : ", folder " + request.folder())
                + " is no configured or discovered source (set workbook-relay.sync-requests.ad-hoc=true to sync"
                + " any drive on request)");
    }

    /** Whether the connection is configured as a source of its own (then no integration source serves it). */
    public boolean hasOwnSource(CamelContext context, String providerConfigKey, String connectionId) {
        for (Source source : configured(context)) {
            if (connectionId.equals(source.connectionId()) && providerConfigKey.equals(source.providerConfigKey())) {
                return true;
            }
        }
        return false;
    }

    private boolean serves(Source source, String connection, boolean ownSource) {
        return source.connectionId() != null || (!ownSource && known.isLive(source.name(), connection));
    }

    private static String lower(String folder) {
        return folder == null ? null : folder.toLowerCase(Locale.ROOT);
    }
}
